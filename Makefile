# Scrutiny: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

.PHONY: install
install: $(VENV)/.installed node_modules/.package-lock.json ## Install Python (.venv) and npm dependencies

.PHONY: run
run: install ## Install, migrate, load the demo committee and serve on http://127.0.0.1:8000 (SQLite, in-process tasks)
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=true $(BIN)/python manage.py load_demo
	DJANGO_DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

.PHONY: test
test: install ## Run the whole suite (SQLite unless DATABASE_URL is set)
	$(BIN)/python -m pytest

.PHONY: lint
lint: install ## ruff check, ruff format --check, and no missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

.PHONY: audit
audit: install ## Scan the code (ruff's bandit rules) and audit dependencies for known vulnerabilities
	$(BIN)/ruff check --select S --statistics .
	@# The advisory databases are outside the package registries: where this machine
	@# cannot reach them the audit says so and is not counted as passed.
	@if curl -sf -m 15 -o /dev/null "https://pypi.org/pypi/django/$$(grep -i '^django==' requirements.txt | cut -d= -f3)/json"; then \
	  $(BIN)/pip-audit --strict --progress-spinner off -r requirements.txt; \
	else echo "pip-audit NOT RUN: PyPI's advisory data (https://pypi.org/pypi/NAME/VERSION/json) cannot be reached from here."; fi
	@if curl -sf -m 15 -o /dev/null -X POST -H 'Content-Type: application/json' -d '{}' \
	     https://registry.npmjs.org/-/npm/v1/security/advisories/bulk; then \
	  npm audit --omit=dev; \
	else echo "npm audit NOT RUN: the npm registry's advisory endpoint cannot be reached from here."; fi

.PHONY: format
format: install ## Format and autofix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: bench
bench: install ## Run the benchmarks under benchmarks/ and print their figures
	@command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

.PHONY: worker
worker: install ## Run a Celery worker (needs CELERY_BROKER_URL)
	$(BIN)/celery -A scrutiny worker --loglevel=INFO

.PHONY: clean
clean: ## Remove the virtualenv, node_modules and local data under var/
	rm -rf $(VENV) node_modules var staticfiles
