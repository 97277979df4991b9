# Two commands do all set-up: `make demo` (build the sample corpus and serve it) and
# `make test` (the checks, then the tests; what CI runs). Both create or reuse the virtualenv in .venv.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# A second virtualenv with the package alone (no test or dev extra), installed as a user would,
# with the pip a new virtualenv carries: `quotetrack --help` must work there.
BARE := .venv-bare
BARE_STAMP := $(BARE)/.installed-stamp
DB := data/quotes.db
COG := $(BIN)/cog -I scripts -p "from readme_cog import *"

.PHONY: demo test check readme install build serve clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

$(BARE_STAMP): pyproject.toml
	rm -rf $(BARE)
	python3 -m venv $(BARE)
	$(BARE)/bin/python -m pip install --quiet .
	touch $(BARE_STAMP)

install: $(STAMP)

build: $(STAMP)
	$(BIN)/quotetrack build data/ --db $(DB)

demo: build
	$(BIN)/quotetrack serve --db $(DB)

test: check
	bash scripts/install-browser.sh || echo "Debian chromium unavailable: browser tests will be skipped"
	$(BIN)/pytest -q

# Static checks; each fails the build. The smoke test also runs one extraction, which needs the
# package data and the English pipeline as installed from the wheel.
check: $(STAMP) $(BARE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(COG) --check README.md
	$(BARE)/bin/quotetrack --help > /dev/null
	$(BARE)/bin/quotetrack extract data/000_4a7d07cbffe03bc0.txt > /dev/null

# Rewrite README.md's generated blocks (each command's --help, the quick start's output).
readme: $(STAMP)
	$(COG) -r README.md

clean:
	rm -rf $(VENV) $(BARE) $(DB) $(DB)-wal $(DB)-shm $(DB)-lock $(DB)-staging $(DB)-staging-wal $(DB)-staging-shm
