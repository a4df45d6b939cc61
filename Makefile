# recoupe: set-up, demo and tests.  Every target creates .venv/ first if needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test eval-dev bench clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==24.3.1"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)  ## create .venv/ with every pinned dependency

demo: $(STAMP)  ## extract the sample corpus into out/sample.jsonl and score it
	mkdir -p out
	$(BIN)/recoupe extract examples/articles -o out/sample.jsonl
	$(BIN)/recoupe eval examples/gold examples/articles

test: $(STAMP)  ## run the test suite
	$(BIN)/python -m pytest -q

eval-dev: $(STAMP)  ## score the dev corpus with the shared, independent scorer
	mkdir -p out
	$(BIN)/recoupe extract ../shared/corpus/dev/articles -o out/dev.jsonl
	python3 ../shared/tools/score.py ../shared/corpus/dev/gold out/dev.jsonl

BENCH_ARGS ?=
bench: $(STAMP)  ## throughput, memory, ingest rates, the 100,000-article store, API latency (bench/run.py --help)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) out
