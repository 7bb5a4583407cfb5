# bodymap: two commands on a fresh machine.
#   make run   - create .venv, install bodymap, open the app
#   make test  - create .venv, install bodymap with test tools, run ruff and the whole test suite
#   make bundle - the standalone application (PyInstaller): dist/bodymap/ and a .tar.gz
PYTHON ?= python3
VENV   ?= .venv
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
else
BIN := $(VENV)/bin
endif
PY := $(BIN)/python
STAMP := $(VENV)/.installed
# The three start-up caches (bodymap/startup_cache.py: one rule). Each is keyed on the package's
# source (every bodymap/*.py) and its data files, so each is rebuilt when either is newer; a
# cache that does not match is never used (the sources are read instead).
PKG_SOURCES := $(shell find bodymap -name '*.py' -not -path '*/__pycache__/*')
# the back's polygons precomputed from the drawing (bodymap/geometry_cache.py)
GEOCACHE := assets/zones.geometry.json
# the shipped protocols read and validated once (bodymap/library_cache.py; not in git)
LIBCACHE := protocols/library.cache.pickle
LIBCACHE_SOURCES := $(wildcard protocols/*.toml protocols/conditions/*.toml)
# the interface strings as JSON (bodymap/i18n; not in git)
I18NCACHE := bodymap/i18n/strings/strings.cache.json
CACHES := $(GEOCACHE) $(LIBCACHE) $(I18NCACHE)
BUNDLE_STAMP := $(VENV)/.installed-bundle

.PHONY: run test lint bench soak setup clean bundle bundle-smoke wheel readme-shots

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# the project as a plain `pip install -e .` installs it (no dependency is patched)
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

$(GEOCACHE): assets/zones.svg assets/zones.toml $(PKG_SOURCES) | $(STAMP)
	$(PY) -m bodymap.geometry_cache

$(LIBCACHE): $(LIBCACHE_SOURCES) $(PKG_SOURCES) $(STAMP)
	$(PY) -m bodymap.library_cache

$(I18NCACHE): $(wildcard bodymap/i18n/strings/*.toml) $(PKG_SOURCES) | $(STAMP)
	$(PY) -m bodymap.i18n

setup: $(STAMP) $(CACHES)

run: $(STAMP) $(CACHES)
	$(PY) main.py $(ARGS)

lint: $(STAMP)
	$(PY) -m ruff check bodymap tests main.py scripts packaging
	$(PY) -m mypy

test: lint $(CACHES)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

# bodymap's modules compiled first, as an installed copy has them (PYTHONDONTWRITEBYTECODE may
# be set where the bench runs, and compiling them again on every start is not what users wait for)
bench: $(STAMP) $(CACHES)
	$(PY) -m compileall -q bodymap > /dev/null
	QT_QPA_PLATFORM=offscreen $(PY) scripts/bench.py

# the README's pictures of the window (docs/*.png): first screen, screening, a combined plan;
# at 1920x1080 and 1366x768, English and Russian (scripts/readme_screenshots.py)
readme-shots: $(STAMP) $(CACHES)
	$(PY) scripts/readme_screenshots.py

soak: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) scripts/soak.py

# dist/bodymap-<version>-py3-none-any.whl, carrying the start-up caches built from these sources
wheel: $(STAMP) $(CACHES)
	$(PY) -m hatchling build -t wheel

$(BUNDLE_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,bundle]"
	@touch $(BUNDLE_STAMP)

# dist/bodymap/ and dist/bodymap-<version>-linux-x86_64.tar.gz; prints sizes and start-up
bundle: $(BUNDLE_STAMP) $(CACHES)
	QT_QPA_PLATFORM=offscreen $(PY) packaging/build.py $(BUNDLE_ARGS)

# the built bundle, run with a cleared environment (plan, export, window, screenshot)
bundle-smoke: $(BUNDLE_STAMP)
	$(PY) packaging/smoke.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache $(LIBCACHE) $(I18NCACHE)
