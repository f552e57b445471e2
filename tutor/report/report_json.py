"""The report as JSON: a stable, versioned schema for sharing and for other tools.

``tutor report --json`` prints `report_to_json`; `REPORT_JSON_SCHEMA` is the same
shape as a JSON Schema (draft 2020-12). Version 2 (version 1 plus ``few_answers`` on
each topic and ``drill``; ranks now go to every topic with a recent answer)::

    {
      "schema_version": 2,
      "generated_at": "2024-03-01T09:00:00+00:00",   # "now" of the report (ISO 8601)
      "profile": "default",
      "filters": {"deck": null, "since": null},      # deck key / ISO time, or null
      "rules": {"recent_days": 30, "min_answers": 5, "leech_fails": 4, "trend_days": 7,
                "trend_min_answers": 5, "trend_change": 0.15, "mastery_boxes": 2,
                "confidence": 0.95, "boxes": 5},
      "empty": false,                 # true: no answers and no exams in the period
      "message": "",                  # the friendly line shown when empty ("" otherwise)
      "totals": STATS,                # every card in the report
      "decks": [{"deck": "spanish", "title": "Spanish", **STATS}],
      "topics": [{"deck": "spanish", "topic": "verbs",
                  "rank": 1,          # 1 = weakest; null: no recent answer to rank by
                  "reason": "4 of the last 10 answers wrong; 3 leeches",
                  "few_answers": false,   # ranked on fewer than min_answers recent answers
                  **STATS}],          # ranked topics first (by rank), then unranked ones
      "drill": {"asked": 3,           # what `d` / `tutor study --weak 3` would drill
                "topics": [{"deck": "spanish", "topic": "verbs"}],   # weakest first
                "note": "1 topic to drill (asked for 3)"},   # "" when enough qualified
      "leeches": [{"card_id": "3f9a2c41d0", "deck": "spanish", "topic": "verbs",
                   "question": "...",  # "" when the deck is not loaded
                   "fails": 5, "lapses": 3, "box": 1, "last_score": 2,
                   "last_reviewed": "2024-02-29T18:02:11+00:00"}],   # most failed first
      "timeline": {"daily": [POINT, ...],   # one per calendar day, the last recent_days days
                   "weekly": [POINT, ...]}, # one per 7 days ending at generated_at, 12 of them
      "exams": [{"id": "17", "finished": "2024-02-20T10:30:00+00:00", "title": "Spanish",
                 "decks": ["spanish"], "questions": 10, "points": 38.0, "max_points": 50.0,
                 "score": 0.76}]      # finished exams, oldest first; [] when none
    }

    STATS = {"cards": 40, "new": 3,   # new: never reviewed
             "boxes": [12, 9, 8, 5, 3],   # reviewed cards per Leitner box, box 1 first
             "mastered": 8, "mastery": 0.2,   # cards in the top 2 boxes / all cards
             "answers": 120, "correct": 90,   # in the period (relearning steps not counted)
             "accuracy": 0.75, "mean_score": 3.6,   # 0-1 / 0-5; null without answers
             "lapses": 7, "leeches": 2, "avg_response_s": 6.4,   # null when nothing was timed
             "last_reviewed": "2024-02-29T18:02:11+00:00",       # or null
             "recent": {"days": 30, "answers": 40, "correct": 28, "accuracy": 0.7,
                        "low": 0.55, "high": 0.82},   # 95% Wilson interval; nulls without answers
             "trend": {"direction": "down",   # "up" | "down" | "flat" | "unknown"
                       "change": -0.25,       # this week minus the previous (null unless
                                              # both weeks had answers)
                       "this_week": {"answers": 8, "correct": 4, "accuracy": 0.5},
                       "previous_week": {"answers": 8, "correct": 6, "accuracy": 0.75}}}

    POINT = {"start": "2024-02-29T00:00:00+00:00", "end": "2024-03-01T00:00:00+00:00",
             "answers": 12, "correct": 9, "accuracy": 0.75}   # accuracy null without answers

Rates are 0.0-1.0 rounded to 4 decimals; no value is ever NaN. The schema is
closed (no other keys): any added, removed or changed field raises ``schema_version``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tutor.report.drill import DRILL_TOPICS, drill_candidates, shortfall_text
from tutor.report.model import (
    CardReport,
    ExamScore,
    Stats,
    StudyReport,
    TimelinePoint,
)
from tutor.report.stats import Accuracy

REPORT_SCHEMA_VERSION = 2


def report_to_json(report: StudyReport, *, profile: str = "") -> dict[str, Any]:
    """The report as plain JSON data (see the module docstring for the schema)."""
    rules = report.rules
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "generated_at": _time(report.now),
        "profile": profile,
        "filters": {"deck": report.deck, "since": _time(report.since)},
        "rules": {
            "recent_days": rules.recent_days, "min_answers": rules.min_answers,
            "leech_fails": rules.leech_fails, "trend_days": rules.trend_days,
            "trend_min_answers": rules.trend_min_answers, "trend_change": rules.trend_change,
            "mastery_boxes": rules.mastery_boxes, "confidence": 0.95, "boxes": report.boxes,
        },
        "empty": report.empty,
        "message": report.empty_message_for(profile) if report.empty else "",
        "totals": stats_json(report.totals, rules.recent_days),
        "decks": [{"deck": d.deck, "title": d.title, **stats_json(d.stats, rules.recent_days)}
                  for d in report.decks],
        "topics": [{"deck": t.deck, "topic": t.topic, "rank": t.rank, "reason": t.reason,
                    "few_answers": t.few_answers, **stats_json(t.stats, rules.recent_days)}
                   for t in report.topics],
        "drill": _drill(report),
        "leeches": [_leech(card) for card in report.leeches],
        "timeline": {"daily": [_point(p) for p in report.daily],
                     "weekly": [_point(p) for p in report.weekly]},
        "exams": [_exam(exam) for exam in report.exams],
    }


def stats_json(stats: Stats, recent_days: int) -> dict[str, Any]:
    """The STATS object of one group."""
    interval = stats.recent.interval
    trend = stats.trend
    return {
        "cards": stats.cards, "new": stats.new, "boxes": list(stats.boxes),
        "mastered": stats.mastered, "mastery": _rate(stats.mastery),
        "answers": stats.answers, "correct": stats.correct, "accuracy": _rate(stats.accuracy),
        "mean_score": _rate(stats.mean_score), "lapses": stats.lapses, "leeches": stats.leeches,
        "avg_response_s": _rate(stats.avg_response_s), "last_reviewed": _time(stats.last_reviewed),
        "recent": {
            "days": recent_days, **_accuracy(stats.recent),
            "low": _rate(interval[0]) if interval else None,
            "high": _rate(interval[1]) if interval else None,
        },
        "trend": {
            "direction": trend.direction, "change": _rate(trend.change),
            "this_week": _accuracy(trend.this_week),
            "previous_week": _accuracy(trend.previous_week),
        },
    }


def _drill(report: StudyReport) -> dict[str, Any]:
    chosen = drill_candidates(report, DRILL_TOPICS)
    return {"asked": DRILL_TOPICS, "topics": [{"deck": t.deck, "topic": t.topic} for t in chosen],
            "note": shortfall_text(len(chosen), DRILL_TOPICS)}


def _accuracy(accuracy: Accuracy) -> dict[str, Any]:
    return {"answers": accuracy.answers, "correct": accuracy.correct,
            "accuracy": _rate(accuracy.rate)}


def _point(point: TimelinePoint) -> dict[str, Any]:
    return {"start": _time(point.start), "end": _time(point.end), **_accuracy(point.accuracy)}


def _leech(card: CardReport) -> dict[str, Any]:
    return {"card_id": card.card_id, "deck": card.deck, "topic": card.topic,
            "question": card.front, "fails": card.fails, "lapses": card.lapses, "box": card.box,
            "last_score": card.last_score, "last_reviewed": _time(card.last_reviewed)}


def _exam(exam: ExamScore) -> dict[str, Any]:
    return {"id": exam.exam_id, "finished": _time(exam.finished), "title": exam.title,
            "decks": list(exam.decks), "questions": exam.questions, "points": exam.points,
            "max_points": exam.max_points, "score": _rate(exam.score)}


def _rate(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


_INT = {"type": "integer", "minimum": 0}
_RATE = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_TEXT = {"type": "string"}
_ACCURACY = _object({"answers": _INT, "correct": _INT, "accuracy": _RATE})
_STATS = {
    "cards": _INT, "new": _INT, "boxes": {"type": "array", "items": _INT},
    "mastered": _INT, "mastery": _RATE, "answers": _INT, "correct": _INT, "accuracy": _RATE,
    "mean_score": {"type": ["number", "null"], "minimum": 0, "maximum": 5},
    "lapses": _INT, "leeches": _INT, "avg_response_s": {"type": ["number", "null"], "minimum": 0},
    "last_reviewed": _TIME,
    "recent": _object({"days": _INT, "answers": _INT, "correct": _INT, "accuracy": _RATE,
                       "low": _RATE, "high": _RATE}),
    "trend": _object({
        "direction": {"enum": ["up", "down", "flat", "unknown"]},
        "change": {"type": ["number", "null"], "minimum": -1, "maximum": 1},
        "this_week": _ACCURACY, "previous_week": _ACCURACY,
    }),
}
_POINT = _object({"start": _TIME, "end": _TIME, "answers": _INT, "correct": _INT,
                  "accuracy": _RATE})

#: The JSON Schema (draft 2020-12) of `report_to_json`'s output, version 2.
REPORT_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "tutor study report",
    **_object({
        "schema_version": {"const": REPORT_SCHEMA_VERSION},
        "generated_at": {"type": "string", "format": "date-time"},
        "profile": _TEXT,
        "filters": _object({"deck": {"type": ["string", "null"]}, "since": _TIME}),
        "rules": _object({
            "recent_days": _INT, "min_answers": _INT, "leech_fails": _INT, "trend_days": _INT,
            "trend_min_answers": _INT, "trend_change": {"type": "number"},
            "mastery_boxes": _INT, "confidence": {"type": "number"}, "boxes": _INT,
        }),
        "empty": {"type": "boolean"},
        "message": _TEXT,
        "totals": _object(_STATS),
        "decks": {"type": "array", "items": _object({"deck": _TEXT, "title": _TEXT, **_STATS})},
        "topics": {"type": "array", "items": _object({
            "deck": _TEXT, "topic": _TEXT, "rank": {"type": ["integer", "null"], "minimum": 1},
            "reason": _TEXT, "few_answers": {"type": "boolean"}, **_STATS})},
        "drill": _object({"asked": _INT,
                          "topics": {"type": "array",
                                     "items": _object({"deck": _TEXT, "topic": _TEXT})},
                          "note": _TEXT}),
        "leeches": {"type": "array", "items": _object({
            "card_id": _TEXT, "deck": _TEXT, "topic": _TEXT, "question": _TEXT, "fails": _INT,
            "lapses": _INT, "box": {"type": ["integer", "null"], "minimum": 1},
            "last_score": {"type": ["integer", "null"], "minimum": 0, "maximum": 5},
            "last_reviewed": _TIME})},
        "timeline": _object({"daily": {"type": "array", "items": _POINT},
                             "weekly": {"type": "array", "items": _POINT}}),
        "exams": {"type": "array", "items": _object({
            "id": _TEXT, "finished": _TIME, "title": _TEXT,
            "decks": {"type": "array", "items": _TEXT}, "questions": _INT,
            "points": {"type": "number", "minimum": 0},
            "max_points": {"type": "number", "minimum": 0}, "score": _RATE})},
    }),
}
