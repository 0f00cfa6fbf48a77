# The two commands a newcomer types: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test bench clean

install: $(STAMP)

# Re-install only when pyproject.toml changes, so a second `make install` does nothing.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(BIN)/briefgen batch sources/briefgen.toml

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/keypoints.py
	$(BIN)/python bench/actors.py
	$(BIN)/python bench/analysis_speed.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/batch.py --n 100 1000 --pandoc-limit 100

clean:
	rm -rf out .pytest_cache
