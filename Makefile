# LetterDesk developer commands. `make run` and `make test` work on a fresh
# Debian machine: they install the system packages Qt needs (as root) and
# create .venv from pyproject.toml.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

DIST_STAMP := $(VENV)/.dist-stamp
MUTATE_STAMP := $(VENV)/.mutate-stamp
# Groups for `make mutate` (default: all; see `python tests/mutate.py --list`).
# What is mutated and which tests judge it: GROUPS in tests/mutate.py.
MUTATE_ARGS ?=

.PHONY: run test test-interop lint bench mutate screenshots sysdeps-run sysdeps-test sysdeps-interop sysdeps-dist dist test-dist clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $@

# PyInstaller and Pillow only for the bundle and installers, so `make test`
# stays lean.
$(DIST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,dev,dist]'
	touch $@

# mutmut only for `make mutate`, which is not part of `make test`.
$(MUTATE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,dev,mutate]'
	touch $@

sysdeps-dist:
	@sh packaging/system-deps.sh dist

sysdeps-run:
	@sh packaging/system-deps.sh run

sysdeps-test:
	@sh packaging/system-deps.sh test

sysdeps-interop:
	@sh packaging/system-deps.sh interop

run: sysdeps-run $(STAMP)
	$(BIN)/letterdesk $(ARGS)

test: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

# LetterDesk's files opened by other programs (a real LibreOffice Calc,
# headless): kept out of `make test` because the package is ~300 MB.
test-interop: sysdeps-interop $(STAMP)
	LETTERDESK_TEST_INTEROP=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest tests/interop -v $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check desktop tests
	$(BIN)/ruff format --check desktop tests
	$(BIN)/mypy desktop/domain desktop/store desktop/services

bench: sysdeps-dist $(DIST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/bench/bench_startup.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/bench/bench_requests.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/bench/bench_requests.py --scale stress --runs 3
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/bench/bench_mail.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/bench/bench_replies.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/bench/bench_dist.py

# Every page and dialog on the demo data at 1280×720 and 1366×768, into
# resources/screenshots/<size>/ (offscreen; no display needed).
screenshots: sysdeps-test $(STAMP)
	$(BIN)/python packaging/screenshots.py

# Mutation testing of desktop/domain and the safety-critical modules, each
# against its own tests, in scratch copies (nothing is written here).
mutate: sysdeps-test $(MUTATE_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/mutate.py $(MUTATE_ARGS)

# Linux artefacts into dist/: the one-folder bundle, the .deb and the .tar.gz.
dist: sysdeps-dist $(DIST_STAMP)
	sh packaging/build_linux.sh

# Rebuilds dist/ when stale, self-tests the frozen app, installs the .deb
# (needs root), runs it under Xvfb with a screenshot, removes it.
test-dist: sysdeps-dist $(DIST_STAMP)
	LETTERDESK_TEST_DIST=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest tests/dist -v $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info
