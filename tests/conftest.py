"""Shared fixtures: every test runs with its own config path and data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Copies of the project's shared seed pages and grading dev set (tests/data/README.md).
DATA = ROOT / "tests" / "data"
SEEDS = DATA / "seeds"
DEV_SET = DATA / "eval" / "grading_dev.jsonl"
#: The seed pages, named (not globbed): a missing one fails its tests instead of vanishing.
SEED_FILES = tuple(SEEDS / name for name in (
    "000_c3e184e25138dc8a.txt", "001_98cc16c78f1ea251.txt", "002_e54a7b1d5fe08a38.txt",
    "003_f5b377ef4079fc61.txt", "004_d2cd7cc23af36c3d.txt"))
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
    # Tests start tutor as someone who has closed the first-start welcome already;
    # tests/functional/test_tui_welcome.py starts it as a new user.
    from tutor.settings import Settings

    marker = Settings().welcome_marker
    marker.parent.mkdir(parents=True)
    marker.touch()
    return home


@pytest.fixture(autouse=True)
def rules_unless_default_model(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process, the default grader is the rules unless a test is marked ``default_model``.

    The default model is 1.1 GB and reads ~900 prompt tokens when it loads: every UI test
    that builds an app with default settings would load it behind the UI, for nothing. The
    model's own tests, and the tests marked ``default_model``, use the real one; a test
    that names a grader (``--rules``, ``--model``, an injected grader) gets that.
    """
    if request.node.get_closest_marker("default_model"):
        return
    from tutor.grading import factory, service
    from tutor.grading.policy import GradingPolicy

    monkeypatch.setattr(factory, "_default_policy", lambda *args: GradingPolicy(
        notes=("grading with rules (tests: the default model is off unless marked)",)))
    # ... and rules are then what was asked for, not a fallback (no warning in the UI).
    monkeypatch.setattr(service, "model_wanted",
                        lambda settings: settings.model.enabled
                        and bool(settings.model.path or settings.model.server))


def default_model_path() -> Path:
    """The assembled, verified default GGUF (Qwen2.5-Coder-1.5B) for tests that need a real
    model file; when it is missing or damaged the test fails with the one-line reason."""
    from tutor.errors import ModelError
    from tutor.grading.modelpack import ensure_model

    try:
        return ensure_model()
    except ModelError as exc:
        pytest.fail(f"this test needs the default model, which is not usable: {exc.message} "
                    f"(`make` assembles it into {MODEL_CACHE}/models; TUTOR_CACHE_DIR moves it)",
                    pytrace=False)


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
