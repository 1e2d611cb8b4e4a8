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

# The accessibility test runs axe-core (npm, pinned by its package-lock.json) in Debian's
# headless Chromium; CI's fresh machine (root) gets the browser and node from apt when missing.
AXE_DIR := tests/data/intake/axe

$(AXE_DIR)/node_modules/axe-core/axe.min.js: $(AXE_DIR)/package-lock.json
	command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v npm >/dev/null \
		|| (apt-get update && apt-get install -y chromium chromium-driver nodejs npm)
	npm ci --prefix $(AXE_DIR) --no-audit --no-fund
	touch $@

test: $(BIN)/.installed $(AXE_DIR)/node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest
