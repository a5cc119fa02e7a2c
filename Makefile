# Setu: the two commands of the README.
#
#   make run     install into .venv, create demo.db once, open the application on it
#   make test    install with test extras, then ruff, mypy and the test suite (offscreen)
#   make lint    ruff and mypy only
#   make bench   benchmarks against floors measured in the same run (not part of test)
#   make wheelhouse  ./wheelhouse: Setu's wheel and one of every dependency, to install
#                    on a machine with no internet (README, "Installing without internet")
#   make clean   remove .venv and the tool caches (demo.db is kept)
#
# Needs GNU make and Python 3.11+ (`make PYTHON=python3.12 ...` to choose another).
#
# Windows, without make (PowerShell or cmd, in the repository folder):
#   py -m venv .venv
#   .venv\Scripts\pip install -e .[test]
#   .venv\Scripts\setu demo --db demo.db
#   .venv\Scripts\setu --db demo.db
#   .venv\Scripts\python -m pytest

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Written after a successful install; pip runs again only when pyproject.toml is newer.
STAMP := $(VENV)/.setu-installed
DEMO_DB := demo.db

# A failed recipe must not leave a half-made stamp or demo database behind.
.DELETE_ON_ERROR:
.PHONY: venv install run test lint bench clean wheelhouse

venv: $(BIN)/python

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[test]'
	touch $@

$(DEMO_DB): | $(STAMP)
	$(BIN)/setu demo --db $@

# ui.system_libs prints the one apt-get line and fails when Qt's X11 libraries are
# missing (Linux only), instead of Qt aborting with a core dump.
run: $(STAMP) $(DEMO_DB)
	$(BIN)/python -m ui.system_libs
	$(BIN)/setu --db $(DEMO_DB)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy app

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q

# Timings, never part of `make test` (bench/README.md says how to read them).
bench: $(STAMP)
	$(BIN)/python bench/run.py

# Wheels for this platform's Python, the extras an office needs included (a comma list;
# empty for none); a machine with no internet then runs
# `pip install --no-index --find-links wheelhouse setu`.
# tests/integration/test_wheelhouse.py builds one and installs it into a fresh venv.
WHEELHOUSE ?= wheelhouse
WHEELHOUSE_EXTRAS ?= postgres,encrypted

wheelhouse: | $(BIN)/python
	rm -rf $(WHEELHOUSE) build  # setuptools reuses build/: a deleted module would ship
	$(BIN)/python -m pip wheel --wheel-dir $(WHEELHOUSE) '.$(if $(WHEELHOUSE_EXTRAS),[$(WHEELHOUSE_EXTRAS)])'

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
