# Two commands set up everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# What mypy checks (the self-test lives in explorer/cli; the window's functions need not all be annotated).
TYPED := explorer/core explorer/sandbox explorer/cli explorer/ui

.PHONY: run test lint bench fuzz screenshots conformance clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

## Install into .venv and open the window (the offline sandbox is the default profile). First check that
## Qt can open a window here: on Linux, install the system libraries it lacks (as root or with password-less
## sudo) or name them and the command that installs them, instead of letting Qt abort.
run: $(STAMP)
	$(BIN)/explorer check-display
	$(BIN)/explorer

## Install into .venv, check style, run the whole test suite (GUI tests run offscreen).
test: $(STAMP)
	$(BIN)/ruff check explorer tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy $(TYPED)
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check explorer tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy $(TYPED)

## schemathesis with the official Discourse spec (../shared) against a freshly started sandbox: no server errors,
## no schema or content-type violations beyond the spec's known defects (docs/sandbox.md). A few minutes.
conformance: $(STAMP)
	$(BIN)/python tests/sandbox/conformance.py

## Performance figures (printed as ratios; not part of the test suite).
bench: $(STAMP)
	$(BIN)/python benchmarks/sandbox.py
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/json_view.py
	$(BIN)/python benchmarks/table_view.py
	$(BIN)/python benchmarks/history.py
	$(BIN)/python benchmarks/curl_parse.py

## The long fuzz run: the hypothesis targets of tests/fuzz with FUZZ_EXAMPLES examples each (the suite runs 25).
FUZZ_EXAMPLES ?= 10000
fuzz: $(STAMP)
	EXPLORER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -p no:cacheprovider -q \
		--timeout=0 --hypothesis-show-statistics tests/fuzz

## Pictures for the README, each from a fresh throwaway home (no remembered panes, methods or profiles).
screenshots: $(STAMP)
	rm -rf build/shot-home build/dark-home
	QT_QPA_PLATFORM=offscreen $(BIN)/explorer --home build/shot-home/main --screenshot docs/screenshots/main.png --method discourse:listLatestTopics --send
	QT_QPA_PLATFORM=offscreen $(BIN)/explorer --home build/shot-home/errors --screenshot docs/screenshots/inline-errors.png --method discourse:createTopicPostPM --send
	QT_QPA_PLATFORM=offscreen $(BIN)/explorer --home build/shot-home/explain --screenshot docs/screenshots/explain.png --method discourse:getTopic --arg id=999999 --send --tab explain
	QT_QPA_PLATFORM=offscreen $(BIN)/explorer --home build/shot-home/table --screenshot docs/screenshots/table.png --method discourse:listLatestTopics --send --tab table
	QT_QPA_PLATFORM=offscreen $(BIN)/explorer --home build/shot-home/disqus --screenshot docs/screenshots/disqus.png --method disqus:get_forum_posts --send
	QT_QPA_PLATFORM=offscreen $(BIN)/explorer --home build/shot-home/free --screenshot docs/screenshots/free-form.png --request docs/examples/free-form-csrf.json --send
	QT_QPA_PLATFORM=offscreen $(BIN)/explorer --home build/shot-home/collections --screenshot docs/screenshots/collections.png --collection docs/examples/collection --request "docs/examples/collection/02 Read a topic.json" --send --tab collections
	mkdir -p build/dark-home/config && echo '{"schema_version": 1, "theme": "dark"}' > build/dark-home/config/settings.json
	QT_QPA_PLATFORM=offscreen $(BIN)/explorer --home build/dark-home --screenshot docs/screenshots/dark.png --method discourse:createTopicPostPM

clean:
	rm -rf $(VENV) build dist *.egg-info
