# Every target sets itself up on a fresh clone: only python3 and make are assumed.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.synced
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: setup test test-fast lint demo bench soak lab lock browser clean data

setup: $(STAMP)

$(STAMP): pyproject.toml uv.lock Makefile
	test -x $(UV) || (python3 -m venv $(VENV) && $(VENV)/bin/pip install -q uv==0.13.9)
	$(UV) sync --frozen --quiet --compile-bytecode
	touch $(STAMP)

# Debian's Chromium for the browser test of the HTML report (installed once, as root).
browser:
	@command -v chromium >/dev/null || ( \
	  (apt-get update -qq || sudo apt-get update -qq) && \
	  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null \
	   || sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null))

lock:
	$(UV) lock

lint: setup
	$(VENV)/bin/ruff check crmkit tests benchmarks data
	$(VENV)/bin/ruff format --check crmkit tests benchmarks data
	$(VENV)/bin/mypy

# CI runs `make test`: lint first, so a lint or type error fails the build like a test.
test: setup browser lint
	$(VENV)/bin/pytest -m "not slow" tests
	$(VENV)/bin/pytest --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg -p no:randomly notebooks

test-fast: setup
	$(VENV)/bin/pytest -x -q -m "not slow and not browser" tests

data: setup
	$(PY) data/generate.py

demo: setup
	$(VENV)/bin/crmkit demo

bench: setup
	$(PY) -m benchmarks

soak: setup
	$(VENV)/bin/pytest -m slow tests/reliability

lab: setup
	$(VENV)/bin/jupyter lab --no-browser --ip 127.0.0.1 --allow-root notebooks

clean:
	rm -rf output/runs output/bench output/*.db output/*.png
