# DânVận — the two commands: `make run` and `make test`. Both bootstrap what they need.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test` (one per core; PYTEST_WORKERS=0 runs in one process).
PYTEST_WORKERS ?= auto
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: run test bootstrap lint bench worker fuzz clean

$(BIN)/uv:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "DânVận cần Python 3.11 (đặt PYTHON=/đường/dẫn/python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Dependencies come from the lock file only (uv.lock); --inexact keeps uv itself in the venv.
$(VENV)/.synced: pyproject.toml uv.lock | $(BIN)/uv
	$(BIN)/uv sync --frozen --inexact --quiet
	@touch $@

bootstrap: $(VENV)/.synced
	@$(BIN)/danvan compile-translations

run: bootstrap
	@bash scripts/ensure-libreoffice || echo "Tiếp tục chạy không có xuất PDF."
	@$(BIN)/danvan collectstatic --noinput -v0
	@$(BIN)/danvan migrate --noinput -v0
	@$(BIN)/danvan demo
	@$(BIN)/danvan prepare-periods -v0
	@echo
	@echo "DânVận đang chạy tại http://$(HOST):$(PORT)/  (dừng: Ctrl+C)"
	@$(BIN)/danvan runserver $(HOST):$(PORT)

lint: bootstrap
	$(BIN)/ruff check .
	$(BIN)/ruff format --check danvan conftest.py bench
	$(BIN)/lint-imports
	$(BIN)/mypy

test: bootstrap
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/danvan makemigrations --check --dry-run
	@bash scripts/ensure-chromium
	@bash scripts/ensure-libreoffice
	@bash scripts/ensure-axe
	@bash scripts/ensure-nginx
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --cov=danvan --cov-report=term --cov-fail-under=85 $(PYTEST_ARGS)

# Subtree benchmark on PostgreSQL (see docs/PERFORMANCE.md).
bench: bootstrap
	bash bench/run.sh

# The REST API fuzzed by Schemathesis on a throwaway database with the demo (scripts/fuzz-api; a few minutes).
fuzz: bootstrap
	bash scripts/fuzz-api

worker: bootstrap
	$(BIN)/celery -A danvan worker -B --loglevel=INFO

clean:
	rm -rf $(VENV) var .coverage
