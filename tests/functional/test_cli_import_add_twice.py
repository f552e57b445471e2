"""`tutor import --add` of a deck already in your decks: the refusal names --title and
--force, and both do what it says (the help says --force replaces an added deck too)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli

TSV = "What is the powerhouse of the cell?\tmitochondria\n"


def test_adding_a_deck_twice_is_refused_then_renamed_or_replaced(
        tmp_path: Path, isolated_home: Path) -> None:
    source = tmp_path / "cells.tsv"
    source.write_text(TSV, encoding="utf-8")
    assert run_cli("import", str(source), "--add").returncode == 0
    again = run_cli("import", str(source), "--add")
    assert again.returncode == 2 and "--title" in again.stderr and "--force" in again.stderr
    assert run_cli("import", str(source), "--add", "--title", "Cells 2").returncode == 0
    assert run_cli("import", str(source), "--add", "--force").returncode == 0
    help_text = " ".join(run_cli("import", "--help").stdout.split())
    assert "--force replace a deck of that name in your decks (--add) or an existing OUT" \
        in help_text
