# The two set-up commands of the README. Both work on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: serve test install install-test knowledge vectors

$(PY):
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip

install: $(PY)
	$(PIP) install -q -e .

install-test: $(PY)
	$(PIP) install -q -e '.[test]'
	@command -v chromium >/dev/null 2>&1 || { (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "warning: could not install chromium; browser tests will be skipped"; }

knowledge: install
	$(VENV)/bin/madoguchi import knowledge/

# Re-embed the sample knowledge's texts into knowledge/.vectors/ after editing it (its first import then embeds nothing).
vectors: install
	$(PY) -m indexing.vector_seeds knowledge/

# Install, load the sample knowledge and serve the web chat (and LINE/Slack when configured) on localhost.
serve: knowledge
	$(VENV)/bin/madoguchi serve --host 127.0.0.1 --port $${PORT:-8000}

# Install with test extras and run the whole suite.
test: install-test
	$(PY) -m pytest
