# Two commands: `make run` starts the bot, `make test` runs the whole suite.
# Both build a project-local virtual environment from the committed lock file.
PYTHON ?= python3
VENV := .venv
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
PY := $(VENV)/bin/python

.PHONY: run test lint lock bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet "uv==0.13.9"

# Bytecode is compiled once at install: with PYTHONDONTWRITEBYTECODE set (as on some
# machines), every start would otherwise compile the dependencies again (seconds each).
$(VENV)/.synced: requirements.lock pyproject.toml | $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	$(UV) pip sync --quiet --compile-bytecode --python $(PY) requirements.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	touch $@

run: $(VENV)/.synced
	$(VENV)/bin/tutor run

test: $(VENV)/.synced
	$(VENV)/bin/ruff check bot cogs tests bench
	$(VENV)/bin/ruff format --check --quiet bot cogs tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

bench: $(VENV)/.synced
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

lock: | $(UV)
	$(UV) pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --quiet -o requirements.lock

clean:
	rm -rf $(VENV) $(TOOLS)
