# Civic Inbox — the targets a newcomer guesses. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PACKAGES := contracts eventing services/connectors services/triage services/responder services/inbox services/sandbox services/notifier
STAMP := $(VENV)/.installed

.PHONY: help venv browser-tools trace-viewer run test test-unit test-all lint k8s faults bench triage-model infra-up infra-down infra-status contracts asyncapi clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

venv: $(STAMP) ## Create .venv and install every package from pinned versions

$(STAMP): requirements.txt $(foreach p,$(PACKAGES),$(p)/pyproject.toml)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps $(foreach p,$(PACKAGES),-e $(p))
	@touch $@

run: venv ## Run everything: Kafka, FerretDB, every service and sample traffic (Ctrl-C stops it all)
	@bash deploy/run.sh

test: venv browser-tools trace-viewer ## Unit, integration, end-to-end and browser tests (starts its own Kafka and FerretDB on test ports)
	$(PY) -m pytest

trace-viewer: ## Build the local trace store and viewer (Jaeger v2, with go) once; cached under .local
	@bash deploy/tracing.sh path >/dev/null

faults: venv trace-viewer ## The long fault suite: 2,400 messages and replies while services, Kafka and the store fail
	FAULTS_FULL=1 $(PY) -m pytest tests/faults -s -q

browser-tools: ## Chromium (apt) and axe-core (npm) for the browser tests, when missing
	@bash deploy/browser.sh

test-unit: venv ## Only the tests that need no infrastructure
	$(PY) -m pytest -m "not integration"

test-all: test lint ## Tests and lint

lint: venv ## Ruff over the whole tree
	$(VENV)/bin/ruff check .

k8s: venv ## Render the Kubernetes overlays (kustomize) and validate every object (kubeconform, offline schemas)
	@bash deploy/k8s/tools.sh validate

triage-model: venv ## Rebuild the shipped triage model from the project's seed corpus (after editing triage/seed/)
	$(PY) -m triage.cli triage train --input services/triage/src/triage/seed/*.jsonl --output services/triage/src/triage/model --class-weight none
	$(PY) -m triage.cli triage train-neural --output services/triage/src/triage/model
	$(PY) -m triage.cli triage train-intent --output services/triage/src/triage/model
	$(PY) -m triage.cli triage train-hate --output services/triage/src/triage/model

BENCH_ARGS ?=
BENCH_INBOX_N ?= 100000
bench: venv infra-up ## Benchmarks, reported not asserted: the pipeline (BENCH_ARGS=--quick for a short run), triage, the inbox's first page
	$(PY) benchmarks/bench_pipeline.py $(BENCH_ARGS)
	$(PY) benchmarks/bench_triage.py
	@if [ -f ../shared/data/fms_dev.jsonl ]; then $(PY) benchmarks/bench_triage.py --input ../shared/data/fms_dev.jsonl; fi
	$(PY) benchmarks/bench_inbox_render.py -n $(BENCH_INBOX_N)

infra-up: ## Start Kafka (KRaft) on 127.0.0.1:9092 and FerretDB on 127.0.0.1:27017
	@bash deploy/infra.sh up

infra-down: ## Stop what infra-up started
	@bash deploy/infra.sh down

infra-status: ## Is Kafka running? Is FerretDB?
	@bash deploy/infra.sh status

contracts: venv ## Rewrite the JSON Schema snapshots of the contracts
	$(PY) -m civic_contracts.snapshot

asyncapi: venv ## Generate the AsyncAPI document of each service under docs/asyncapi
	$(PY) deploy/asyncapi.py docs/asyncapi

clean: ## Remove the virtualenv (keeps .local: data and caches)
	rm -rf $(VENV)
