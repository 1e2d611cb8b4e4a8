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

test: $(BIN)/.installed
	$(BIN)/python -m pytest
