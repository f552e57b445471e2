"""How card states and reviews are written in the store's files (plain JSON values).

Times are stored as UTC ISO-8601 strings with microseconds, all the same width,
so they sort as text. A review is a row (a list) under `REVIEW_FIELDS`; a state
is a small object. Decoding checks types and raises `ValueError` on bad data.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from tutor.schedule.model import KINDS, CardState, Review, ReviewSummary, is_kind, is_source

#: Column names of a review row, in order.
REVIEW_FIELDS = (
    "id", "card_id", "deck", "time", "kind", "score", "box_before", "box_after", "due_after",
    "source", "grader", "confidence", "response_ms", "answer", "topic", "feedback",
    "original_score", "original_grader", "exam_id", "before",
)
COLUMN = {name: index for index, name in enumerate(REVIEW_FIELDS)}
ID, CARD, DECK, TIME, KIND = (COLUMN[n] for n in ("id", "card_id", "deck", "time", "kind"))
#: Values for columns missing from an older file's rows.
COLUMN_DEFAULTS: dict[str, Any] = {
    "due_after": None, "source": "grader", "grader": "", "confidence": 1.0, "response_ms": 0,
    "answer": "", "topic": "", "feedback": "", "original_score": None, "original_grader": "",
    "exam_id": "", "before": None,
}


def time_text(moment: datetime | None) -> str | None:
    """``moment`` as a fixed-width UTC ISO string (None stays None)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def parse_time(text: Any) -> datetime | None:
    """The inverse of `time_text`."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError(f"expected a time, got {text!r}")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"time without a timezone: {text!r}")
    return moment


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {value!r}")
    return value


def _opt_int(value: Any) -> int | None:
    return None if value is None else _int(value)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {value!r}")
    return value


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number, got {value!r}")
    return float(value)


def state_doc(state: CardState) -> dict[str, Any]:
    """A card state as a JSON object (the card id is the document's key)."""
    return {
        "deck": state.deck, "box": state.box, "due": time_text(state.due),
        "reviews": state.reviews, "lapses": state.lapses, "streak": state.streak,
        "last_reviewed": time_text(state.last_reviewed),
        "first_reviewed": time_text(state.first_reviewed), "last_score": state.last_score,
    }


def state_from_doc(card_id: str, doc: Any) -> CardState:
    """Decode `state_doc` output; ``ValueError`` when it is malformed."""
    if not isinstance(doc, dict):
        raise ValueError(f"card {card_id}: expected an object")
    try:
        return CardState(
            card_id=_str(card_id), deck=_str(doc["deck"]), box=_int(doc["box"]),
            due=parse_time(doc["due"]), reviews=_int(doc["reviews"]), lapses=_int(doc["lapses"]),
            streak=_int(doc["streak"]), last_reviewed=parse_time(doc["last_reviewed"]),
            first_reviewed=parse_time(doc["first_reviewed"]),
            last_score=_opt_int(doc.get("last_score")),
        )
    except KeyError as exc:
        raise ValueError(f"card {card_id}: missing {exc}") from None


def _state_list(state: CardState | None) -> list[Any] | None:
    if state is None:
        return None
    doc = state_doc(state)
    return [doc["deck"], doc["box"], doc["due"], doc["reviews"], doc["lapses"], doc["streak"],
            doc["last_reviewed"], doc["first_reviewed"], doc["last_score"]]


def _state_from_list(card_id: str, values: Any) -> CardState | None:
    if values is None:
        return None
    if not isinstance(values, list) or len(values) != 9:
        raise ValueError("malformed previous state")
    keys = ("deck", "box", "due", "reviews", "lapses", "streak", "last_reviewed",
            "first_reviewed", "last_score")
    return state_from_doc(card_id, dict(zip(keys, values, strict=True)))


def review_row(review: Review) -> list[Any]:
    """A review as a row of `REVIEW_FIELDS`."""
    return [
        review.id, review.card_id, review.deck, time_text(review.time), review.kind,
        review.score, review.box_before, review.box_after, time_text(review.due_after),
        review.source, review.grader, round(review.confidence, 4), review.response_ms,
        review.answer, review.topic, review.feedback, review.original_score,
        review.original_grader, review.exam_id, _state_list(review.state_before),
    ]


def review_from_row(row: list[Any]) -> Review:
    """Decode a `review_row`; ``ValueError`` when it is malformed."""
    if not isinstance(row, list) or len(row) != len(REVIEW_FIELDS):
        raise ValueError("malformed review row")
    card_id = _str(row[CARD])
    kind, source = _str(row[KIND]), _str(row[COLUMN["source"]])
    if not is_kind(kind) or not is_source(source):
        raise ValueError(f"review {row[ID]!r}: unknown kind or source")
    time = parse_time(row[TIME])
    if time is None:
        raise ValueError(f"review {row[ID]!r}: no time")
    return Review(
        id=_int(row[ID]), card_id=card_id, deck=_str(row[DECK]), time=time, kind=kind,
        score=_int(row[COLUMN["score"]]), box_before=_int(row[COLUMN["box_before"]]),
        box_after=_int(row[COLUMN["box_after"]]), due_after=parse_time(row[COLUMN["due_after"]]),
        source=source, grader=_str(row[COLUMN["grader"]]),
        confidence=_float(row[COLUMN["confidence"]]),
        response_ms=_int(row[COLUMN["response_ms"]]), answer=_str(row[COLUMN["answer"]]),
        topic=_str(row[COLUMN["topic"]]), feedback=_str(row[COLUMN["feedback"]]),
        original_score=_opt_int(row[COLUMN["original_score"]]),
        original_grader=_str(row[COLUMN["original_grader"]]),
        exam_id=_str(row[COLUMN["exam_id"]]),
        state_before=_state_from_list(card_id, row[COLUMN["before"]]),
    )


_make_summary = ReviewSummary._make  # tuple.__new__ straight from C: no call per field
_SCORE, _BEFORE, _AFTER, _MS, _ANSWER, _TOPIC, _GRADER = (COLUMN[name] for name in (
    "score", "box_before", "box_after", "response_ms", "answer", "topic", "grader"))


def summary_from_row(row: list[Any]) -> ReviewSummary:
    """The `ReviewSummary` of a row that passed `check_row`; ``ValueError`` when a column it
    reads is malformed (the same rows `review_from_row` refuses for those columns).

    Reads 12 of the 20 columns and makes one small tuple: about a tenth of the cost of
    `review_from_row`, which matters for a report over 100,000 reviews.
    """
    time = datetime.fromisoformat(row[TIME])
    score, before, after, ms = row[_SCORE], row[_BEFORE], row[_AFTER], row[_MS]
    answer, topic, grader = row[_ANSWER], row[_TOPIC], row[_GRADER]
    if (time.tzinfo is None or row[KIND] not in KINDS or type(score) is not int
            or type(before) is not int or type(after) is not int or type(ms) is not int
            or type(answer) is not str or type(topic) is not str or type(grader) is not str):
        raise ValueError(f"review {row[ID]!r}: malformed")
    return _make_summary((row[ID], row[CARD], row[DECK], time, row[KIND], score, before, after,
                          ms, answer, topic, grader))


def check_row(row: Any) -> None:
    """The cheap check done on every row when a file is opened (types of the key columns)."""
    if (not isinstance(row, list) or len(row) != len(REVIEW_FIELDS)
            or not isinstance(row[ID], int) or not isinstance(row[CARD], str)
            or not isinstance(row[DECK], str) or not isinstance(row[TIME], str)
            or not isinstance(row[KIND], str)):
        raise ValueError(f"malformed review row {str(row)[:60]}")


def rows_in_current_layout(fields: Any, rows: Any) -> list[list[Any]]:
    """Rows of a stored chunk, re-ordered to `REVIEW_FIELDS` if the chunk's columns differ."""
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise ValueError("review chunk without a field list")
    if not isinstance(rows, list):
        raise ValueError("review chunk without rows")
    if tuple(fields) == REVIEW_FIELDS:
        return rows
    missing = [name for name in REVIEW_FIELDS if name not in fields
               and name not in COLUMN_DEFAULTS]
    if missing:
        raise ValueError(f"review chunk lacks columns {missing}")
    where = {name: index for index, name in enumerate(fields)}
    converted = []
    for row in rows:
        if not isinstance(row, list) or len(row) != len(fields):
            raise ValueError("malformed review row")
        converted.append([row[where[name]] if name in where else COLUMN_DEFAULTS[name]
                          for name in REVIEW_FIELDS])
    return converted


def state_after(row: list[Any]) -> CardState:
    """The card's state right after the review in ``row`` (rebuilds a lost ``cards`` table)."""
    review = review_from_row(row)
    before = review.state_before
    return CardState(
        card_id=review.card_id, deck=review.deck, box=review.box_after, due=review.due_after,
        reviews=(before.reviews if before else 0) + 1,
        lapses=(before.lapses if before else 0) + (1 if review.lapse else 0),
        streak=((before.streak if before else 0) + 1) if review.correct else 0,
        last_reviewed=review.time,
        first_reviewed=(before.first_reviewed if before else None) or review.time,
        last_score=review.score,
    )
