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
	$(BIN)/python -m tutor.grading.modelpack
	touch $(STAMP)

bench: $(STAMP)
	$(BIN)/python bench/models.py

# The probe grader's head: extract hidden states (cached in $$TUTOR_PROBE_CACHE, default
# ~/.cache/tutor/probe; ~20 min on 2 cores the first time), then fit and choose on the
# validation split; writes models/grader-probe.npz and .json. `python bench/probe.py` measures it.
train-grader: $(STAMP)
	nice -n 10 $(BIN)/python training/extract.py
	nice -n 10 $(BIN)/python training/train_probe.py

clean:
	rm -rf $(VENV)
