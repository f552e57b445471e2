"""`tutor study` from the command line: errors before the UI starts are one line, exit 2."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import run_cli
from tutor.store import StudyStore


def test_locked_profile_is_one_line_and_exit_2(tmp_path: Path) -> None:
    deck = tmp_path / "one.deck"
    deck.write_text("title: One\n---\nQ: 2+2?\nA: 4\n", encoding="utf-8")
    profile = Path(os.environ["TUTOR_DATA_DIR"]) / "profiles" / "default"
    with StudyStore(profile):
        result = run_cli("study", str(deck))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("tutor: profile 'default' is already open by another tutor")
    assert "pid" in lines[0]
    assert result.stdout == ""


def test_unknown_deck_is_one_line_and_exit_2() -> None:
    result = run_cli("study", "no-such-deck", "--rules")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("tutor: no deck named 'no-such-deck'")
    assert len(result.stderr.strip().splitlines()) == 1
