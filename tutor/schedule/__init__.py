"""Leitner boxes and the due queue: pure logic, no I/O."""

from tutor.schedule.clock import Clock, FixedClock, SystemClock
from tutor.schedule.leitner import DEFAULT_INTERVALS, LeitnerScheduler
from tutor.schedule.model import KINDS, SOURCES, CardState, Review, ReviewOutcome
from tutor.schedule.queue import (
    DailyCounts,
    DueQueue,
    QueueItem,
    build_drill_queue,
    build_queue,
)
from tutor.schedule.summary import DeckSummary, summarize

__all__ = [
    "DEFAULT_INTERVALS",
    "KINDS",
    "SOURCES",
    "CardState",
    "Clock",
    "DailyCounts",
    "DeckSummary",
    "DueQueue",
    "FixedClock",
    "LeitnerScheduler",
    "QueueItem",
    "Review",
    "ReviewOutcome",
    "SystemClock",
    "build_drill_queue",
    "build_queue",
    "summarize",
]
