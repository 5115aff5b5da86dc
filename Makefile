# LetterDesk developer commands. `make run` and `make test` work on a fresh
# Debian machine: they install the system packages Qt needs (as root) and
# create .venv from pyproject.toml.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: run test lint bench sysdeps-run sysdeps-test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $@

sysdeps-run:
	@sh packaging/system-deps.sh run

sysdeps-test:
	@sh packaging/system-deps.sh test

run: sysdeps-run $(STAMP)
	$(BIN)/letterdesk $(ARGS)

test: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check desktop tests
	$(BIN)/ruff format --check desktop tests
	$(BIN)/mypy desktop/domain desktop/store desktop/services

bench: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/bench/bench_startup.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/bench/bench_requests.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/bench/bench_mail.py

clean:
	rm -rf $(VENV) build dist *.egg-info
