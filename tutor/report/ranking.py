"""The weakness ranking: which topics to drill first, and a short reason for each.

The rule (also in the README):

1. Every topic with an answer in the last `ReportRules.recent_days` (30) days is
   ranked, however few: after a first session the report already says which topic
   went worst. Topics with fewer than `ReportRules.min_answers` (5) such answers are
   marked "few answers" (`TopicReport.few_answers`) so that nobody mistakes one bad
   answer for a settled weakness. Topics with no recent answer are listed after the
   ranked ones with why ("no answers in the last 30 days", "not studied yet").
2. Ranked topics are ordered by the upper end of the 95% Wilson interval of their
   recent accuracy, lowest first: the best accuracy their answers still allow.
   A topic ranks as weak because its answers show it is weak, and more evidence
   counts, so few answers are penalised by the interval itself: 0 of 5 right (upper
   end 43%) comes first; 60 of 100 right (69%) comes before 6 of 10 right (83%) -
   both are 60%, but ten answers cannot yet rule out that the topic is known fairly
   well, and a hundred can. 1 of 3 right (79%) comes before 4 of 5 right (96%).
3. Ties go to the topic with more leeches, then lower mastery, then more wrong
   answers, then deck and topic name (so the order is stable).

The reason names the evidence: "4 of the last 10 answers wrong", "few answers" when
there are under 5, the leeches ("3 leeches"), and the trend when it moved ("worse
this week: 80% -> 55%").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tutor.report.model import ReportRules, TopicReport

#: The mark of a ranked topic with fewer than `ReportRules.min_answers` recent answers.
FEW_ANSWERS = "few answers"


def rank_topics(topics: Sequence[TopicReport], rules: ReportRules) -> list[TopicReport]:
    """The topics with ``rank`` and ``reason`` set: ranked ones weakest first, then the rest."""
    ranked = [t for t in topics if t.stats.recent.answers]
    ranked.sort(key=lambda t: (round(t.stats.recent.upper, 9), -t.stats.leeches,
                               t.stats.mastery, -t.stats.recent.wrong, t.deck, t.topic))
    others = [t for t in topics if not t.stats.recent.answers]
    others.sort(key=lambda t: (-t.stats.answers, t.deck, t.topic))
    result = [replace(t, rank=index, reason=ranked_reason(t, rules),
                      few_answers=t.stats.recent.answers < rules.min_answers)
              for index, t in enumerate(ranked, start=1)]
    result.extend(replace(t, rank=None, reason=unranked_reason(t, rules), few_answers=False)
                  for t in others)
    return result


def ranked_reason(topic: TopicReport, rules: ReportRules) -> str:
    """Why a ranked topic is where it is, e.g. '4 of the last 10 answers wrong; 3 leeches',
    '2 of the last 3 answers wrong; few answers'."""
    recent = topic.stats.recent
    if recent.answers == 1:
        parts = ["the last answer wrong" if recent.wrong else "the last answer right"]
    elif recent.wrong:
        parts = [f"{recent.wrong} of the last {recent.answers} answers wrong"]
    else:
        parts = [f"all of the last {recent.answers} answers right"]
    if recent.answers < rules.min_answers:
        parts.append(FEW_ANSWERS)
    parts.extend(_details(topic))
    return "; ".join(parts)


def unranked_reason(topic: TopicReport, rules: ReportRules) -> str:
    """Why a topic is not ranked: not studied yet, or not lately."""
    stats = topic.stats
    days = rules.recent_days
    if stats.answers or stats.new < stats.cards:
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
