# make test: lint, types, then the suite on SQLite and on PostgreSQL.
# make demo: the whole pipeline offline. Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_STAMP := $(VENV)/.demo-stamp
PG_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/postgres

.PHONY: test lint test-sqlite test-postgres demo bench system-deps clean screenshot

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo needs only the package and its stand-ins (the `demo` extra), not the dev tools.
$(DEMO_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[demo]'
	touch $(DEMO_STAMP)

# Dovecot is the real IMAP server the email tests talk to (Debian's package, as root).
system-deps:
	@if ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing dovecot-imapd from Debian's packages"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends dovecot-imapd >/dev/null; \
	  else echo "dovecot is missing and I am not root: the IMAP tests will be skipped"; fi; \
	fi
	@# Chromium opens the demo's HTML transcript in the screenshot test.
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium from Debian's packages"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium >/dev/null; \
	  else echo "chromium is missing and I am not root: the screenshot test will be skipped"; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test-sqlite: $(STAMP) system-deps
	WGML_TEST_DB=sqlite $(BIN)/pytest -q -p no:cacheprovider

test-postgres: $(STAMP) system-deps
	WGML_TEST_DB=postgres WGML_TEST_PG_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider

test: lint test-sqlite test-postgres

demo: $(DEMO_STAMP)
	$(BIN)/wgml-bot demo

# The README's picture: the demo's transcript in headless Chromium.
screenshot: $(STAMP) system-deps
	$(BIN)/wgml-bot demo --html docs/transcript.html >/dev/null
	$(BIN)/python -m tests.chromium docs/transcript.html docs/transcript.png 1200 2200
	rm -f docs/transcript.html

bench: $(STAMP) system-deps
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
