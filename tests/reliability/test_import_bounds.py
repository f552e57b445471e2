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
from tutor.decks.importers.anki_fields import cloze_card, has_cloze, html_to_text
from tutor.decks.importers.files import import_file
from tutor.decks.importers.markdown import heading_text
from tutor.decks.model import valid_card_id
from tutor.decks.native import load_deck, parse_deck
from tutor.decks.sanitize import clean_text
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


# ------------------------------------------------------------------ item 6: cloze and regexes


def test_cloze_markers_are_parsed_in_linear_time(tmp_path: Path) -> None:
    unclosed = "{{c1::" * 100_000
    with within(2.0):
        assert not has_cloze(unclosed)
        assert not has_cloze("x" + unclosed + "}")
    with within(2.0):
        front, back = cloze_card("{{c1::a}} " + unclosed, html=True)
    assert back == "a" and front.startswith("[...] {{c1::{{c1::") and len(front) > 500_000
    closed = "{{c1::" * 50_000 + "deep" + "}}" * 50_000
    with within(2.0):
        assert cloze_card(closed, html=False) == ("[...]", "deep")

    csv_file = tmp_path / "cloze.csv"  # 20,000 markers: a field under csv's 128 KiB default
    csv_file.write_text(f'"{"{{c1::" * 20_000}",back\nq2,a2\n', encoding="utf-8")
    with within(2.0):
        result = import_file(csv_file, "csv")
    assert [c.front[:12] for c in result.cards] == ["{{c1::{{c1::", "q2"]

    package = _package(tmp_path / "cloze.apkg", _collection([("{{c1::" * 20_000 + "\x1fb", "")]))
    assert package.stat().st_size < 5_000
    with within(2.0):
        result = import_file(package)
    assert len(result.cards) == 1 and result.cards[0].front.startswith("{{c1::{{c1::")


@pytest.mark.parametrize(
    ("text", "front", "back"),
    [
        ("The capital of {{c1::France}} is {{c2::Paris::city}}.",
         "The capital of [...] is [city].", "France\nParis"),
        ("{{c1::a::b::c}} end", "[b::c] end", "a"),
        ("{{c1::outer {{c2::inner}} text}} after", "[...] after", "outer inner text"),
        ("{{c1::outer {{c2::inner::h2}} text::hint}}", "[hint]", "outer inner text"),
        ("open {{c1::never closed, {{c2::closed}}", "open {{c1::never closed, [...]", "closed"),
        ("stray }} then {{c3::x}}}", "stray }} then [...]}", "x"),
        ("{{c1::<b>bold</b>}}<br>line", "[...]\nline", "bold"),
        ("empty {{c1::}} deletion", "empty [...] deletion", ""),
    ],
)
def test_cloze_forms(text: str, front: str, back: str) -> None:
    assert has_cloze(text)
    assert cloze_card(text) == (front, back)


def test_unclosed_cloze_is_not_a_cloze() -> None:
    for text in ("{{c1::open", "{{c1:: a ::hint", "{{c::x}}", "}} {{c1"):
        assert not has_cloze(text), text


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("lines", "Abc" * 30_000),  # a term, then an '(ABBREVIATION)' later on the line
        ("lines", "Ab" * 50_000),
        ("lines", "a(" * 100_000),  # a formula: a call closed later on the line
        ("lines", "What" + " " * 200_000 + "is it"),  # a question's trailing '(note)'
        ("lines", "(" * 200_000 + "x"),  # parentheticals dropped to spot repeats
        ("markdown heading", "a" + " " * 200_000 + "b"),
        ("csv field", "<br" * 200_000),  # does the field hold HTML?
        ("csv field", "[sound:" * 100_000 + "<b>x</b>"),
        ("html", "<a " * 100_000),
        ("html", "<!--" * 100_000),
    ],
    ids=lambda value: value if len(value) < 30 else repr(value[:8]),
)
def test_pathological_lines_take_linear_time(where: str, text: str) -> None:
    """One long line built to make a backtracking pattern retry from every position."""
    run = {
        "lines": lambda t: import_text(f"What is a cell?\nThe unit of life.\n{t}\nanswer\n",
                                       "lines"),
        "markdown heading": lambda t: import_text(f"## Topic\n### {t}\nanswer\n", "markdown"),
        "csv field": lambda t: import_text(f'q,"{t}"\nq2,a2\n', "csv"),
        "html": html_to_text,
    }[where]
    with within(3.0):
        run(text)


def test_the_old_patterns_still_decide_the_same() -> None:
    assert boundaries.has_abbreviated_term("Deoxyribonucleic acid (DNA)")
    assert boundaries.has_abbreviated_term("Graphics processing units (GPUs)")
    assert not boundaries.has_abbreviated_term("(DNA) first")
    assert not boundaries.has_abbreviated_term("Deoxyribonucleic acid\n(DNA)")
    assert boundaries.looks_like_formula("f(x) = 2") and boundaries.looks_like_formula("max(a)")
    assert boundaries.looks_like_formula("2 * n") and not boundaries.looks_like_formula("f(x")
    assert boundaries.is_question("What is it? (see ch. 2)")
    assert not boundaries.is_question("It is (really?) true")
    assert boundaries.normalise_line("Mitosis (cell division) phases (x") == "mitosis phases x"
    assert heading_text("Title ##") == "Title" and heading_text("C#") == "C#"
    assert html_to_text("a <!-- <b>note</b> --> b<br>c &lt; d") == "a b\nc < d"
    assert html_to_text("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2"
    markdown = import_text("# Cells\n## Basics ##\n### What is a cell?   ##\nThe unit of life.\n"
                           "###\tC# or F#?\nC#\n", "markdown")
    assert [(c.front, c.back, c.topic) for c in markdown.cards] == [
        ("What is a cell?", "The unit of life.", "Basics"), ("C# or F#?", "C#", "Basics"),
    ]


# ------------------------------------------------------------------ item 7: crafted SQLite


def test_a_recursive_notes_view_is_refused_not_run(tmp_path: Path) -> None:
    view = _RECURSIVE.format(
        name="notes", columns="n AS id, 1 AS mid, 'q' || char(31) || 'a' AS flds, '' AS tags"
    )
    package = _package(tmp_path / "view.apkg", _collection(view))
    assert package.stat().st_size < 10_000
    start = time.perf_counter()
    assert_one_line_error(tutor("import", str(package), "--json", timeout=60), "damaged", "notes")
    assert time.perf_counter() - start < 20


def test_views_named_like_anki_tables_are_never_read(tmp_path: Path) -> None:
    """A ``cards`` view is skipped like a missing table: the notes are still read, the
    view's rows (here: a recursive view, then one naming another deck) are not."""
    recursive = _RECURSIVE.format(name="cards", columns="n AS nid, 1 AS did, n AS ord")
    package = _package(tmp_path / "recursive.apkg",
                       _collection([("q\x1fa", "")], cards_sql=recursive))
    start = time.perf_counter()
    proc = tutor("import", str(package), "--json", timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [c["front"] for c in json.loads(proc.stdout)["cards"]] == ["q"]
    assert time.perf_counter() - start < 20

    lying = "CREATE VIEW cards AS SELECT 1 AS nid, 7 AS did, 0 AS ord"
    database = _collection([("q\x1fa", "")], cards_sql=lying,
                           col_sql="CREATE TABLE col (id integer, models text, decks text)")
    connection = sqlite3.connect(":memory:")
    connection.deserialize(database)
    connection.execute("INSERT INTO col VALUES (1, '{}', ?)",
                       (json.dumps({"1": {"name": "Real"}, "7": {"name": "Viewed"}}),))
    connection.commit()
    package = _package(tmp_path / "lying.apkg", connection.serialize())
    proc = tutor("import", str(package))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "cards:    1" in proc.stdout and "Viewed" not in proc.stdout


def test_every_collection_query_runs_under_a_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real table too slow to read (here: the limit set to nothing) stops the import
    with one line, rather than running on."""
    rows = [(f"q{i}\x1fa{i}", "bio") for i in range(20_000)]
    package = _package(tmp_path / "slow.apkg", _collection(rows))
    monkeypatch.setattr(apkg, "MAX_QUERY_SECONDS", 0.0)
    with pytest.raises(DeckError, match="took over 0 s; it was stopped") as caught:
        import_file(package)
    assert "\n" not in str(caught.value)
    monkeypatch.undo()
    assert len(import_file(package).cards) == 20_000


# ------------------------------------------------------------------ item 8: special files


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    ("source", "args", "words"),
    [
        ("/dev/zero", (), ("device",)),
        ("/dev/urandom", (), ("device",)),
        ("/dev/zero", ("--format", "csv"), ("device",)),
        ("/dev/urandom", ("--format", "apkg"), ("device",)),
        ("fifo.csv", (), ("FIFO",)),
        ("fifo.apkg", (), ("FIFO",)),
        ("fifo.txt", ("--format", "apkg"), ("FIFO",)),
        ("folder", (), ("folder",)),
    ],
)
def test_import_refuses_devices_fifos_and_folders(
    tmp_path: Path, source: str, args: tuple[str, ...], words: tuple[str, ...]
) -> None:
    if not source.startswith("/"):
        path = tmp_path / source
        _fifo(path) if source.startswith("fifo") else path.mkdir()
        source = str(path)
    assert_one_line_error(tutor("import", source, *args, timeout=30), source, *words)


def test_deck_files_that_are_devices_or_fifos_are_refused(tmp_path: Path) -> None:
    fifo = _fifo(tmp_path / "pipe.deck")
    for source in ("/dev/zero", str(fifo)):
        assert_one_line_error(tutor("export", source, "--format", "csv", timeout=30),
                              source, "not a deck file")
    with within(2.0), pytest.raises(DeckError, match="FIFO"):
        read_text(fifo)
    with within(2.0), pytest.raises(DeckError, match="device"):
        read_text(Path("/dev/zero"))
    big = tmp_path / "big.deck"
    big.write_bytes(b"x" * 2_000)
    with pytest.raises(DeckError, match="refused"):
        read_text(big, max_bytes=1_000)


# ------------------------------------------------------------------ item 13: long CSV fields


@pytest.mark.parametrize("fmt", ["auto", "csv"])
def test_a_quoted_csv_field_over_128_kib_is_read_whole(tmp_path: Path, fmt: str) -> None:
    long_back = "word, more\n" * 15_000  # 165 kB, commas and newlines inside quotes
    path = tmp_path / "long.csv"
    path.write_text(f'q1,"{long_back}"\nq2,a2\n', encoding="utf-8")
    proc = tutor("import", str(path), "--format", fmt, "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    assert [c["front"] for c in data["cards"]] == ["q1", "q2"]
    assert data["cards"][0]["back"] == long_back.strip() and data["warnings"] == []
    summary = tutor("import", str(path), "--format", fmt).stdout
    assert "format:   csv" in summary and "cards:    2" in summary


# ------------------------------------------------------------------ item 14: TutorID


def test_invalid_and_duplicate_tutor_ids_are_dropped_on_import(tmp_path: Path) -> None:
    fields = ("Front", "Back", "Topic", "TutorID")
    notes = [
        ("Q one\x1fA one\x1fbio\x1fabc\n---\nQ: injected", ""),
        ("Q two\x1fA two\x1fbio\x1f3f9a2c41d0", ""),
        ("Q three\x1fA three\x1fbio\x1f3f9a2c41d0", ""),
        ("Q four\x1fA four\x1fbio\x1fhas space", ""),
        ("Q five\x1fA five\x1fbio\x1fa&amp;b", ""),
    ]
    package = _package(tmp_path / "ids.apkg", _collection(notes, field_names=fields))
    out = tmp_path / "ids.deck"
    proc = tutor("import", str(package), "-o", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "note 1: TutorID 'abc\\n---\\nQ: injected' is not a valid card id" in proc.stdout
    assert "note 3: TutorID '3f9a2c41d0' repeats note 2's" in proc.stdout
    assert "note 4" not in proc.stdout  # an inner space reads back unchanged: a valid id
    deck = load_deck(out, write_ids=False).deck
    assert [c.front for c in deck.cards] == ["Q one", "Q two", "Q three", "Q four", "Q five"]
    ids = [c.id for c in deck.cards]
    assert ids[1] == "3f9a2c41d0" and ids[3] == "has space" and ids[4] == "a&b"
    assert len(set(ids)) == 5
    assert all(valid_card_id(i) for i in ids)
    assert "injected" not in out.read_text(encoding="utf-8")


# ------------------------------------------------------------------ item 15: escapes


def _assert_clean(text: str) -> None:
    for bad in ("\x1b", "\x07", "\x08", "\x9b", "\r"):
        assert bad not in text, repr(text)


def test_escape_sequences_never_reach_the_terminal_from_a_package(tmp_path: Path) -> None:
    e1, e2 = ESCAPES
    fields = ("Front", "Back", "Topic")
    notes = [(f"Fr{e1}ont{e2}\x1fBa{e2}ck\x1fTo{e1}pic", f"ta{e2}g other{e1}tag")]
    package = _package(tmp_path / "evil.apkg",
                       _collection(notes, field_names=fields, deck_name=f"Ti{e1}tle{e2}"))
    as_json = tutor("import", str(package), "--json")
    assert as_json.returncode == 0, as_json.stderr[-2000:]
    _assert_clean(as_json.stdout)
    card = json.loads(as_json.stdout)["cards"][0]
    assert (card["front"], card["back"], card["topic"]) == ("Front", "Back", "Topic")
    summary = tutor("import", str(package))
    assert summary.returncode == 0, summary.stderr[-2000:]
    _assert_clean(summary.stdout)
    assert "title:    Title" in summary.stdout and "Topic (1)" in summary.stdout
    out = tmp_path / "evil.deck"
    assert tutor("import", str(package), "-o", str(out)).returncode == 0
    written = out.read_text(encoding="utf-8")
    _assert_clean(written)
    assert "tags: tag, othertag" in written


def test_escape_sequences_never_reach_the_terminal_from_text(tmp_path: Path) -> None:
    e1, e2 = ESCAPES
    path = tmp_path / "evil.tsv"
    path.write_text(
        f"#separator:tab\n#deck column:4\n#tags column:3\n"
        f"Fr{e1}ont\tBa\x08ck{e2}\tTo{e2}pic_x\tDe{e1}ck\n"
        f"Second\tanswer\tTopic_x\tDe{e1}ck\n",
        encoding="utf-8",
    )
    for args in (("--json",), ()):
        proc = tutor("import", str(path), *args)
        assert proc.returncode == 0, proc.stderr[-2000:]
        _assert_clean(proc.stdout)
    cards = json.loads(tutor("import", str(path), "--json").stdout)["cards"]
    assert [(c["front"], c["back"], c["topic"]) for c in cards] == [
        ("Front", "Back", "Topic x"), ("Second", "answer", "Topic x"),
    ]
    assert "title:    Deck" in tutor("import", str(path)).stdout


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b[2Jb", "ab"),
        ("a\x1b]0;evil\x07b", "ab"),
        ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),
        ("a\x9b31mred\x9b0m", "ared"),
        ("a\x1b(Bb\x1bc", "ab"),
        ("unterminated \x1b]0;title\nnext line", "unterminated 0;title\nnext line"),
        ("tab\tand\nnewline kept, \r\x00\x08\x7f\x85 not", "tab\tand\nnewline kept,  not"),
        ("é ü 中文 ✓", "é ü 中文 ✓"),
    ],
)
def test_clean_text(raw: str, shown: str) -> None:
    assert clean_text(raw) == shown


def test_a_native_deck_parses_without_escape_sequences() -> None:
    e1, e2 = ESCAPES
    text = (f"title: My{e1} deck{e2}\n---\ntopic: bio{e2}\ntags: a{e1}, b\n"
            f"Q: What{e1} is it?\nA: An{e2} answer\tkept\n")
    deck = parse_deck(text).deck
    shown = [deck.title, *(f for c in deck.cards for f in (c.front, c.back, c.topic, *c.tags))]
    for value in shown:
        _assert_clean(value)
    assert shown == ["My deck", "What is it?", "An answer\tkept", "bio", "a", "b"]


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
