# Two entry points: `make run` starts the desk on the local backend, `make test` runs every test.
# Both set up a virtual environment in .venv first (only Python 3.11+ and PyPI needed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test

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
