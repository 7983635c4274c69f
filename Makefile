# `make demo` and `make test` do all the set-up themselves on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SEED   := seeds/000_5c46bab77c95ce4d.txt

.PHONY: demo test test-thorough clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run the install when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,web]'
	touch $@ $(VENV)/.installed

# Checks the seed report; exit 1 only means the report has error findings, which is a result, not a failure.
demo: $(VENV)/.installed
	$(BIN)/gongkai check $(SEED); test $$? -le 1

# The HTML report is tested in headless Chromium; the script installs it (Debian packages) when missing.
test: $(VENV)/.installed-test
	bash scripts/install-browser.sh
	$(BIN)/python -m pytest -q

# Every Hypothesis property again, with many more examples (CI runs this too).
test-thorough: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=thorough $(BIN)/python -m pytest -q -m hypothesis

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
