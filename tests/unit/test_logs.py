"""`tutor.logs`: failures go to a size-bounded log file with their traceback, made on first
use; `--debug` prints them too; an unusable data folder never breaks anything."""

from __future__ import annotations

import contextlib
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor import logs
from tutor.errors import ModelError
from tutor.logs import (
    configure_logging,
    flush_debug_log,
    log_failure,
    log_path,
    stop_logging,
)


@pytest.fixture(autouse=True)
def no_logging_left_behind() -> Iterator[None]:
    """Logging is process-wide: take this test's handlers away after it."""
    yield
    stop_logging()


def load_failure() -> ModelError:
    """A model error raised the way the backends raise theirs: `from None` over the cause."""
    try:
        try:
            raise ValueError("Failed to load model from file: broken.gguf\n(details)")
        except ValueError:
            raise ModelError("cannot load model broken.gguf") from None
    except ModelError as exc:
        return exc


def test_the_log_is_made_on_the_first_failure_with_the_whole_traceback(tmp_path: Path) -> None:
    data = tmp_path / "not" / "yet"
    configure_logging(data)
    assert not data.exists()  # nothing is made before something is logged
    message = log_failure("the grading model failed to load", load_failure())
    assert message == "cannot load model broken.gguf"
    text = log_path(data).read_text(encoding="utf-8")
    assert "ERROR [MainThread] test_logs.test_the_log_is_made_on_the_first_failure" in text
    assert "the grading model failed to load: cannot load model broken.gguf" in text
    assert "Traceback (most recent call last)" in text and "in load_failure" in text
    # The cause the one-line message hid is in the log.
    assert "ValueError: Failed to load model from file: broken.gguf\n(details)" in text
    assert stat.S_IMODE(os.stat(log_path(data)).st_mode) == 0o600


def test_the_log_is_size_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_LOG_BYTES", 4_000)
    data = tmp_path / "data"
    configure_logging(data)
    for number in range(60):
        log_failure(f"failure {number}", load_failure())
    names = sorted(path.name for path in data.iterdir())
    assert names == ["tutor.log", "tutor.log.1", "tutor.log.2"]
    assert all(path.stat().st_size <= 4_000 for path in data.iterdir())
    assert "failure 59" in log_path(data).read_text(encoding="utf-8")


@pytest.mark.parametrize("damage", ["data folder is a file", "log is a folder", "log is a FIFO"])
def test_an_unusable_data_folder_never_breaks_anything(
        tmp_path: Path, damage: str, capfd: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    if damage == "data folder is a file":
        data.write_text("not a folder", encoding="utf-8")
    elif damage == "log is a folder":
        log_path(data).mkdir(parents=True)
    else:
        data.mkdir()
        os.mkfifo(log_path(data))  # opening it for writing must not wait for a reader
    configure_logging(data)
    for _ in range(2):
        assert log_failure("the model failed", load_failure()) == "cannot load model broken.gguf"
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_debug_prints_the_traceback_on_stderr(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(tmp_path, debug=True)
    log_failure("the model failed", load_failure())
    err = capsys.readouterr().err
    assert "the model failed: cannot load model broken.gguf" in err
    assert "Traceback" in err and "ValueError: Failed to load model" in err
    assert "ValueError: Failed to load model" in log_path(tmp_path).read_text(encoding="utf-8")


def test_debug_records_wait_while_a_ui_holds_stderr(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(tmp_path, debug=True)
    taken = io.StringIO()
    with contextlib.redirect_stderr(taken):  # what Textual does while the app runs
        log_failure("the model failed while grading", RuntimeError("kaput"))
    assert taken.getvalue() == "" and capsys.readouterr().err == ""
    flush_debug_log()
    err = capsys.readouterr().err
    assert "the model failed while grading: kaput" in err and "RuntimeError: kaput" in err
    flush_debug_log()
    assert capsys.readouterr().err == ""  # printed once
