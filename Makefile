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

.PHONY: run test install node-tools no-npm migrate fixtures lint format migrations-check check-citations e2e bench backup restore venv-exists clean

run: install migrate fixtures
	$(BIN)/python manage.py ensure_local_admin --address 127.0.0.1:$(PORT)
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Everything: unit and integration tests, then the browser tests (skipped,
# with a message, when Debian's Chromium is not installed) and the HTML and
# accessibility checks (skipped likewise without npm or Java).
test: install $(NODE_TOOLS)
	$(BIN)/pytest

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

e2e: install $(NODE_TOOLS)
	$(BIN)/pytest tests/e2e

# Pages timed against a do-nothing view (manage.py bench), on PostgreSQL: the
# fixtures, then a generated history of 100 and of 150,000 revisions, each in a
# database of its own made afresh. BENCH_DB names the server.
BENCH_DB ?= postgres://postgres@127.0.0.1:5432
HISTORY_PAGES := / /changes/ /changes/?reviewed=no /changes/?type=agreement \
	/changes/?editor=demo-editor-1 /changes/feed/ /agreements/demo-agreement-1/ \
	/agreements/demo-agreement-1/history/

bench: install
	for name in wiki_bench_fixtures wiki_bench_history; do \
	  psql -q "$(BENCH_DB)/postgres" -c "DROP DATABASE IF EXISTS $$name WITH (FORCE)" -c "CREATE DATABASE $$name" || exit 1; \
	done
	@echo "== The fixtures"
	DATABASE_URL=$(BENCH_DB)/wiki_bench_fixtures $(BIN)/python manage.py migrate -v 0
	DATABASE_URL=$(BENCH_DB)/wiki_bench_fixtures $(BIN)/python manage.py load_fixtures -v 0
	DATABASE_URL=$(BENCH_DB)/wiki_bench_fixtures $(BIN)/python manage.py bench
	@echo "== A history of 100 revisions"
	DATABASE_URL=$(BENCH_DB)/wiki_bench_history $(BIN)/python manage.py migrate -v 0
	DATABASE_URL=$(BENCH_DB)/wiki_bench_history $(BIN)/python manage.py generate_demo_data --entries 50 --revisions 100
	DATABASE_URL=$(BENCH_DB)/wiki_bench_history $(BIN)/python manage.py bench $(HISTORY_PAGES)
	@echo "== The same history grown to 150,000 revisions"
	DATABASE_URL=$(BENCH_DB)/wiki_bench_history $(BIN)/python manage.py generate_demo_data --entries 1000 --revisions 150000
	DATABASE_URL=$(BENCH_DB)/wiki_bench_history $(BIN)/python manage.py bench $(HISTORY_PAGES)

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
