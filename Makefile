# essor — the two commands of the README, and the pieces they use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.essor-synced
PYTEST_ARGS ?=
# Production-like settings, only for `check --deploy` in lint.
DEPLOY_ENV := DEBUG=false SECRET_KEY=lint-only-0f4c2b9e7d1a6583c0e9b2d4f7a1c3e5b6d8f0a2c4e6b8d0f1a3 \
	ALLOWED_HOSTS=essor.example SECURE_SSL_REDIRECT=true SECURE_HSTS_SECONDS=31536000 \
	SECURE_HSTS_INCLUDE_SUBDOMAINS=true SECURE_HSTS_PRELOAD=true \
	SECURE_COOKIES=true STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage

.PHONY: setup demo test lint messages pg-start pg-stop clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "essor needs Python 3.11 or newer (found: $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml uv.lock
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip >/dev/null
	$(BIN)/python -m pip install -q --disable-pip-version-check 'uv>=0.5'
	UV_SYSTEM_CERTS=1 UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --inexact --quiet
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	DEBUG=true $(BIN)/essor migrate --noinput
	DEBUG=true $(BIN)/essor demo
	DEBUG=true $(BIN)/essor runserver 127.0.0.1:8000

lint: setup
	$(BIN)/ruff check .
	DEBUG=true $(BIN)/essor makemigrations --check --dry-run
	DEBUG=true $(BIN)/essor check
	$(DEPLOY_ENV) $(BIN)/essor check --deploy --fail-level WARNING

test: lint
	DEBUG=true $(BIN)/pytest $(PYTEST_ARGS)

messages: setup
	DEBUG=true $(BIN)/essor makemessages -l fr -l ar -l en --no-location \
		--ignore=.venv --ignore=static/vendor --ignore=staticfiles --ignore=scripts --ignore=bench
	DEBUG=true $(BIN)/essor compilemessages --ignore=.venv

pg-start:
	scripts/pg.sh start

pg-stop:
	scripts/pg.sh stop

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
