"""What a report holds: numbers per topic, per deck and per card, the ranking, the timeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from tutor.report.stats import Accuracy
from tutor.schedule.model import CardState

#: Trend directions: better, worse, about the same, or too few answers to say.
TREND_DIRECTIONS = ("up", "down", "flat", "unknown")


class ReviewRecord(Protocol):
    """What the report reads of a review: a `Review`, or the lighter `ReviewSummary` the
    store hands out for a whole history (`StudyStore.review_summaries`)."""

    @property
    def id(self) -> int: ...
    @property
    def card_id(self) -> str: ...
    @property
    def deck(self) -> str: ...
    @property
    def time(self) -> datetime: ...
    @property
    def kind(self) -> str: ...
    @property
    def score(self) -> int: ...
    @property
    def box_before(self) -> int: ...
    @property
    def box_after(self) -> int: ...
    @property
    def response_ms(self) -> int: ...
    @property
    def answer(self) -> str: ...
    @property
    def topic(self) -> str: ...
    @property
    def grader(self) -> str: ...
    @property
    def correct(self) -> bool: ...


@dataclass(frozen=True)
class ReportRules:
    """The thresholds behind the report; every number the README mentions lives here."""

    recent_days: int = 30
    """"Recent accuracy" counts the answers of this many days up to now."""
    min_answers: int = 5
    """A ranked topic with fewer recent answers than this is marked "few answers"."""
    leech_fails: int = 4
    """A card failed this many times (relearning steps not counted) is a leech."""
    trend_days: int = 7
    """The trend compares the last ``trend_days`` with the ``trend_days`` before them."""
    trend_min_answers: int = 5
    """Each of the two trend periods needs this many answers, else the trend is 'unknown'."""
    trend_change: float = 0.15
    """Accuracy must move by at least this much (15 points) to count as up or down."""
    mastery_boxes: int = 2
    """Mastered = in the top this-many Leitner boxes."""
    weeks: int = 12
    """Weeks in the weekly accuracy timeline."""

    def __post_init__(self) -> None:
        for name in ("recent_days", "min_answers", "leech_fails", "trend_days", "weeks"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if not 0.0 <= self.trend_change <= 1.0:
            raise ValueError("trend_change must be between 0 and 1")


@dataclass(frozen=True)
class Trend:
    """Accuracy of the last week against the week before."""

    this_week: Accuracy
    previous_week: Accuracy
    direction: str
    """One of `TREND_DIRECTIONS`."""

    @property
    def change(self) -> float | None:
        """This week's accuracy minus last week's (None unless both weeks had answers)."""
        now, before = self.this_week.rate, self.previous_week.rate
        return None if now is None or before is None else now - before


@dataclass(frozen=True)
class Stats:
    """The numbers of one group of cards (a topic, a deck, everything)."""

    cards: int
    """Cards in the group, new ones included."""
    new: int
    """Cards never reviewed."""
    boxes: tuple[int, ...]
    """Reviewed cards per Leitner box: ``boxes[0]`` is box 1."""
    mastered: int
    """Cards in the top `ReportRules.mastery_boxes` boxes."""
    answers: int
    """Answers in the report's period (relearning steps within a session not counted)."""
    correct: int
    score_total: int
    """Sum of the answers' scores (for `mean_score`)."""
    lapses: int
    """Failed reviews of learned cards (`Review.lapse`)."""
    leeches: int
    """Cards failed `ReportRules.leech_fails` or more times."""
    timed_answers: int
    """Answers with a recorded response time."""
    response_ms_total: int
    recent: Accuracy
    """Answers of the last `ReportRules.recent_days` days."""
    trend: Trend
    last_reviewed: datetime | None

    @property
    def mastery(self) -> float:
        """Share of the cards that are mastered, 0.0-1.0 (0.0 for no cards)."""
        return self.mastered / self.cards if self.cards else 0.0

    @property
    def accuracy(self) -> float | None:
        """Share of the period's answers that were right; None without answers."""
        return self.correct / self.answers if self.answers else None

    @property
    def mean_score(self) -> float | None:
        """Mean score 0-5 of the period's answers; None without answers."""
        return self.score_total / self.answers if self.answers else None

    @property
    def avg_response_s(self) -> float | None:
        """Mean time to answer in seconds; None when no answer was timed."""
        return self.response_ms_total / self.timed_answers / 1000 if self.timed_answers else None


@dataclass(frozen=True)
class CardReport:
    """One card: where it stands and its history in the report's period."""

    card_id: str
    deck: str
    topic: str
    front: str
    """The question ('' when the card's deck is not loaded)."""
    back: str
    state: CardState | None
    """None for a card never reviewed."""
    history: tuple[ReviewRecord, ...]
    """Its reviews in the period, oldest first (relearning steps included)."""
    answers: int
    correct: int
    fails: int
    """Failed answers, relearning steps not counted."""
    lapses: int
    leech: bool

    @property
    def box(self) -> int | None:
        """The card's Leitner box; None for a new card."""
        return None if self.state is None or self.state.is_new else self.state.box

    @property
    def last_score(self) -> int | None:
        """The latest score, None when never reviewed."""
        return self.history[-1].score if self.history else (
            self.state.last_score if self.state else None)

    @property
    def last_reviewed(self) -> datetime | None:
        """When it was last answered."""
        return self.history[-1].time if self.history else (
            self.state.last_reviewed if self.state else None)


@dataclass(frozen=True)
class TopicReport:
    """One topic of one deck, its numbers, and its place in the weakness ranking."""

    deck: str
    """The deck's key."""
    topic: str
    stats: Stats
    card_ids: tuple[str, ...]
    rank: int | None = None
    """1 = weakest; None when the topic has no recent answer to rank it by."""
    reason: str = ""
    """Why it ranks where it does, e.g. '4 of the last 10 answers wrong; 3 leeches'."""
    few_answers: bool = False
    """Ranked on fewer than `ReportRules.min_answers` recent answers: a first hint, not
    yet a settled weakness."""

    @property
    def key(self) -> tuple[str, str]:
        """``(deck, topic)``: topics are per deck."""
        return (self.deck, self.topic)


@dataclass(frozen=True)
class DeckReport:
    """One deck's numbers."""

    deck: str
    """The deck's key."""
    title: str
    stats: Stats


@dataclass(frozen=True)
class TimelinePoint:
    """Accuracy in one period of the timeline, ``start <= time < end``."""

    start: datetime
    end: datetime
    accuracy: Accuracy


@dataclass(frozen=True)
class ExamScore:
    """One finished exam's score."""

    exam_id: str
    finished: datetime | None
    title: str
    points: float
    """Points scored."""
    max_points: float
    questions: int
    decks: tuple[str, ...] = ()

    @property
    def score(self) -> float | None:
        """Share of the points scored, 0.0-1.0; None when the exam had no points."""
        return self.points / self.max_points if self.max_points > 0 else None


@dataclass(frozen=True)
class StudyReport:
    """Everything `build_report` found; `tutor.report.render` and the TUI show it."""

    now: datetime
    since: datetime | None
    deck: str | None
    """The deck the report is limited to (its key), None for all decks."""
    rules: ReportRules
    boxes: int
    """Number of Leitner boxes."""
    totals: Stats
    decks: tuple[DeckReport, ...]
    topics: tuple[TopicReport, ...]
    """Ranked topics first (weakest first), then the unranked ones."""
    cards: Mapping[str, CardReport] = field(default_factory=dict)
    leeches: tuple[CardReport, ...] = ()
    """Leech cards, most failed first."""
    daily: tuple[TimelinePoint, ...] = ()
    """Accuracy per calendar day over the last `ReportRules.recent_days` days."""
    weekly: tuple[TimelinePoint, ...] = ()
    """Accuracy per 7 days, `ReportRules.weeks` of them, ending now."""
    exams: tuple[ExamScore, ...] = ()
    """Finished exams, oldest first."""

    @property
    def weakest(self) -> tuple[TopicReport, ...]:
        """The ranked topics, weakest first."""
        return tuple(topic for topic in self.topics if topic.rank is not None)

    @property
    def unranked(self) -> tuple[TopicReport, ...]:
        """Topics with no recent answer to rank them by."""
        return tuple(topic for topic in self.topics if topic.rank is None)

    @property
    def empty(self) -> bool:
        """True when there is nothing to report: no answers in the period, no exams."""
        return self.totals.answers == 0 and not self.exams

    @property
    def empty_message(self) -> str:
        """The friendly line shown instead of an empty report."""
        return self.empty_message_for()

    def empty_message_for(self, profile: str = "") -> str:
        """The empty report's line for ``profile``: its study command names a profile other
        than 'default' ('tutor study --profile alice'), which plain 'tutor study' would miss."""
        where = f" in deck '{self.deck}'" if self.deck else ""
        if self.since is not None:
            return (f"No reviews{where} since {self.since.date().isoformat()}: nothing to"
                    " report for that period.")
        study = f"tutor study --profile {profile}" if profile not in ("", "default") else (
            "tutor study")
        return (f"No reviews yet{where}: study a deck first ('{study}'), then come back"
                " for the report.")

    def topic(self, deck: str, topic: str) -> TopicReport | None:
        """One topic's report, if it is in this report."""
        for entry in self.topics:
            if entry.deck == deck and entry.topic == topic:
                return entry
        return None

    def cards_of(self, topic: TopicReport) -> list[CardReport]:
        """The topic's cards, most failed first, then lowest box; new cards last."""
        cards = [self.cards[card_id] for card_id in topic.card_ids if card_id in self.cards]
        return sorted(cards, key=lambda c: (-c.fails, c.box if c.box is not None else 1_000,
                                            -c.lapses))

    @property
    def multi_deck(self) -> bool:
        """True when the report covers more than one deck (topics then name their deck)."""
        return len(self.decks) > 1
