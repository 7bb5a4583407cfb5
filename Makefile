# bodymap: two commands on a fresh machine.
#   make run   - create .venv, install bodymap, open the app
#   make test  - create .venv, install bodymap with test tools, run ruff and the whole test suite
PYTHON ?= python3
VENV   ?= .venv
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
else
BIN := $(VENV)/bin
endif
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench soak setup clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(PY) main.py $(ARGS)

lint: $(STAMP)
	$(PY) -m ruff check bodymap tests main.py scripts

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) scripts/bench.py

soak: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) scripts/soak.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
