# The two commands a newcomer types: `make run` and `make test`. Both bootstrap .venv from
# pyproject.toml on a bare machine (python3 with venv is all they need).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINT_STAMP := $(VENV)/.installed-lint
EVAL ?= ../shared/eval
N ?= 1000

.PHONY: install run test lint eval gate bench clean

install: $(STAMP)

# Re-install only when pyproject.toml changes, so a second `make install` does nothing.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(LINT_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $(LINT_STAMP)

run: install
	$(BIN)/briefgen batch sources/briefgen.toml

test: install
	$(BIN)/python -m pytest -q

# ruff (rules in pyproject.toml), the formatter in check mode, and mypy (files and flags there too).
lint: $(LINT_STAMP)
	$(BIN)/ruff check src tests bench eval
	$(BIN)/ruff format --check src tests bench eval
	$(BIN)/mypy

# Both scorers of the shared evaluation on its dev set, as one table beside the pinned floors.
eval: install
	$(BIN)/python eval/gate.py --eval $(EVAL) --table-only

# The same figures, refused when one falls below its floor in eval/floors.toml (what CI runs).
gate: install
	$(BIN)/python eval/gate.py --eval $(EVAL)

bench: install
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/keypoints.py
	$(BIN)/python bench/actors.py
	$(BIN)/python bench/analysis_speed.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/batch.py --n 100 1000 --pandoc-limit 100

clean:
	rm -rf out .pytest_cache
