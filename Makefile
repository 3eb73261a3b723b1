# The two commands a newcomer needs: `make run` and `make test`.
# Both create .venv and install the project into it the first time.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python main.py --demo

test: $(STAMP)
	scripts/system-deps.sh
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

bench: export POS_TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
bench: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_foundation
	$(BIN)/python -m tests.benchmarks.bench_escpos
	$(BIN)/python -m tests.benchmarks.bench_devices
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.benchmarks.bench_ui
	$(BIN)/python -m tests.benchmarks.bench_server
	$(BIN)/python -m tests.benchmarks.bench_sync
	$(BIN)/python -m tests.benchmarks.bench_replenishment
	$(BIN)/python -m tests.benchmarks.bench_backoffice
	$(BIN)/python -m tests.benchmarks.bench_zreport
	$(BIN)/python -m tests.benchmarks.bench_reports

clean:
	rm -rf $(VENV) build *.egg-info
