"""`build_report`: the study history turned into per-topic, per-deck and per-card numbers.

Pure: the caller passes the reviews, card states, decks, exam records and "now"
(a datetime or a `tutor.schedule.Clock`); nothing is read or written here.

Which cards count: every card of the decks passed in, plus cards the history
knows from decks that are not loaded (a deck file moved away). A reviewed card
that is no longer in its (loaded) deck was deleted from it and is left out.
A card's topic is its deck's current topic for it, else the topic of its latest
review.

What counts as an answer: every review except relearning steps (a failed card
asked again in the same session is a repeat, not fresh evidence). Answers
after ``now`` are ignored; with ``since``, so are answers before it. Boxes and
mastery are today's, whatever ``since`` says.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from operator import attrgetter
from typing import Any, Protocol

from tutor.decks.model import DEFAULT_TOPIC, Deck
from tutor.gcpause import paused_gc
from tutor.grading.base import PASS_SCORE
from tutor.report.exams import exam_results
from tutor.report.model import (
    CardReport,
    DeckReport,
    ReportRules,
    ReviewRecord,
    Stats,
    StudyReport,
    TimelinePoint,
    TopicReport,
    Trend,
)
from tutor.report.ranking import rank_topics
from tutor.report.stats import Accuracy
from tutor.schedule.clock import Clock
from tutor.schedule.model import CardState, ReviewSummary


class ReportSource(Protocol):
    """What `report_from_store` reads: the `StudyStore` read methods."""

    def review_summaries(self) -> list[ReviewSummary]:
        """Every review, oldest first (what the report reads of each)."""
        ...

    def states(self) -> dict[str, CardState]:
        """Every card state by card id."""
        ...

    def exams(self) -> list[dict[str, Any]]:
        """Every exam record."""
        ...


@dataclass
class _CardInfo:
    deck: str
    topic: str
    front: str = ""
    back: str = ""


def build_report(reviews: Iterable[ReviewRecord], states: Mapping[str, CardState],
                 now: datetime | Clock, *, decks: Sequence[Deck] = (),
                 exams: Iterable[Mapping[str, Any]] = (), boxes: int = 5,
                 since: datetime | None = None, deck: str | None = None,
                 rules: ReportRules | None = None) -> StudyReport:
    """Build the report over ``reviews`` (any order) and ``states`` (card id -> state).

    ``decks`` gives the card list, topics and questions; ``exams`` are the store's
    exam records (`StudyStore.exams`); ``boxes`` is the number of Leitner boxes;
    ``deck`` limits everything to one deck key; ``since`` drops older answers.
    """
    with paused_gc():  # 10,000s of small objects: no collector runs over them meanwhile
        return _build_report(reviews, states, now, decks=decks, exams=exams, boxes=boxes,
                             since=since, deck=deck, rules=rules)


def _build_report(reviews: Iterable[ReviewRecord], states: Mapping[str, CardState],
                  now: datetime | Clock, *, decks: Sequence[Deck], exams: Iterable[Mapping[str, Any]],
                  boxes: int, since: datetime | None, deck: str | None,
                  rules: ReportRules | None) -> StudyReport:
    rules = rules or ReportRules()
    moment = now if isinstance(now, datetime) else now.now()
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ValueError("now must be a timezone-aware datetime or a Clock")
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=moment.tzinfo)
    if boxes < 1:
        raise ValueError("boxes must be at least 1")
    # Times compare much faster when both sides have the same tzinfo object: the store's
    # reviews are in UTC, so every bound is too (the results are the same in any zone).
    end = moment.astimezone(timezone.utc)
    start = None if since is None else since.astimezone(timezone.utc)
    # By time, then id: two stable sorts on single keys (no key tuples; the store's
    # reviews come in id order, so the first sort only checks that).
    reviews = sorted(reviews, key=attrgetter("id"))
    reviews.sort(key=attrgetter("time"))
    catalogue = _catalogue(decks, reviews, states, deck)
    times = [review.time for review in reviews]
    first = 0 if start is None else bisect_left(times, start)
    history: dict[str, list[ReviewRecord]] = defaultdict(list)
    last = bisect_right(times, end)
    for review in reviews[first:last]:
        history[review.card_id].append(review)
    history = {card_id: found for card_id, found in history.items() if card_id in catalogue}
    group = _Grouper(end, rules, boxes)
    cards: dict[str, CardReport] = {}
    tallies: dict[str, _Tally] = {}
    for card_id, info in catalogue.items():
        tally = group.tally(history.get(card_id, ()))
        tallies[card_id] = tally
        cards[card_id] = CardReport(
            card_id=card_id, deck=info.deck, topic=info.topic, front=info.front,
            back=info.back, state=states.get(card_id), history=tuple(history.get(card_id, ())),
            answers=tally.answers, correct=tally.correct, fails=tally.answers - tally.correct,
            lapses=tally.lapses, leech=tally.answers - tally.correct >= rules.leech_fails)
    by_topic: dict[tuple[str, str], list[CardReport]] = {}
    by_deck: dict[str, list[CardReport]] = {}
    for card in cards.values():
        by_topic.setdefault((card.deck, card.topic), []).append(card)
        by_deck.setdefault(card.deck, []).append(card)
    titles = {d.key: d.title for d in decks}
    topics = [TopicReport(deck=key[0], topic=key[1], stats=group.stats(members, tallies),
                          card_ids=tuple(c.card_id for c in members))
              for key, members in by_topic.items()]
    deck_reports = tuple(DeckReport(deck=key, title=titles.get(key, key),
                                    stats=group.stats(members, tallies))
                         for key, members in by_deck.items())
    leeches = sorted((c for c in cards.values() if c.leech),
                     key=lambda c: (-c.fails, -c.lapses, c.deck, c.topic))
    # The timeline needs the last `weeks` weeks only (which cover the daily days too).
    origin = min(end - timedelta(days=7 * rules.weeks),
                 datetime.combine(moment.date() - timedelta(days=rules.recent_days - 1), time(0),
                                  tzinfo=moment.tzinfo))
    answers = [r for r in reviews[max(first, bisect_left(times, origin)):last]
               if r.kind != "relearn" and r.card_id in catalogue]
    exam_list = exam_results(exams, deck=deck, since=since, now=moment)
    return StudyReport(
        now=moment, since=since, deck=deck, rules=rules, boxes=boxes,
        totals=group.stats(list(cards.values()), tallies), decks=deck_reports,
        topics=tuple(rank_topics(topics, rules)), cards=cards, leeches=tuple(leeches),
        daily=tuple(_daily(answers, moment, rules.recent_days)),
        weekly=tuple(_weekly(answers, moment, rules.weeks)), exams=tuple(exam_list),
    )


def report_from_store(store: ReportSource, now: datetime | Clock, *,
                      decks: Sequence[Deck] = (), boxes: int = 5, since: datetime | None = None,
                      deck: str | None = None, rules: ReportRules | None = None) -> StudyReport:
    """`build_report` over everything ``store`` (a `StudyStore`) holds.

    Store reads may come from any thread, so this can run in a worker.
    """
    return build_report(store.review_summaries(), store.states(), now, decks=decks, exams=store.exams(),
                        boxes=boxes, since=since, deck=deck, rules=rules)


def _catalogue(decks: Sequence[Deck], reviews: Sequence[ReviewRecord],
               states: Mapping[str, CardState], only: str | None) -> dict[str, _CardInfo]:
    """Every card the report covers, in deck order, then history-only cards."""
    catalogue: dict[str, _CardInfo] = {}
    loaded = set()
    for deck in decks:
        key = deck.key
        if only is not None and key != only:
            continue
        loaded.add(key)
        for card in deck.cards:
            if card.id:
                catalogue.setdefault(card.id, _CardInfo(key, card.topic or DEFAULT_TOPIC,
                                                        card.front, card.back))
    known_decks = {d.key for d in decks}
    unloaded = [review for review in reviews if review.deck not in known_decks]
    for review in unloaded:  # oldest first: the latest topic wins
        if review.card_id in catalogue and review.deck not in known_decks:
            catalogue[review.card_id].topic = review.topic or catalogue[review.card_id].topic
        elif review.card_id not in catalogue and review.deck not in known_decks and (
                only is None or review.deck == only):
            catalogue[review.card_id] = _CardInfo(review.deck, review.topic or DEFAULT_TOPIC)
    for card_id, state in states.items():
        if card_id not in catalogue and state.deck not in known_decks and (
                only is None or state.deck == only):
            catalogue[card_id] = _CardInfo(state.deck, DEFAULT_TOPIC)
    return catalogue


#: What `_Grouper.tally` counts for each card, in order (summed for groups).
_COUNTS = ("answers", "correct", "score_total", "lapses", "timed", "response_ms", "recent",
           "recent_correct", "week", "week_correct", "previous", "previous_correct")


@dataclass(slots=True)
class _Tally:
    """One card's counts in the period (relearning steps left out), summed for groups."""

    counts: tuple[int, ...]
    """The `_COUNTS`, in order."""
    last: datetime | None = None

    @property
    def answers(self) -> int:
        return self.counts[0]

    @property
    def correct(self) -> int:
        return self.counts[1]

    @property
    def lapses(self) -> int:
        return self.counts[3]


_NO_ANSWERS = _Tally((0,) * len(_COUNTS))


class _Grouper:
    """Counts each card's answers once (`tally`), then sums them for groups (`stats`)."""

    def __init__(self, now: datetime, rules: ReportRules, boxes: int) -> None:
        self.now = now
        self.rules = rules
        self.boxes = boxes
        self.recent_from = now - timedelta(days=rules.recent_days)
        self.week_from = now - timedelta(days=rules.trend_days)
        self.previous_from = now - timedelta(days=2 * rules.trend_days)

    def tally(self, history: Iterable[ReviewRecord]) -> _Tally:
        """One card's counts: a single pass over its reviews with plain local counters
        (this runs once per review of the whole history)."""
        answers = correct = score_total = lapses = timed = response_ms = 0
        recent = recent_correct = week = week_correct = previous = previous_correct = 0
        recent_from, week_from, previous_from = self.recent_from, self.week_from, \
            self.previous_from
        last: datetime | None = None
        for review in history:
            kind = review.kind
            if kind == "relearn":
                continue
            score = review.score
            right = score >= PASS_SCORE
            answers += 1
            score_total += score
            if right:
                correct += 1
            elif kind == "due" or kind == "practice":
                lapses += 1
            if review.response_ms > 0:
                timed += 1
                response_ms += review.response_ms
            when = review.time
            if when >= recent_from:
                recent += 1
                recent_correct += right
            if when >= week_from:
                week += 1
                week_correct += right
            elif when >= previous_from:
                previous += 1
                previous_correct += right
            if last is None or when > last:
                last = when
        if not answers:
            return _NO_ANSWERS
        return _Tally((answers, correct, score_total, lapses, timed, response_ms, recent,
                       recent_correct, week, week_correct, previous, previous_correct), last)

    def stats(self, cards: Sequence[CardReport], tallies: Mapping[str, _Tally]) -> Stats:
        per_box = [0] * self.boxes
        new = 0
        boxes = self.boxes
        last: datetime | None = None
        counted = []
        for card in cards:
            state = card.state
            if state is None or state.is_new:
                new += 1
            else:
                per_box[max(1, min(boxes, state.box)) - 1] += 1
            tally = tallies[card.card_id]
            if tally is not _NO_ANSWERS:
                counted.append(tally.counts)
                if tally.last is not None and (last is None or tally.last > last):
                    last = tally.last
        (answers, correct, score_total, lapses, timed, response_ms, recent, recent_correct,
         week, week_correct, previous, previous_correct) = (
            [sum(column) for column in zip(*counted, strict=True)] if counted
            else [0] * len(_COUNTS))
        top = min(self.rules.mastery_boxes, self.boxes)
        return Stats(
            cards=len(cards), new=new, boxes=tuple(per_box), mastered=sum(per_box[-top:]),
            answers=answers, correct=correct, score_total=score_total,
            lapses=lapses, leeches=sum(1 for c in cards if c.leech),
            timed_answers=timed, response_ms_total=response_ms,
            recent=Accuracy(recent, recent_correct),
            trend=self._trend(Accuracy(week, week_correct), Accuracy(previous, previous_correct)),
            last_reviewed=last,
        )

    def _trend(self, this_week: Accuracy, previous: Accuracy) -> Trend:
        rules = self.rules
        direction = "unknown"
        if min(this_week.answers, previous.answers) >= rules.trend_min_answers:
            assert this_week.rate is not None and previous.rate is not None
            change = this_week.rate - previous.rate
            # A tiny tolerance so that exactly 15 points counts as 15 points.
            if change >= rules.trend_change - 1e-9:
                direction = "up"
            elif change <= -rules.trend_change + 1e-9:
                direction = "down"
            else:
                direction = "flat"
        return Trend(this_week=this_week, previous_week=previous, direction=direction)


def _daily(answers: list[ReviewRecord], now: datetime, days: int) -> list[TimelinePoint]:
    """Accuracy per calendar day (in ``now``'s timezone), the last ``days`` days."""
    zone = now.tzinfo
    today = now.date()
    first = today - timedelta(days=days - 1)
    cutoff = datetime.combine(first, time(0), tzinfo=zone).astimezone(timezone.utc)
    counts: dict[date, list[int]] = {}
    for review in answers:
        if review.time < cutoff:
            continue
        tally = counts.setdefault(review.time.astimezone(zone).date(), [0, 0])
        tally[0] += 1
        tally[1] += review.score >= PASS_SCORE
    points = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        start = datetime.combine(day, time(0), tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        answered, right = counts.get(day, (0, 0))
        points.append(TimelinePoint(start=start, end=end, accuracy=Accuracy(answered, right)))
    return points


def _weekly(answers: list[ReviewRecord], now: datetime, weeks: int) -> list[TimelinePoint]:
    """Accuracy per 7 days, ``weeks`` periods ending at ``now`` (the last one is this week)."""
    counts = [0] * weeks
    right = [0] * weeks
    origin = (now - timedelta(days=7 * weeks)).astimezone(timezone.utc)
    week = timedelta(days=7)
    for review in answers:
        if review.time < origin:
            continue
        index = min(weeks - 1, (review.time - origin) // week)
        counts[index] += 1
        right[index] += review.score >= PASS_SCORE
    points = []
    for index in range(weeks):
        end = now - timedelta(days=7 * (weeks - 1 - index))
        points.append(TimelinePoint(start=end - week, end=end,
                                    accuracy=Accuracy(counts[index], right[index])))
    return points
