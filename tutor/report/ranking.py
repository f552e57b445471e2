"""The weakness ranking: which topics to drill first, and a short reason for each.

The rule (also in the README):

1. Only topics with at least `ReportRules.min_answers` (5) answers in the last
   `ReportRules.recent_days` (30) days are ranked. The others are listed with
   why not ("only 2 answers in the last 30 days; 5 needed to rank"), so a topic
   answered twice is never called the weakest.
2. Ranked topics are ordered by the upper end of the 95% Wilson interval of their
   recent accuracy, lowest first: the best accuracy their answers still allow.
   A topic ranks as weak because its answers show it is weak, and more evidence
   counts: 0 of 5 right (upper end 43%) comes first; 60 of 100 right (69%) comes
   before 6 of 10 right (83%) - both are 60%, but ten answers cannot yet rule
   out that the topic is known fairly well, and a hundred can.
3. Ties go to the topic with more leeches, then lower mastery, then more wrong
   answers, then deck and topic name (so the order is stable).

The reason names the evidence: "4 of the last 10 answers wrong", the leeches
("3 leeches"), and the trend when it moved ("worse this week: 80% -> 55%").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tutor.formatting import plural
from tutor.report.model import ReportRules, TopicReport


def rank_topics(topics: Sequence[TopicReport], rules: ReportRules) -> list[TopicReport]:
    """The topics with ``rank`` and ``reason`` set: ranked ones weakest first, then the rest."""
    ranked = [t for t in topics if t.stats.recent.answers >= rules.min_answers]
    ranked.sort(key=lambda t: (round(t.stats.recent.upper, 9), -t.stats.leeches,
                               t.stats.mastery, -t.stats.recent.wrong, t.deck, t.topic))
    others = [t for t in topics if t.stats.recent.answers < rules.min_answers]
    others.sort(key=lambda t: (-t.stats.recent.answers, -t.stats.answers, t.deck, t.topic))
    result = [replace(t, rank=index, reason=ranked_reason(t, rules))
              for index, t in enumerate(ranked, start=1)]
    result.extend(replace(t, rank=None, reason=unranked_reason(t, rules)) for t in others)
    return result


def ranked_reason(topic: TopicReport, rules: ReportRules) -> str:
    """Why a ranked topic is where it is, e.g. '4 of the last 10 answers wrong; 3 leeches'."""
    recent = topic.stats.recent
    if recent.wrong:
        parts = [f"{recent.wrong} of the last {recent.answers} answers wrong"]
    else:
        parts = [f"all of the last {recent.answers} answers right"]
    parts.extend(_details(topic))
    return "; ".join(parts)


def unranked_reason(topic: TopicReport, rules: ReportRules) -> str:
    """Why a topic is not ranked: not studied, not lately, or too few answers."""
    stats = topic.stats
    days = rules.recent_days
    if stats.recent.answers:
        n = stats.recent.answers
        parts = [f"only {plural(n, 'answer')} in the last {days} days;"
                 f" {rules.min_answers} needed to rank"]
    elif stats.answers or stats.new < stats.cards:
        parts = [f"no answers in the last {days} days"]
    else:
        parts = ["not studied yet"]
    parts.extend(_details(topic))
    return "; ".join(parts)


def _details(topic: TopicReport) -> list[str]:
    stats = topic.stats
    parts = []
    if stats.leeches:
        parts.append(f"{stats.leeches} leech{'es' if stats.leeches != 1 else ''}")
    trend = stats.trend
    if trend.direction in ("up", "down"):
        before, now = trend.previous_week.rate or 0.0, trend.this_week.rate or 0.0
        word = "better" if trend.direction == "up" else "worse"
        parts.append(f"{word} this week: {before:.0%} -> {now:.0%}")
    return parts
