# coverage-gaps: `make demo` runs the main job on the embedded demo data;
# `make test` runs every test. Both set themselves up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lab setup assets browser bench clean

setup: $(STAMP) assets

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,notebooks]'
	touch $(STAMP)

# Leaflet and its plugins for offline maps, pinned in package-lock.json.
assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Headless Chromium for the browser tests (Debian package).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

demo: setup
	$(BIN)/coverage-gaps run data/profiles/demo.toml --out out/demo

test: setup browser
	$(BIN)/python -m pytest

lab: setup
	$(BIN)/jupyter lab notebooks/

bench: setup
	$(BIN)/python benchmarks/bench_e2sfca.py
	$(BIN)/python benchmarks/bench_map_size.py
	$(BIN)/python benchmarks/bench_report_size.py
	$(BIN)/python benchmarks/bench_run.py

clean:
	rm -rf out tests/output .pytest_cache
