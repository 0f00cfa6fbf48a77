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
	@# WeasyPrint subsets fonts with HarfBuzz's libharfbuzz-subset (else it takes a slow path);
	@# LibreOffice converts the DOCX to count its pages. Installed here when missing and root.
	@missing=""; for pkg in libharfbuzz-subset0 libreoffice-writer-nogui; do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null || \
	  { apt-get update -q >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; }; \
	elif [ -n "$$missing" ]; then echo "bench: not installed:$$missing (the render figures need them)"; fi
	$(BIN)/python bench/run_all.py --parallel $(or $(BENCH_PARALLEL),1)

clean:
	rm -rf out .pytest_cache
