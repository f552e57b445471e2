"""One writer per profile: a second tutor process gets a clear "already open" message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import ROOT, record_then_die

from tutor.store import StoreError, StudyStore

HOLDER = """
import sys
from tutor.store import StudyStore
store = StudyStore(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
store.close()
"""

CONTENDER = """
import sys
from tutor.store import StoreError, StudyStore
try:
    StudyStore(sys.argv[1], profile="ana").close()
except StoreError as exc:
    print(exc)
    sys.exit(2)
print("opened")
"""


def test_a_second_process_is_told_who_holds_the_profile(tmp_path: Path) -> None:
    folder = tmp_path / "ana"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError) as caught:
            StudyStore(folder, profile="ana")
        message = str(caught.value)
        assert message == (f"profile 'ana' is already open by another tutor (pid {holder.pid});"
                           " close it first or use --profile NAME")
    finally:
        holder.communicate("", timeout=60)
    assert holder.returncode == 0
    StudyStore(folder).close()  # free again once the other tutor has closed


def test_this_process_holding_it_refuses_another_process(tmp_path: Path) -> None:
    folder = tmp_path / "ana"
    with StudyStore(folder):
        result = subprocess.run([sys.executable, "-c", CONTENDER, str(folder)], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2
        assert f"already open by another tutor (pid {os.getpid()})" in result.stdout
        with pytest.raises(StoreError, match="already open"):
            StudyStore(folder)  # a second store in the same process is refused too
    result = subprocess.run([sys.executable, "-c", CONTENDER, str(folder)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "opened"


def test_a_crashed_tutor_leaves_no_stale_lock(tmp_path: Path) -> None:
    folder = tmp_path / "ana"
    record_then_die(folder, 1)
    with StudyStore(folder) as store:
        assert store.review_count() == 1
