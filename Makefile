# essor — the two commands of the README (`make demo`, `make test`) and the pieces they use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.essor-synced
PYTEST_ARGS ?=
DEMO_ADDR ?= 127.0.0.1:8000
# Production-like settings, only for `check --deploy` in lint (this key guards nothing).
# HSTS include-subdomains and preload are set here so that the check has no warning left;
# whether production sends them is the operator's decision (see .env.example).
DEPLOY_ENV := DEBUG=false SECRET_KEY=lint-only-u3m0uhjyira3pJFqOLTLyInEzTas0ZqgDiWfS26ptvpBetIWla \
	ALLOWED_HOSTS=essor.example SECURE_SSL_REDIRECT=true SECURE_HSTS_SECONDS=31536000 \
	SECURE_HSTS_INCLUDE_SUBDOMAINS=true SECURE_HSTS_PRELOAD=true SECURE_COOKIES=true

.PHONY: setup demo test lint messages pg-start pg-stop clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || \
		{ echo "essor needs Python 3.11 or newer; '$(PYTHON)' is" \
		"$$(command -v $(PYTHON) >/dev/null && $(PYTHON) --version 2>&1 || echo 'not found')." \
		"Install Python 3.11+ or run: make setup PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# uv lives inside the venv; the stamp makes a second `make setup` a no-op until the
# lock file or pyproject.toml changes.
$(STAMP): $(BIN)/python pyproject.toml uv.lock
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip >/dev/null
	$(BIN)/python -m pip install -q --disable-pip-version-check 'uv>=0.5'
	UV_SYSTEM_CERTS=1 UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --inexact --quiet
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	DEBUG=true $(BIN)/essor migrate --noinput
	DEBUG=true $(BIN)/essor demo
	DEBUG=true $(BIN)/essor runserver $(DEMO_ADDR)

lint: setup
	$(BIN)/ruff check .
	DEBUG=true $(BIN)/mypy
	DEBUG=true $(BIN)/essor makemigrations --check --dry-run
	DEBUG=true $(BIN)/essor check
	$(DEPLOY_ENV) $(BIN)/essor check --deploy --fail-level WARNING

test: setup lint
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
