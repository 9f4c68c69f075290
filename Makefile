# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate fixtures lint format migrations-check check-citations e2e clean

run: install migrate fixtures
	$(BIN)/python manage.py ensure_local_admin
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Everything: unit and integration tests, then the browser tests (skipped,
# with a message, when Debian's Chromium is not installed).
test: install
	$(BIN)/pytest

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11 or run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

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

e2e: install
	$(BIN)/pytest tests/e2e

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
