# The two commands of the README: `make report` and `make test`. Each sets up .venv when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: report test test-fast lint format bench docs lab sample clean-venv

# uv installs the same packages as pip in a fraction of the time (compiled, as pip does: the
# environment may forbid writing bytecode at run time); plain pip is the fallback.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	($(BIN)/python -m pip install --quiet uv && $(BIN)/python -m uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[test]') \
		|| $(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/briefing render --department all

# Everything, in parallel worker processes (pytest-xdist).
test: $(STAMP)
	$(BIN)/python -m pytest -n auto

# The unit tests only: no notebook execution, no whole PDF.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check analysis tests benchmarks
	$(BIN)/ruff format --check analysis tests benchmarks

format: $(STAMP)
	$(BIN)/ruff check --fix analysis tests benchmarks
	$(BIN)/ruff format analysis tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# The API reference, built offline into docs/api/ (not committed).
docs: $(STAMP)
	$(BIN)/python -m pip install --quiet 'pdoc>=14'
	$(BIN)/pdoc analysis analysis.api analysis.survey analysis.stats analysis.tables analysis.report \
		analysis.pipeline analysis.cli analysis.config analysis.exceptions --docformat numpy -o docs/api
	@echo "open docs/api/index.html"

# JupyterLab in the project's environment, for exploring (notebooks/explore.ipynb).
lab: $(STAMP)
	$(BIN)/python -m pip install --quiet 'jupyterlab>=4'
	$(BIN)/jupyter lab notebooks/

sample: $(STAMP)
	$(BIN)/briefing sample --out data/sample --seed 2025

clean-venv:
	rm -rf $(VENV)
