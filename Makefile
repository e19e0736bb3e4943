# SyncWatch — `make help` lists the targets. The two that matter: `make dev` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
# uv is installed as a Python package, so `python3 -m uv` finds it wherever pip put it.
UV ?= python3 -m uv
PY := .venv/bin/python
WEB := services/web
APT_PACKAGES := chromium
service ?=

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: system-deps
system-deps: ## Install Debian packages the tests need (Chromium) when missing and apt is available
	@missing=""; for p in $(APT_PACKAGES); do command -v $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing:$$missing"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "warning: missing$$missing and no apt-get; browser tests will fail"; fi; \
	fi

.PHONY: uv
uv:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

.venv/.synced: uv.lock pyproject.toml $(wildcard libs/*/pyproject.toml services/*/pyproject.toml) | uv
	$(UV) sync --all-packages --frozen
	@touch $@

.PHONY: install
install: system-deps .venv/.synced $(WEB)/node_modules/.installed ## Install everything: Python deps (uv), npm deps, Debian packages

$(WEB)/node_modules/.installed: $(WEB)/package-lock.json $(WEB)/package.json
	cd $(WEB) && npm ci --no-audit --no-fund
	@touch $@

.PHONY: web
web: $(WEB)/node_modules/.installed ## Build the SPA into services/web/dist
	cd $(WEB) && npm run build

.PHONY: dev
dev: install web ## Run the whole product on one machine: http://127.0.0.1:8080 (SYNCWATCH_PORT)
	$(PY) -m syncwatch.devstack

.PHONY: run
run: install ## Run one service alone against DATABASE/REDIS/NATS from its env vars: make run service=room
	@test -n "$(service)" || { echo "usage: make run service=<name>"; exit 2; }
	$(PY) -m syncwatch.$(subst -,_,$(service))

.PHONY: proto
proto: .venv/.synced ## Regenerate libs/proto from proto/ and the TypeScript protocol types
	$(PY) scripts/gen_proto.py
	$(PY) -m syncwatch.protocol.typescript

.PHONY: proto-check
proto-check: .venv/.synced ## Fail when generated code is stale
	$(PY) scripts/gen_proto.py --check
	$(PY) -m syncwatch.protocol.typescript --check

.PHONY: lint
lint: install proto-check ## ruff, strict mypy, ESLint and tsc
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy libs/*/src $(filter-out services/web/src,$(wildcard services/*/src))
	cd $(WEB) && npm run lint && npm run typecheck

.PHONY: fmt
fmt: .venv/.synced ## Format Python code
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

.PHONY: test-web
test-web: $(WEB)/node_modules/.installed ## SPA unit tests (Vitest)
	cd $(WEB) && npm test

.PHONY: test-unit
test-unit: install ## Python unit tests
	$(UV) run --frozen pytest -m "not integration and not e2e" libs services

.PHONY: test-integration
test-integration: install ## Integration tests against real PostgreSQL, Redis, NATS
	$(UV) run --frozen pytest -m integration libs services

.PHONY: test-e2e
test-e2e: install web ## End-to-end tests: the make-dev stack driven by Playwright + Chromium
	$(UV) run --frozen pytest -m e2e libs services

.PHONY: test
test: install web proto-check test-web ## Every test: unit, integration, end-to-end (Python) and Vitest
	$(UV) run --frozen pytest libs services

.PHONY: bench-gateway
bench-gateway: install ## Gateway fan-out benchmark next to a bare websockets server (ARGS="--rooms 300 --commands 20")
	$(UV) run --frozen python loadtests/bench_gateway.py $(ARGS)

.PHONY: bench-sync
bench-sync: APT_PACKAGES += ffmpeg
bench-sync: install web ## Sync precision in real browsers next to a naive apply-on-receipt client (ARGS="--viewers 5 --fps 60")
	$(UV) run --frozen python loadtests/bench_sync.py $(ARGS)

.PHONY: clean
clean: ## Remove build outputs and caches (not .syncwatch state)
	rm -rf .venv $(WEB)/node_modules $(WEB)/dist .mypy_cache .ruff_cache .pytest_cache test-artifacts
