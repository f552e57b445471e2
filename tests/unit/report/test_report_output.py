"""JSON (against the documented schema), plain text, Markdown and CSV output."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import timedelta

from report_history import NOW, History, deck
from schema_check import schema_errors

from tutor.report import (
    REPORT_JSON_SCHEMA,
    REPORT_SCHEMA_VERSION,
    build_report,
    render_csv,
    render_markdown,
    render_text,
    report_json,
    report_to_json,
)
from tutor.report.render import CSV_COLUMNS

SPANISH = deck("spanish", {"verbs": 4, "nouns": 4, "colours": 2})


def full_report():
    history = History()
    verbs = [c.id for c in SPANISH.cards if c.topic == "verbs"]
    nouns = [c.id for c in SPANISH.cards if c.topic == "nouns"]
    history.answers(verbs, [1, 4, 1, 2, 0, 1, 4, 2, 1, 1, 0, 1, 1, 0, 1, 2],
                    NOW - timedelta(days=20),
                    timedelta(hours=30), topic="verbs")
    history.answers(nouns, [5, 4, 5, 5, 4, 5, 5, 2, 5, 5], NOW - timedelta(days=13),
                    timedelta(hours=30), topic="nouns")
    history.answer("spanish-colours-1", 2, NOW - timedelta(days=1), topic="colours")
    exams = [{
        "kind": "exam", "version": 1, "status": "final", "id": "4",
        "started": "2024-02-20T10:00:00+00:00", "ended": "2024-02-20T10:20:00+00:00",
        "decks": [{"key": "spanish", "title": "Spanish"}], "questions": [{}],
        "result": {"score": 38, "max_score": 50, "percent": 76.0, "questions": 10},
    }]
    return build_report(history.reviews, history.states, NOW, decks=[SPANISH], exams=exams)


def test_json_matches_the_documented_schema() -> None:
    data = report_to_json(full_report(), profile="anna")
    assert schema_errors(data, REPORT_JSON_SCHEMA) == []
    assert data["schema_version"] == REPORT_SCHEMA_VERSION == 2
    assert data["profile"] == "anna" and data["empty"] is False and data["message"] == ""
    first = data["topics"][0]
    assert (first["topic"], first["rank"]) == ("verbs", 1)
    assert first["reason"].startswith("14 of the last 16 answers wrong; 2 leeches")
    assert first["recent"]["low"] < first["recent"]["accuracy"] < first["recent"]["high"]
    assert [(t["topic"], t["rank"], t["few_answers"]) for t in data["topics"]] == [
        ("verbs", 1, False), ("colours", 2, True), ("nouns", 3, False)]
    assert data["drill"] == {"asked": 3, "note": "", "topics": [
        {"deck": "spanish", "topic": "verbs"}, {"deck": "spanish", "topic": "colours"},
        {"deck": "spanish", "topic": "nouns"}]}
    assert [e["score"] for e in data["exams"]] == [0.76]
    assert len(data["timeline"]["daily"]) == 30 and len(data["timeline"]["weekly"]) == 12
    assert data["leeches"] and data["leeches"][0]["question"].startswith("verbs question")
    json.dumps(data, allow_nan=False)  # no NaN or infinity anywhere


def test_schema_catches_a_broken_document() -> None:
    data = report_to_json(full_report())
    data["totals"]["recent"]["accuracy"] = 1.5
    del data["topics"][0]["reason"]
    data["surprise"] = True
    errors = schema_errors(data, REPORT_JSON_SCHEMA)
    assert any("recent.accuracy" in e for e in errors)
    assert any("missing 'reason'" in e for e in errors)
    assert any("unexpected 'surprise'" in e for e in errors)


def test_every_schema_field_is_documented_in_the_module_docstring() -> None:
    doc = report_json.__doc__ or ""

    def names(schema: dict) -> set[str]:
        found = set(schema.get("properties", {}))
        for sub in schema.get("properties", {}).values():
            found |= names(sub)
            if "items" in sub:
                found |= names(sub["items"])
        return found

    missing = sorted(n for n in names(REPORT_JSON_SCHEMA) if f'"{n}"' not in doc)
    assert missing == []


def test_empty_history_json_is_friendly_and_valid() -> None:
    report = build_report([], {}, NOW, decks=[SPANISH])
    data = report_to_json(report)
    assert schema_errors(data, REPORT_JSON_SCHEMA) == []
    assert data["empty"] is True and data["message"].startswith("No reviews yet")
    assert data["totals"]["accuracy"] is None and data["totals"]["recent"]["low"] is None
    text = json.dumps(data, allow_nan=False)
    assert "NaN" not in text


def test_plain_text_report() -> None:
    text = render_text(full_report(), profile="anna")
    assert text.startswith("Study report: profile 'anna', 2024-03-01 09:00; all decks")
    assert "Weakest topics" in text
    assert "14 of the last 16 answers wrong; 2 leeches" in text
    assert "the last answer wrong; few answers" in text
    assert "Drill next: verbs, colours, nouns" in text
    assert "Leeches (failed 4 or more times)" in text
    assert "38/50 76%" in text
    assert "nan" not in text.lower()


def test_on_an_80_column_terminal_every_line_fits_and_nothing_is_lost_silently() -> None:
    report = full_report()
    whole = render_text(report, profile="anna")
    assert max(map(len, whole.splitlines())) > 80  # piped: every column, nothing cut
    for width in (80, 60, 40):
        text = render_text(report, profile="anna", width=width)
        assert max(map(len, text.splitlines())) <= width, width
        # A reason is never cut: it goes under its row when the table is too wide.
        assert "14 of the last 16 answers wrong; 2 leeches" in " ".join(text.split())
        assert "Drill next: verbs, colours, nouns" in " ".join(text.split())
    text = render_text(report, profile="anna", width=80)
    lines = text.splitlines()
    topics = lines[lines.index("Topics") + 1]
    assert topics.split()[:6] == ["Topic", "Cards", "New", "Mastered", "Last", "30"]
    assert "Time" not in topics and "Leeches" not in topics
    assert lines[-2].startswith("Left out to fit 80 columns: Time, Leeches")
    assert render_text(report, profile="anna", width=200) == whole  # wide enough: unchanged


def test_empty_text_and_markdown_say_no_reviews_yet() -> None:
    report = build_report([], {}, NOW, decks=[SPANISH])
    assert "No reviews yet" in render_text(report)
    assert "No reviews yet" in render_markdown(report)
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    assert rows[0] == list(CSV_COLUMNS)
    assert all("nan" not in cell.lower() for row in rows for cell in row)


def test_markdown_has_tables() -> None:
    markdown = render_markdown(full_report())
    assert markdown.startswith("# Study report:")
    assert "## Weakest topics" in markdown
    assert "| 1 | verbs |" in markdown


def test_csv_has_a_row_per_deck_and_topic() -> None:
    report = full_report()
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert [r["level"] for r in rows] == ["total", "deck", "topic", "topic", "topic"]
    verbs = rows[2]
    assert (verbs["topic"], verbs["rank"], verbs["answers"]) == ("verbs", "1", "16")
    assert math.isclose(float(verbs["recent_accuracy"]), 2 / 16, abs_tol=1e-4)
    colours = rows[3]
    assert (colours["topic"], colours["rank"], colours["few_answers"]) == ("colours", "2", "yes")
    assert colours["reason"] == "the last answer wrong; few answers"
    assert colours["recent_accuracy"] == "0"
    assert (rows[-1]["topic"], rows[-1]["few_answers"]) == ("nouns", "no")


def test_every_format_marks_few_answers_and_says_when_fewer_topics_qualify() -> None:
    history = History()
    verbs = [c.id for c in SPANISH.cards if c.topic == "verbs"]
    history.answers(verbs, [5, 1, 5], NOW - timedelta(hours=2), timedelta(minutes=10),
                    topic="verbs")
    report = build_report(history.reviews, history.states, NOW, decks=[SPANISH])
    text, markdown = render_text(report), render_markdown(report)
    for output in (text, markdown):
        assert "1 of the last 3 answers wrong; few answers" in output
        assert "Drill next: 1 topic to drill (asked for 3): verbs" in output
    data = report_to_json(report)
    assert schema_errors(data, REPORT_JSON_SCHEMA) == []
    assert data["topics"][0]["few_answers"] is True
    assert data["drill"]["note"] == "1 topic to drill (asked for 3)"
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert [r["few_answers"] for r in rows if r["topic"] == "verbs"] == ["yes"]


def test_one_answer_is_one_answer_in_the_summary() -> None:
    history = History()
    history.answer("spanish-colours-1", 5, NOW - timedelta(hours=1), topic="colours")
    report = build_report(history.reviews, history.states, NOW, decks=[SPANISH])
    for output in (render_text(report), render_markdown(report)):
        assert "1 answer, 100% right" in output and "1 answers" not in output
