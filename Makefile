# Every target bootstraps .venv on its own: created when absent, reinstalled only when
# pyproject.toml changed (the stamp file records the last install).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint screenshots demo clean setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/cockpit demo

test: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# each benchmark file in a process of its own, so one's heap and threads do not skew the next
bench: $(STAMP)
	@set -e; for f in tests/bench/test_*.py; do $(BIN)/python -m pytest -q -s $$f $(PYTEST_ARGS); done

lint: $(STAMP)
	$(BIN)/ruff check core cockpit widgets tests
	$(BIN)/lint-imports

screenshots: $(STAMP)
	$(BIN)/python -m cockpit.screenshots screenshots

clean:
	rm -rf $(VENV) build *.egg-info
