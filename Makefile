# Two commands do all set-up: `make demo` (build the sample corpus and serve it) and
# `make test`. Both create or reuse the virtualenv in .venv.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB := data/quotes.db

.PHONY: demo test install build serve clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	$(BIN)/quotetrack build data/ --db $(DB)

demo: build
	$(BIN)/quotetrack serve --db $(DB)

test: $(STAMP)
	bash scripts/install-browser.sh || echo "Debian chromium unavailable: browser tests will be skipped"
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm $(DB)-lock $(DB)-staging $(DB)-staging-wal $(DB)-staging-shm
