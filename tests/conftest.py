"""Shared fixtures: every test runs with its own config path and data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DEV_SET = SHARED / "eval" / "grading_dev.jsonl"
#: The user cache where `make` assembled the default model (found before HOME is moved).
MODEL_CACHE = os.environ.get("TUTOR_CACHE_DIR") or str(
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tutor")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point config and data at a temp folder so tests never touch the real ones."""
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    monkeypatch.setenv("TUTOR_CONFIG", str(home / "config" / "config.toml"))
    monkeypatch.setenv("TUTOR_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TUTOR_CACHE_DIR", MODEL_CACHE)
    return home


def run_cli(*args: str, stdin: str = "", env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real `tutor` command line in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        input=stdin, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})}, cwd=ROOT,
    )


@pytest.fixture
def cli():
    """The `run_cli` helper as a fixture."""
    return run_cli
