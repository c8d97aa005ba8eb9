# Two commands for a fresh Linux machine with Python >= 3.11:
#   make serve   create .venv if missing, install, serve the notebooks with Voilà
#   make test    create/update .venv and run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8866
HOST ?= 127.0.0.1

.PHONY: serve test bench clean

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,hub]'
	touch $@

serve: $(VENV)/.installed
	$(PY) -m kit serve --port $(PORT) --host $(HOST)

test: $(VENV)/.installed
	$(PY) -m pytest tests --nbval-lax notebooks -p no:cacheprovider

bench: $(VENV)/.installed
	$(PY) bench/run.py

clean:
	rm -rf $(VENV)
