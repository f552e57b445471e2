"""The drill ``tutor study --topics T,… / --weak N`` asks for, before the UI opens."""

from __future__ import annotations

from collections.abc import Sequence

from tutor.decks.model import Deck
from tutor.errors import TutorError
from tutor.report import DrillRequest, build_report, topics_drill, weakest_drill
from tutor.schedule.clock import SystemClock
from tutor.settings import Settings
from tutor.store.profiles import read_store


def study_drill(settings: Settings, decks: Sequence[Deck], *, topics: str | None = None,
                weak: int | None = None) -> DrillRequest:
    """The drill ``tutor study --topics T,… / --weak N`` asks for, over ``decks``.

    ``topics``: comma-separated topic names (case-insensitive); ``weak``: the N weakest
    ranked topics of the report (those with a recent wrong answer, however few answers
    they have, or a leech; fewer when fewer qualify: `DrillRequest.shortfall`), read from
    a copy of the profile (`read_store`). Raises `TutorError` (one line) for an unknown
    topic or when nothing is weak yet.
    """
    if topics is not None:
        try:
            return topics_drill(decks, topics.split(","))
        except ValueError as exc:
            raise TutorError(f"--topics: {exc}") from None
    if weak is None or weak < 1:
        raise TutorError("--weak needs a number of topics, 1 or more")
    with read_store(settings) as store:
        reviews, states = store.review_summaries(), store.states()
    report = build_report(reviews, states, SystemClock().now(), decks=decks,
                          boxes=len(settings.study.intervals))
    request = weakest_drill(report, weak)
    if request is None:
        raise TutorError(f"no weak topic to drill yet: a topic needs a wrong answer in the last"
                         f" {report.rules.recent_days} days, or a leech (see 'tutor report')")
    return request
