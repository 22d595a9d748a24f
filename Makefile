# Talang: `make run` starts the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test install install-test lint checks pytest pytest-postgres bench clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet --editable .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	@$(PY) -m pip install --quiet --editable '.[test]'
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	@TALANG_DEMO=$${TALANG_DEMO:-true} $(PY) manage.py talang_run --port $(PORT)

lint: install-test
	$(VENV)/bin/ruff format --check talang manage.py
	$(VENV)/bin/ruff check talang manage.py

# Migrations and the deployment check run under production-like settings.
checks: install-test
	TALANG_DEMO=true TALANG_VAR_DIR=$$(mktemp -d) $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=talang.example.org TALANG_VAR_DIR=$$(mktemp -d) \
	  $(PY) manage.py check --deploy --fail-level WARNING

pytest: install-test
	$(PY) -m pytest -n 2 --dist loadfile -m "not postgres"

# On PostgreSQL when TALANG_TEST_POSTGRES_URL names a server (.ci/run gives the local one).
pytest-postgres: install-test
	@if [ -n "$$TALANG_TEST_POSTGRES_URL" ]; then \
	  TALANG_TEST_DATABASE_URL=$$TALANG_TEST_POSTGRES_URL $(PY) -m pytest -n 2 --dist loadfile -m "not browser"; \
	else echo "TALANG_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run"; \
	  if [ "$$CI" = "true" ]; then exit 1; fi; fi

test: lint checks pytest pytest-postgres

# Intake throughput through gunicorn on SQLite and PostgreSQL; updates docs/benchmarks.md.
# Not part of `make test`. See talang/bench/run.py for BENCH_SECONDS and the other knobs.
bench: install
	$(PY) -m talang.bench.run
	$(PY) -m talang.bench.workspace
	$(PY) -m talang.bench.statistics

clean:
	rm -rf $(VENV) var
