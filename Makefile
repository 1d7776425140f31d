# newsfacts: `make demo` and `make test` are the quickstart; both build .venv from the lock file.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	# Compiled now, as pip would: every process (each analysis process of a run, too) would
	# otherwise compile spaCy and the rest from source at start where bytecode is not written.
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

demo: $(STAMP)  ## install, then ingest the sample site into ./newsfacts.db
	$(BIN)/newsfacts demo

test: $(STAMP)  ## install, lint, then run the whole test suite (SQLite and PostgreSQL)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)  ## print the benchmark figures (needs ../shared/data beside the checkout)
	$(BIN)/python bench/nlp_eval.py
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/langid.py
	$(BIN)/python bench/fetch.py
	$(BIN)/python bench/pipeline.py --articles 1000

lock:  ## re-pin every dependency (all extras: the tests use them) after editing pyproject.toml
	$(BIN)/uv pip compile --quiet pyproject.toml --all-extras --python-version 3.11 \
		--generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
