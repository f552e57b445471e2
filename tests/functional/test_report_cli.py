"""`tutor report` end to end: a real store file, the real command line in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.functional.conftest import assert_one_line_error
from tests.unit.report.schema_check import schema_errors
from tutor.report import REPORT_JSON_SCHEMA
from tutor.schedule import LeitnerScheduler
from tutor.settings import load_settings
from tutor.store import StudyStore

VERBS = ["a000000001", "a000000002", "a000000003"]
NOUNS = ["b000000001", "b000000002"]
DECK = "title: Spanish\ntopics: verbs, nouns\n" + "".join(
    f"---\nid: {cid}\ntopic: {topic}\nQ: {topic} question {n}\nA: {topic} answer {n}\n"
    for topic, ids in (("verbs", VERBS), ("nouns", NOUNS)) for n, cid in enumerate(ids, 1))


@pytest.fixture
def profile(isolated_home: Path) -> Path:
    """A config pointing at one deck folder; returns the default profile's folder."""
    decks = isolated_home / "decks"
    decks.mkdir()
    (decks / "spanish.deck").write_text(DECK, encoding="utf-8")
    (isolated_home / "config" / "config.toml").write_text(
        f"deck_dirs = [{json.dumps(str(decks))}]\n", encoding="utf-8")
    return load_settings().profile_path


def record(store: StudyStore, card_ids: list[str], scores: list[int], start: datetime,
           topic: str, deck: str = "spanish") -> None:
    scheduler = LeitnerScheduler()
    when = start
    for index, score in enumerate(scores):
        card_id = card_ids[index % len(card_ids)]
        state = store.state(card_id) or scheduler.new_state(card_id, deck)
        outcome = scheduler.review(state, score, when, topic=topic, response_ms=2500,
                                   answer=f"answer {index}")
        store.record_review(outcome.review, outcome.state)
        when += timedelta(hours=9)


def fill(store: StudyStore) -> None:
    now = datetime.now().astimezone()
    record(store, VERBS, [1, 2, 4, 1, 1, 0, 5, 1, 2, 1, 1, 0], now - timedelta(days=12), "verbs")
    record(store, NOUNS, [5, 5, 4, 5, 2, 5], now - timedelta(days=5), "nouns")


def test_text_report_ranks_the_weak_topic_first(profile: Path) -> None:
    with StudyStore(profile) as store:
        fill(store)
    proc = run_cli("report")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Study report: profile 'default'")
    weakest = next(i for i, line in enumerate(lines) if line.startswith("Weakest topics ("))
    assert lines[weakest + 3].split()[:2] == ["1", "verbs"]
    assert "10 of the last 12 answers wrong; 1 leech" in lines[weakest + 3]
    assert lines[weakest + 4].split()[:2] == ["2", "nouns"]
    assert "Leeches (failed 4 or more times)" in proc.stdout
    assert proc.stderr == ""


def test_on_a_terminal_the_report_fits_its_width(profile: Path) -> None:
    """Printed to a terminal (a pseudo-terminal here, 80 columns) the report fits it; piped,
    the same report keeps every column (the test above)."""
    import pty
    import subprocess
    import sys

    from tests.conftest import ROOT

    with StudyStore(profile) as store:
        fill(store)
    controller, terminal = pty.openpty()
    env = {**os.environ, "COLUMNS": "80", "LINES": "24"}
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "report"], stdout=terminal,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    lines = b"".join(chunks).decode("utf-8").replace("\r\n", "\n").splitlines()
    assert lines and max(map(len, lines)) <= 80, max(lines, key=len)
    weakest = next(i for i, line in enumerate(lines) if line.startswith("Weakest topics ("))
    first = next(i for i in range(weakest, len(lines)) if lines[i].split()[:2] == ["1", "verbs"])
    assert "10 of the last 12 answers wrong; 1 leech" in lines[first]  # it fits: in its column
    assert any(line.startswith("Left out to fit 80 columns:") for line in lines)


def test_json_csv_and_markdown_outputs(profile: Path, tmp_path: Path) -> None:
    with StudyStore(profile) as store:
        fill(store)
    proc = run_cli("report", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert schema_errors(data, REPORT_JSON_SCHEMA) == []
    assert [(t["topic"], t["rank"]) for t in data["topics"]] == [("verbs", 1), ("nouns", 2)]
    assert data["totals"]["answers"] == 18 and data["profile"] == "default"
    rows = list(csv.DictReader(io.StringIO(run_cli("report", "--csv").stdout)))
    assert [(r["level"], r["topic"]) for r in rows] == [
        ("total", ""), ("deck", ""), ("topic", "verbs"), ("topic", "nouns")]
    out = tmp_path / "shared" / "report.md"
    out.parent.mkdir()  # --out never creates folders
    proc = run_cli("report", "--out", str(out), "--since", "7d")
    assert proc.returncode == 0, proc.stderr
    assert "wrote the report (markdown)" in proc.stdout
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Study report: profile 'default'")
    assert "| 1 | nouns |" in text  # verbs has too few answers in the last 7 days


def test_deck_filter(profile: Path) -> None:
    with StudyStore(profile) as store:
        fill(store)
        record(store, ["g1", "g2"], [1, 1, 5], datetime.now().astimezone() - timedelta(days=2),
               "cases", deck="german")  # a deck whose file is gone: history only
    everything = json.loads(run_cli("report", "--json").stdout)
    assert [d["deck"] for d in everything["decks"]] == ["spanish", "german"]
    only = json.loads(run_cli("report", "--json", "--deck", "Spanish").stdout)
    assert only["filters"]["deck"] == "spanish"
    assert [d["deck"] for d in only["decks"]] == ["spanish"]
    german = json.loads(run_cli("report", "--json", "--deck", "german").stdout)
    assert [(t["topic"], t["answers"]) for t in german["topics"]] == [("cases", 3)]
    assert_one_line_error(run_cli("report", "--deck", "klingon"), "no deck 'klingon'",
                          "german, spanish")


def test_empty_history_is_friendly(profile: Path) -> None:
    proc = run_cli("report")
    assert proc.returncode == 0, proc.stderr
    assert "No reviews yet" in proc.stdout
    assert not profile.exists()  # reading created nothing
    data = json.loads(run_cli("report", "--json", "--profile", "nobody").stdout)
    assert data["empty"] is True and data["message"].startswith("No reviews yet")
    assert "NaN" not in json.dumps(data)


def test_bad_input_is_one_line(profile: Path) -> None:
    assert_one_line_error(run_cli("report", "--since", "last tuesday"), "--since",
                          "YYYY-MM-DD")
    assert_one_line_error(run_cli("report", "--since", "2999-01-01"), "future")
    assert_one_line_error(run_cli("report", "--json", "--csv"), "not allowed")
    folder = profile.parent.parent / "out-folder"
    folder.mkdir(parents=True)
    assert_one_line_error(run_cli("report", "--out", str(folder)), "is a folder")


def test_report_reads_a_profile_another_tutor_has_open(profile: Path) -> None:
    with StudyStore(profile) as store:
        fill(store)
    store = StudyStore(profile)  # holds the profile lock, like a running study session
    try:
        record(store, NOUNS, [0, 0, 0], datetime.now().astimezone() - timedelta(hours=30),
               "nouns")  # in the journal only: not yet folded into the files
        before = {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in profile.iterdir()}
        proc = run_cli("report", "--json")
        assert proc.returncode == 0, proc.stderr
        data = json.loads(proc.stdout)
        assert data["totals"]["answers"] == 21  # the unfolded answers are there too
        after = {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in profile.iterdir()}
        assert after == before  # the report changed nothing in the profile
        assert not any(name.startswith("tutor-") for name in os.listdir(profile))
    finally:
        store.close()


def test_damaged_store_is_one_line_or_a_note(profile: Path) -> None:
    with StudyStore(profile) as store:
        fill(store)
    (profile / "study.json").write_text('{"_meta": {"1": {"schema": 99}}}', encoding="utf-8")
    proc = run_cli("report")
    assert_one_line_error(proc, "newer tutor")


def test_a_long_history_is_read_once_then_from_the_summary_cache(profile: Path) -> None:
    scheduler = LeitnerScheduler()
    start = datetime.now().astimezone() - timedelta(days=300)
    outcomes, states = [], {}
    for n in range(1200):  # more than study.json keeps: most reviews are in the history only
        card_id = (VERBS + NOUNS)[n % len(VERBS + NOUNS)]
        state = states.get(card_id) or scheduler.new_state(card_id, "spanish")
        outcome = scheduler.review(state, n % 6, start + timedelta(hours=5 * n), answer=f"a{n}",
                                   topic="verbs" if card_id in VERBS else "nouns")
        states[card_id] = outcome.state
        outcomes.append(outcome)
    with StudyStore(profile) as store:
        store.record_reviews(outcomes)
    cache = load_settings().data_path / "cache" / "default.summaries"
    first = run_cli("report", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["totals"]["answers"] == 1200
    assert cache.is_file()
    second = run_cli("report", "--json")
    assert second.returncode == 0 and second.stderr == ""
    for key in ("totals", "topics", "decks", "leeches"):
        assert json.loads(second.stdout)[key] == json.loads(first.stdout)[key]
    with StudyStore(profile) as store:  # a session after the cache was written
        record(store, NOUNS, [0, 0, 5], datetime.now().astimezone() - timedelta(hours=30), "nouns")
    third = run_cli("report", "--json")
    assert json.loads(third.stdout)["totals"]["answers"] == 1203


def test_an_empty_report_of_another_profile_says_how_to_study_that_profile(
        profile: Path) -> None:
    proc = run_cli("report", "--profile", "alice")
    assert proc.returncode == 0, proc.stderr
    assert "study a deck first ('tutor study --profile alice')" in proc.stdout
    markdown = run_cli("report", "--markdown", "--profile", "alice").stdout
    assert "('tutor study --profile alice')" in markdown
    data = json.loads(run_cli("report", "--json", "--profile", "alice").stdout)
    assert "('tutor study --profile alice')" in data["message"]
    assert "('tutor study')" in run_cli("report").stdout  # the default profile needs no flag
