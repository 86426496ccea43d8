# Quick start: `make run` (install the pipeline, then build the dataset) and `make test`
# (install the test and Dask extras, then run the tests). Each install has its own stamp,
# so `make run` never pulls in the test tools and `make test` adds them on top.
VENV ?= .venv
PYTHON ?= python3
PIP = $(VENV)/bin/pip install --quiet -c constraints.txt

$(VENV)/.created:
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	touch $@

# The pipeline only: what `ncpi run` needs.
$(VENV)/.installed-run: $(VENV)/.created pyproject.toml constraints.txt
	$(PIP) -e .
	touch $@

# Tests (pytest, selenium, Datasette) and the Dask scale-out.
$(VENV)/.installed-test: $(VENV)/.installed-run
	$(PIP) -e ".[test,dask]"
	touch $@

# The browsable site (Datasette).
$(VENV)/.installed-browse: $(VENV)/.installed-run
	$(PIP) -e ".[browse]"
	touch $@

.PHONY: install install-test run test browse
install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

run: $(VENV)/.installed-run
	$(VENV)/bin/ncpi run

# Two workers, each test file kept on one of them (its module fixtures built once).
test: $(VENV)/.installed-test
	$(VENV)/bin/python -m pytest -n 2 --dist loadfile

browse: $(VENV)/.installed-browse
	$(VENV)/bin/ncpi browse
