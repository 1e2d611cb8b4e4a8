# Two entry points: `make run` starts the desk on the local backend, `make test` runs every test.
# Both set up a virtual environment in .venv first (only Python 3.11+ and PyPI needed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test translations

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("helpt needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/helpt serve

# The tests drive Debian's headless Chromium, nginx and PostgreSQL, and axe-core from npm
# (pinned by its package-lock.json). scripts/install-test-tools installs only what is
# missing, and never an npm that would fight a Node.js already there.
AXE_DIR := tests/data/intake/axe

.PHONY: test-tools
test-tools:
	scripts/install-test-tools

$(AXE_DIR)/node_modules/axe-core/axe.min.js: $(AXE_DIR)/package-lock.json | test-tools
	npm ci --prefix $(AXE_DIR) --no-audit --no-fund
	touch $@

test: $(BIN)/.installed test-tools $(AXE_DIR)/node_modules/axe-core/axe.min.js
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# After changing a message in the code or a template: the catalogues follow (then translate
# what is new in each .po, and run this again to compile).
LOCALE := sheets_schema/locale
translations: $(BIN)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k translate:2 -k translate_n:2,3 -k N_ -k NP_:1,2 --no-location \
		--sort-output --project helpt -o $(LOCALE)/messages.pot sheets_schema sync webhooks helpt desk_db local_sheets
	$(BIN)/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages --width 100 --ignore-obsolete \
		--ignore-pot-creation-date
	$(BIN)/pybabel compile -d $(LOCALE) -D messages --statistics
