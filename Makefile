# Rapport: `make run` to try it, `make test` to check it. Nothing else is needed.
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := rapport.settings

.PHONY: run test test-fast test-browser install messages lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Rapport needs Python 3.12 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	@$(BIN)/python -m rapport.core.translations

run: install
	$(BIN)/rapport migrate --no-input
	$(BIN)/rapport collectstatic --no-input --verbosity 0
	$(BIN)/rapport demo --if-empty
	$(BIN)/rapport serve

# A file-based SQLite test database, so tests of concurrent writers run on SQLite too.
test: install
	scripts/ensure-browser
	SQLITE_TEST_PATH=var/test-$$$$.sqlite3 $(BIN)/pytest -q tests

test-fast: install
	$(BIN)/pytest -q tests --ignore=tests/browser

test-browser: install
	scripts/ensure-browser
	$(BIN)/pytest -q tests/browser

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var build src/*.egg-info
