"""Issue 16, items 8 (config half), 11 and 16: the settings file is read bounded and every
value range-checked at load; the scheduler cannot overflow a date; every ``--out``/``-o``
refuses what is not a regular file and a missing folder, and writes through a symlink.

Device targets are a character device made in ``tmp_path`` with /dev/null's numbers
(we run as root in CI, where a regression would otherwise replace the real /dev/null);
without root, /dev/null itself is used, which a non-root process cannot replace.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tutor.errors import ConfigError
from tutor.settings import load_settings

#: A quick command's time limit: a hang fails the test instead of stalling the suite.
QUICK = 30


def config(text: str) -> Path:
    path = Path(os.environ["TUTOR_CONFIG"])
    path.write_text(text, encoding="utf-8")
    return path


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# ------------------------------------------------------ item 8: the config file, bounded


def test_config_on_dev_zero_is_refused_at_once() -> None:
    proc = run_cli("report", env={"TUTOR_CONFIG": "/dev/zero"}, timeout=QUICK)
    assert_one_line_error(proc, "/dev/zero", "device")


def test_config_on_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    proc = run_cli("report", env={"TUTOR_CONFIG": str(fifo)}, timeout=QUICK)
    assert_one_line_error(proc, str(fifo), "FIFO")


def test_config_folder_and_oversized_file_are_refused(tmp_path: Path) -> None:
    proc = run_cli("report", env={"TUTOR_CONFIG": str(tmp_path)}, timeout=QUICK)
    assert_one_line_error(proc, "folder")
    big = config("# padding\n" * 200_000)
    assert big.stat().st_size > 1_000_000
    with pytest.raises(ConfigError, match="is over 1 MB"):
        load_settings(big)
