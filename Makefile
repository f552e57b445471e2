# The two commands: `make run` and `make test`. Both create .venv once and
# reinstall only when pyproject.toml changes (llama-cpp-python builds once).
# `make check` runs only the linters (ruff, mypy), which `make test` runs before pytest.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.tutor-installed

.PHONY: run test check bench train-grader clean

run: $(STAMP)
	$(BIN)/tutor study

test: check
	$(BIN)/python -m pytest

# Lint and import order (ruff) over the whole tree, types (mypy) over tutor/: pyproject.toml.
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar off -e '.[test]'
	$(BIN)/python -m tutor.grading.modelpack
	touch $(STAMP)

# The default grader measured: its speed and memory (bench/judge.py), then the rules against
# it on the dev set, errors per kind and the injection suite (bench/grading.py).
bench: $(STAMP)
	$(BIN)/python bench/judge.py
	$(BIN)/python bench/grading.py --no-corpus

# The default grader's head: the model judge's log-odds for the corpus and dev (cached and
# resumable in training/cache/; about an hour on 2 cores the first time), then the head fitted
# on the train subjects and chosen on the held-out ones: models/grader-head.json.
train-grader: $(STAMP)
	nice -n 10 $(BIN)/python training/judge_features.py
	$(BIN)/python training/train_head.py

clean:
	rm -rf $(VENV)
