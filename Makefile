# The two commands: `make run` and `make test`. Both create .venv once and
# reinstall only when pyproject.toml changes (llama-cpp-python builds once).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.tutor-installed

.PHONY: run test bench train-grader clean

run: $(STAMP)
	$(BIN)/tutor study

test: $(STAMP)
	$(BIN)/python -m pytest

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar off -e '.[test]'
	touch $(STAMP)

bench: $(STAMP)
	$(BIN)/python bench/models.py

clean:
	rm -rf $(VENV)
