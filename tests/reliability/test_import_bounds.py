"""Issue 16, importers: every input bounded (items 6, 7, 8, 13, the import half of 14, 15).

Each test builds its bad input as a real file in ``tmp_path`` and, where the issue
names a command, runs the real ``tutor`` command line in a child process with a
timeout and a memory limit, so a regression fails the test instead of hanging it or
eating the machine's memory.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tutor.decks.importers import apkg, boundaries, import_text
from tutor.decks.importers.delimited import cloze_card, has_cloze, html_to_text
from tutor.decks.importers.files import import_file
from tutor.decks.importers.markdown import heading_text
from tutor.decks.native import load_deck, parse_deck
from tutor.decks.textio import read_text
from tutor.errors import DeckError

#: A child process may use this much address space (an unbounded read fails fast) and
#: write files this large (a runaway SQLite query's temporary files stop early).
CHILD_MEMORY = 1536 * 1024 * 1024
CHILD_FILE_BYTES = 256 * 1024 * 1024
ESCAPES = ("\x1b[2J", "\x1b]0;evil\x07")


def _limit_resources() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    resource.setrlimit(resource.RLIMIT_FSIZE, (CHILD_FILE_BYTES, CHILD_FILE_BYTES))


def tutor(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real command line, bounded in time, memory and file size."""
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args], capture_output=True, text=True,
        timeout=timeout, cwd=ROOT, env=dict(os.environ), preexec_fn=_limit_resources,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-500:], proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail (not hang) when the block runs past ``seconds``; the regex engine checks
    for signals while it matches, so even a runaway pattern is interrupted."""

    def expire(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"took over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds * 3)
    start = time.perf_counter()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.2f} s (bound {seconds} s)"


# ------------------------------------------------------------------ Anki packages


def _collection(
    notes: list[tuple[str, str]] | str,
    *,
    field_names: tuple[str, ...] = ("Front", "Back"),
    deck_name: str = "Default",
    cards_sql: str | None = None,
    col_sql: str | None = None,
) -> bytes:
    """An Anki collection built with sqlite3: ``notes`` as (fields joined by \\x1f, tags)
    rows, or the SQL that creates ``notes`` (a view, say)."""
    connection = sqlite3.connect(":memory:")
    models = {"1": {"name": "Basic", "flds": [{"name": n, "ord": i}
                                              for i, n in enumerate(field_names)]}}
    decks = {"1": {"name": deck_name}}
    if col_sql:
        connection.execute(col_sql)
    else:
        connection.execute("CREATE TABLE col (id integer, models text, decks text)")
        connection.execute("INSERT INTO col VALUES (1, ?, ?)",
                           (json.dumps(models), json.dumps(decks)))
    if isinstance(notes, str):
        connection.execute(notes)
    else:
        connection.execute("CREATE TABLE notes (id integer primary key, mid integer,"
                           " flds text, tags text)")
        connection.executemany("INSERT INTO notes VALUES (?, 1, ?, ?)",
                               [(i, f, t) for i, (f, t) in enumerate(notes, start=1)])
    if cards_sql:
        connection.execute(cards_sql)
    else:
        connection.execute("CREATE TABLE cards (id integer, nid integer, did integer,"
                           " ord integer)")
        if not isinstance(notes, str):
            connection.executemany("INSERT INTO cards VALUES (?, ?, 1, 0)",
                                   [(i, i) for i in range(1, len(notes) + 1)])
    data = connection.serialize()
    connection.close()
    return data


def _package(path: Path, database: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", database)
        archive.writestr("media", "{}")
    return path


_RECURSIVE = (
    "CREATE VIEW {name} AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)"
    " SELECT {columns} FROM r"
)


# ------------------------------------------------------------------ found on the way


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("quizwiz", "Term\nDefinition\nHow well did you know this?\n²\n"),
        ("knowt", "Term\nDefinition\nHow well did you know this?\n²\n"),
        ("brainscape", "Q:\nWhat?\nA:\nThat\nHow well did you know this?\n²\n"),
        ("csv", "#separator:comma\n#tags column:²\na,b\n"),
    ],
)
def test_digits_that_int_cannot_read_are_text_not_a_traceback(fmt: str, text: str) -> None:
    """'²' is a digit to str.isdigit but not to int()."""
    assert import_text(text, fmt).format == fmt
