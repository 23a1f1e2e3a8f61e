# Rejoinder — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEMO_DATA ?= var/demo

.DEFAULT_GOAL := help
.PHONY: help venv demo serve test test-fast test-sqlite test-postgres test-deps lint format bench bench-notify clean openapi messages

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

venv: $(INSTALLED) ## create the virtualenv and install Rejoinder with its test tools

demo: $(INSTALLED) ## load the sample article and serve it at http://127.0.0.1:8000 (SQLite; mail caught locally, shown in the admin)
	REJOINDER_DATA_DIR=$(DEMO_DATA) $(BIN)/rejoinder demo --bind 127.0.0.1:8000

serve: $(INSTALLED) ## serve the local database at http://127.0.0.1:8000
	REJOINDER_DATA_DIR=$(DEMO_DATA) $(BIN)/rejoinder serve --bind 127.0.0.1:8000

lint: $(INSTALLED) ## ruff (lint + format check), mypy and the import contracts (lint-imports)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

format: $(INSTALLED) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests bench scripts
	$(BIN)/ruff format src tests bench scripts

test-deps: ## install chromium, postgresql and redis-server from Debian when run as root and missing
	@scripts/install-test-deps

test: lint test-deps ## lint, then the whole suite on SQLite and on PostgreSQL
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-fast: $(INSTALLED) ## the suite on SQLite without browser tests and tests that start processes (the edit loop)
	$(BIN)/pytest -p no:cacheprovider -q -m "not browser and not processes"

test-sqlite: $(INSTALLED) ## the suite on SQLite
	$(BIN)/pytest -p no:cacheprovider -q

test-postgres: $(INSTALLED) ## the suite on a throw-away PostgreSQL server on a free port
	scripts/with-postgres $(BIN)/pytest -p no:cacheprovider -q

bench: $(INSTALLED) ## load benchmarks against the peers, then the notification and embed benchmarks
	bench/run.sh
	$(BIN)/python bench/notify.py
	$(BIN)/python bench/embed.py

bench-notify: $(INSTALLED) ## POST latency with 0 and 10,000 subscribers, and the worker's mails/s
	$(BIN)/python bench/notify.py

clean: ## remove the virtualenv and local data
	rm -rf $(VENV) var

openapi: $(INSTALLED) ## rewrite the committed OpenAPI snapshot (docs/openapi.json) after an API change
	$(BIN)/python -c 'import os, json, django; os.environ["DJANGO_SETTINGS_MODULE"] = "rejoinder.config.settings"; django.setup(); from rejoinder.api.main import api; print(json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), indent=1, sort_keys=True))' > docs/openapi.json

LANGUAGES := ar de es fr
messages: $(INSTALLED) ## gather the strings into src/rejoinder/locale/*/django.po (translate them there), then compile the .mo files
	cd src/rejoinder && REJOINDER_DATA_DIR=$(abspath var/messages) DJANGO_SETTINGS_MODULE=rejoinder.config.settings $(abspath $(BIN))/django-admin makemessages $(foreach l,$(LANGUAGES),-l $(l)) --no-obsolete --add-location=file
	cd src/rejoinder && REJOINDER_DATA_DIR=$(abspath var/messages) DJANGO_SETTINGS_MODULE=rejoinder.config.settings $(abspath $(BIN))/django-admin compilemessages --ignore=.venv
