# The two commands a newcomer types: `make run` and `make test`. Both bootstrap .venv from
# pyproject.toml on a bare machine (python3 with venv is all they need).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINT_STAMP := $(VENV)/.installed-lint
EVAL ?= ../shared/eval
N ?= 1000

.PHONY: install run test lint eval gate bench clean fuzz

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
	@# WeasyPrint subsets fonts with HarfBuzz's libharfbuzz-subset (else it takes a slow path);
	@# LibreOffice converts the DOCX to count its pages. Installed here when missing and root.
	@missing=""; for pkg in libharfbuzz-subset0 libreoffice-writer-nogui; do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null || \
	  { apt-get update -q >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; }; \
	elif [ -n "$$missing" ]; then echo "bench: not installed:$$missing (the render figures need them)"; fi
	$(BIN)/python bench/run_all.py --parallel $(or $(BENCH_PARALLEL),1)

# Mutated example sources through the readers: N random cases per format (make fuzz N=1000).
fuzz: install
	FUZZ_N=$(N) $(BIN)/python -m pytest -q tests/test_fuzz_readers.py

clean:
	rm -rf out .pytest_cache
