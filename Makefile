# One way to run things. `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
DEMO_DB ?= examples.db

.PHONY: install demo test lint gate bench clean

$(BIN)/marsad: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(BIN)/marsad

install: $(BIN)/marsad

## Ingest the bundled examples into $(DEMO_DB), then show what the store holds.
demo: install
	$(BIN)/marsad ingest examples --db $(DEMO_DB)
	$(BIN)/marsad stats --db $(DEMO_DB)
	$(BIN)/marsad search "العاصمة" --db $(DEMO_DB) --limit 3

## The test suite (needs nothing outside this repository).
test: install
	$(BIN)/python -m pytest -q

## Style and types.
lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

## Accuracy gate on the seed articles (skips when $(SHARED) is absent).
gate: install
	$(BIN)/python scripts/eval_gate.py --shared $(SHARED)

## Benchmarks: ingest throughput and time per stage over SaudiNewsNet, and the dates
## comparison with dateparser (the corpus parts skip when $(SHARED) is absent).
bench: install
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/throughput.py --shared $(SHARED)
	$(BIN)/python benchmarks/stages.py --shared $(SHARED)
	$(BIN)/python benchmarks/stories.py --shared $(SHARED) --sample 20 --memory
	$(BIN)/python -m pip install --quiet -e ".[batch]"
	$(BIN)/python benchmarks/batch.py --shared $(SHARED)
	$(BIN)/python benchmarks/dates_vs_dateparser.py --seeds $(SHARED)/seeds

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache .mypy_cache .ruff_cache
