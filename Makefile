# coverage-gaps: `make demo` runs the main job on the embedded demo data;
# `make test` runs every test. Both set themselves up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lab setup browser bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,notebooks]'
	touch $(STAMP)

# Headless Chromium for the browser tests (Debian package).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

demo: setup
	$(BIN)/coverage-gaps run --out out/demo

test: setup browser
	$(BIN)/python -m pytest

# Jupyter refuses to start as root unless told: containers and CI machines often run as root.
lab: setup
	$(BIN)/jupyter lab $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) notebooks/

bench: setup
	$(BIN)/python benchmarks/bench_e2sfca.py
	$(BIN)/python benchmarks/bench_map_size.py
	$(BIN)/python benchmarks/bench_report_size.py
	$(BIN)/python benchmarks/bench_run.py

clean:
	rm -rf out tests/output .pytest_cache
