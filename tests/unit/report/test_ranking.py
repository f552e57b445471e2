"""The weakness ranking on constructed histories with known answers."""

from __future__ import annotations

from datetime import timedelta

from report_history import NOW, History, deck

from tutor.report import ReportRules, build_report, weakest_drill
from tutor.report.drill import drill_candidates

SPANISH = deck("spanish", {"verbs": 4, "nouns": 4, "colours": 3, "old": 2})


def ids(topic: str) -> list[str]:
    return [card.id for card in SPANISH.cards if card.topic == topic]


def spanish_history() -> History:
    history = History()
    start = NOW - timedelta(days=20)
    # verbs: 6 of 10 wrong; nouns: 1 of 10 wrong; colours: only 2 answers, both wrong.
    history.answers(ids("verbs"), [1, 4, 1, 2, 5, 1, 4, 2, 1, 4], start, topic="verbs")
    history.answers(ids("nouns"), [5, 4, 5, 5, 4, 5, 5, 2, 5, 5], start, topic="nouns")
    history.answers(ids("colours"), [1, 2], NOW - timedelta(days=2), topic="colours")
    # old: many wrong answers, but all more than 30 days ago.
    history.answers(ids("old"), [0] * 12, NOW - timedelta(days=60), topic="old")
    return history


def test_clearly_weak_topic_is_ranked_first() -> None:
    history = spanish_history()
    report = build_report(history.reviews, history.states, NOW, decks=[SPANISH])
    # colours: 0 of 2 right, upper end 66%; verbs 4 of 10 right, 69%; nouns 9 of 10, 98%.
    ranked = [(t.topic, t.rank) for t in report.weakest]
    assert ranked == [("colours", 1), ("verbs", 2), ("nouns", 3)]
    verbs = report.topic("spanish", "verbs")
    assert verbs is not None
    assert verbs.reason.startswith("6 of the last 10 answers wrong")
    assert not verbs.few_answers
    assert report.topics[1] is verbs


def test_topic_with_few_answers_is_ranked_and_marked() -> None:
    history = spanish_history()
    report = build_report(history.reviews, history.states, NOW, decks=[SPANISH])
    colours = report.topic("spanish", "colours")
    assert colours is not None
    assert colours.rank == 1 and colours.few_answers
    assert colours.reason == "2 of the last 2 answers wrong; few answers"
    assert colours in report.weakest


def test_first_session_ranks_the_topic_that_went_worst() -> None:
    """After one session, 'weights' (1 of 3 right) is weaker than 'learning' (4 of 5)."""
    ml = deck("ml", {"learning": 3, "weights": 2})
    history = History()
    start = NOW - timedelta(minutes=30)
    step = timedelta(minutes=2)
    learning = [c.id for c in ml.cards if c.topic == "learning"]
    weights = [c.id for c in ml.cards if c.topic == "weights"]
    when = history.answers(learning, [5, 4, 1, 5, 4], start, step, deck="ml", topic="learning")
    history.answers(weights, [2, 5, 0], when, step, deck="ml", topic="weights")
    report = build_report(history.reviews, history.states, NOW, decks=[ml])
    # Upper ends: weights 1/3 -> 79%, learning 4/5 -> 96%.
    assert [(t.topic, t.rank, t.few_answers) for t in report.weakest] == [
        ("weights", 1, True), ("learning", 2, False)]
    assert report.topic("ml", "weights").reason == (  # type: ignore[union-attr]
        "2 of the last 3 answers wrong; few answers")
    drill = weakest_drill(report, 3)
    assert drill is not None
    assert drill.topics == (("ml", "weights"), ("ml", "learning"))
    assert drill.asked == 3 and drill.shortfall == "2 topics to drill (asked for 3)"
    assert weakest_drill(report, 2).shortfall == ""  # type: ignore[union-attr]
    assert [t.topic for t in drill_candidates(report, 1)] == ["weights"]


def test_drill_takes_a_topic_with_one_wrong_answer() -> None:
    ml = deck("ml", {"learning": 3, "weights": 2})
    history = History()
    learning = [c.id for c in ml.cards if c.topic == "learning"]
    weights = [c.id for c in ml.cards if c.topic == "weights"]
    history.answers(learning, [5] * 8, NOW - timedelta(days=3), deck="ml", topic="learning")
    history.answer(weights[0], 1, NOW - timedelta(hours=1), deck="ml", topic="weights")
    report = build_report(history.reviews, history.states, NOW, decks=[ml])
    weights_topic = report.topic("ml", "weights")
    assert weights_topic is not None and weights_topic.rank == 1
    assert weights_topic.reason == "the last answer wrong; few answers"
    drill = weakest_drill(report, 3)
    assert drill is not None and drill.topics == (("ml", "weights"),)
    assert drill.shortfall == "1 topic to drill (asked for 3)"


def test_answers_older_than_the_recent_window_do_not_rank() -> None:
    history = spanish_history()
    report = build_report(history.reviews, history.states, NOW, decks=[SPANISH])
    old = report.topic("spanish", "old")
    assert old is not None
    assert old.stats.answers == 12 and old.stats.recent.answers == 0
    assert old.rank is None
    assert old.reason.startswith("no answers in the last 30 days")


def test_few_answers_threshold_is_a_rule_that_can_be_changed() -> None:
    history = spanish_history()
    report = build_report(history.reviews, history.states, NOW, decks=[SPANISH],
                          rules=ReportRules(min_answers=2))
    assert [(t.topic, t.few_answers) for t in report.weakest] == [
        ("colours", False), ("verbs", False), ("nouns", False)]
    strict = build_report(history.reviews, history.states, NOW, decks=[SPANISH],
                          rules=ReportRules(min_answers=11))
    assert all(t.few_answers for t in strict.weakest)


def test_more_evidence_of_the_same_accuracy_ranks_weaker() -> None:
    topics = deck("maths", {"fractions": 5, "algebra": 5, "geometry": 5})
    history = History()
    start = NOW - timedelta(days=25)
    step = timedelta(hours=5)
    by_topic = {t: [c.id for c in topics.cards if c.topic == t] for t in topics.topic_names()}
    history.answers(by_topic["fractions"], [5] * 6 + [1] * 4, start, step, deck="maths",
                    topic="fractions")
    history.answers(by_topic["algebra"], [5] * 60 + [1] * 40, start, step, deck="maths",
                    topic="algebra")
    history.answers(by_topic["geometry"], [0] * 5, start, step, deck="maths", topic="geometry")
    report = build_report(history.reviews, history.states, NOW, decks=[topics])
    # geometry 0/5 (upper end 43%), algebra 60/100 (69%), fractions 6/10 (83%).
    assert [t.topic for t in report.weakest] == ["geometry", "algebra", "fractions"]
    assert report.topic("maths", "algebra").stats.recent.rate == 0.6  # type: ignore[union-attr]
    assert report.topic("maths", "fractions").stats.recent.rate == 0.6  # type: ignore[union-attr]


def test_reason_names_wrong_answers_and_leeches() -> None:
    topics = deck("history", {"dates": 6})
    history = History()
    cards = [c.id for c in topics.cards]
    # Three cards failed four times each, long ago: leeches.
    when = NOW - timedelta(days=80)
    for card_id in cards[:3]:
        for _ in range(4):
            history.answer(card_id, 1, when, deck="history", topic="dates")
            when += timedelta(days=1)
    # Recently: 4 of 10 wrong.
    history.answers(cards, [5, 1, 5, 1, 5, 1, 5, 1, 5, 5], NOW - timedelta(days=9),
                    deck="history", topic="dates")
    report = build_report(history.reviews, history.states, NOW, decks=[topics])
    dates = report.topic("history", "dates")
    assert dates is not None and dates.rank == 1
    assert dates.reason == "4 of the last 10 answers wrong; 3 leeches"


def test_ties_go_to_more_leeches_then_lower_mastery() -> None:
    topics = deck("t", {"a": 5, "b": 5})
    history = History()
    for name in ("a", "b"):
        cards = [c.id for c in topics.cards if c.topic == name]
        history.answers(cards, [5, 5, 1, 5, 1], NOW - timedelta(days=5), deck="t", topic=name)
    extra = [c.id for c in topics.cards if c.topic == "b"][4]
    for day in range(4):  # b gets a leech, failed long ago (outside the recent window)
        history.answer(extra, 0, NOW - timedelta(days=70 - day), deck="t", topic="b")
    report = build_report(history.reviews, history.states, NOW, decks=[topics])
    assert [t.topic for t in report.weakest] == ["b", "a"]
