# `make test` is the README's test command: it installs ftguide with its test dependencies into .venv,
# builds the real tools' environments (ci/toolenvs.sh, reused when current) and runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install toolenvs lint test examples calibration-report

$(PY):
	$(PYTHON) -m venv $(VENV)

install: $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"

toolenvs:
	bash ci/toolenvs.sh

lint: install
	$(PY) -m ruff check src tests calibration examples/regenerate.py benchmarks
	$(PY) -m ruff format --check src tests calibration examples/regenerate.py benchmarks
	$(PY) -m mypy src

test: install toolenvs lint
	$(PY) -m pytest

examples: install
	$(PY) examples/regenerate.py

calibration-report: install
	$(PY) calibration/fit.py
