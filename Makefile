# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The test-only npm tools (the Nu Html Checker, run with Java, and axe-core);
# `make run` never needs them. Without npm the tests that use them are skipped
# with a message, except under CI=true, where they fail.
NODE_STAMP := node_modules/.installed
NODE_TOOLS := $(if $(shell command -v npm),$(NODE_STAMP),no-npm)

# `make run PORT=8123` serves on another port.
PORT ?= 8000

.PHONY: run test install node-tools no-npm migrate fixtures lint format migrations-check check-citations messages e2e bench lighthouse backup restore venv-exists clean

run: install migrate fixtures
	$(BIN)/python manage.py ensure_local_admin --address 127.0.0.1:$(PORT)
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Everything: unit and integration tests, then the browser tests (skipped,
# with a message, when Debian's Chromium is not installed) and the HTML and
# accessibility checks (skipped likewise without npm or Java).
# PYTEST_ARGS: more for pytest, e.g. make test PYTEST_ARGS="-k languages".
test: install $(NODE_TOOLS)
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11 or run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

node-tools: $(NODE_TOOLS)

# --ignore-scripts: vnu-jar's install script would download a Java runtime when
# it finds none; the tests run the jar with the system's java instead.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NODE_STAMP)

no-npm:
	@echo "npm not found: the HTML-validity and accessibility tests will be skipped (install Node.js and npm to run them)."

migrate: install
	$(BIN)/python manage.py migrate --no-input

fixtures: install
	$(BIN)/python manage.py load_fixtures
	$(BIN)/python manage.py check_citations

check-citations: install
	$(BIN)/python manage.py check_citations

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# The French and Arabic catalogues (locale/): adds the interface's new messages to
# each django.po (translate them there), then compiles the .mo files, which are
# committed so that `make run` needs no gettext. Needs GNU gettext (apt install
# gettext). tests/test_translations.py fails while a message is untranslated
# or a .mo is out of date.
MESSAGES_IGNORE = --ignore='.venv/*' --ignore='node_modules/*' --ignore='staticfiles/*' --ignore='tests/*' --ignore='test-results/*'

messages: install
	$(BIN)/python manage.py makemessages -l fr -l ar --no-obsolete -e html,py,txt $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages -l fr -l ar --ignore='.venv/*' --ignore='node_modules/*'

e2e: install $(NODE_TOOLS)
	$(BIN)/pytest tests/e2e

# Every kind of page served by gunicorn with the production settings and
# timed against a do-nothing view (manage.py bench), on PostgreSQL: the
# fixtures and generated data side by side, each in a database of its own on
# the server BENCH_DB names, each page timed on one and then the other.
# BENCH_SIZES is passed to generate_demo_data (nothing: the issue's sizes),
# e.g. BENCH_SIZES="--agreements 5000 --revisions 20000". Generating takes minutes: with BENCH_REUSE=1 a
# wiki_bench_generated made with the same BENCH_SIZES (the database's comment
# records them) is kept. Each page is loaded BENCH_ROUNDS times on each
# database in turns, for BENCH_SECONDS each time.
BENCH_DB ?= postgres://postgres@127.0.0.1:5432
BENCH_SIZES ?=
BENCH_REUSE ?=
BENCH_SECONDS ?= 2
BENCH_ROUNDS ?= 5
BENCH_PSQL = psql -q -v ON_ERROR_STOP=1 "$(BENCH_DB)/postgres"
BENCH_MADE = $(strip generate_demo_data $(BENCH_SIZES))
BENCH_FIXTURES = DATABASE_URL=$(BENCH_DB)/wiki_bench_fixtures $(BIN)/python manage.py
BENCH_GENERATED = DATABASE_URL=$(BENCH_DB)/wiki_bench_generated $(BIN)/python manage.py

bench: install
	$(BENCH_PSQL) -c "DROP DATABASE IF EXISTS wiki_bench_fixtures WITH (FORCE)" -c "CREATE DATABASE wiki_bench_fixtures"
	$(BENCH_FIXTURES) migrate -v 0
	$(BENCH_FIXTURES) load_fixtures -v 0
	@if [ "$(BENCH_REUSE)" = 1 ] && [ "$$($(BENCH_PSQL) -tA -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = 'wiki_bench_generated'")" = "$(BENCH_MADE)" ]; then \
	  echo "Reusing wiki_bench_generated ($(BENCH_MADE))"; \
	else \
	  set -ex; \
	  $(BENCH_PSQL) -c "DROP DATABASE IF EXISTS wiki_bench_generated WITH (FORCE)" -c "CREATE DATABASE wiki_bench_generated"; \
	  $(BENCH_GENERATED) migrate -v 0; \
	  $(BENCH_GENERATED) load_fixtures -v 0; \
	  $(BENCH_GENERATED) $(BENCH_MADE); \
	  $(BENCH_PSQL) -c "COMMENT ON DATABASE wiki_bench_generated IS '$(BENCH_MADE)'"; \
	fi
	$(BENCH_GENERATED) migrate -v 0
	$(BENCH_GENERATED) bench --name generated --beside fixtures=$(BENCH_DB)/wiki_bench_fixtures --seconds $(BENCH_SECONDS) --rounds $(BENCH_ROUNDS)

# Lighthouse (npm, `make node-tools`) on Debian's Chromium, on home, a list, a
# partner page, a source page, search, the timeline, the network, a compare
# page, the Arabic partner page and the French home page, mobile and desktop: accessibility 100, performance, best practices and
# SEO 95 or more (tests/lighthouse/run.py). The site is served as in production
# (gunicorn, DEBUG off, collected static files) from a fresh PostgreSQL database
# with the fixtures, on the server LIGHTHOUSE_DB names; LIGHTHOUSE_PORT=0 picks
# any free port. The reports go to test-results/lighthouse/.
LIGHTHOUSE_DB ?= postgres://postgres@127.0.0.1:5432
LIGHTHOUSE_PORT ?= 0
LIGHTHOUSE_PSQL = psql -q -v ON_ERROR_STOP=1 "$(LIGHTHOUSE_DB)/postgres"
LIGHTHOUSE_MANAGE = DATABASE_URL=$(LIGHTHOUSE_DB)/wiki_lighthouse $(BIN)/python

lighthouse: install $(NODE_STAMP)
	$(LIGHTHOUSE_PSQL) -c "DROP DATABASE IF EXISTS wiki_lighthouse WITH (FORCE)" -c "CREATE DATABASE wiki_lighthouse"
	$(LIGHTHOUSE_MANAGE) manage.py migrate -v 0
	$(LIGHTHOUSE_MANAGE) manage.py load_fixtures -v 0
	$(LIGHTHOUSE_MANAGE) tests/lighthouse/run.py --port $(LIGHTHOUSE_PORT)

# A backup of the database DATABASE_URL (or .env) names, into backups/
# (git-ignored). Neither target installs anything: a production machine's
# .venv has no development tools and should not get them from cron.
backup: venv-exists
	$(BIN)/python manage.py backup

# Replaces the database's contents with a backup; asks first.
restore: venv-exists
	@test -n "$(FILE)" || { echo "Name the backup: make restore FILE=backups/<file>"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)"

venv-exists:
	@test -x $(BIN)/python || { echo "No $(VENV): run 'make install' (or the README's deployment steps) first."; exit 2; }

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
