"""`study_drill`: what `tutor study --topics / --weak` drills, read from a real store."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from report_history import deck

from tutor.errors import TutorError
from tutor.schedule import LeitnerScheduler
from tutor.settings import load_settings
from tutor.store import StudyStore
from tutor.study.drill import study_drill

SPANISH = deck("spanish", {"verbs": 3, "nouns": 3})


def test_weak_drills_the_weakest_topics_from_the_store() -> None:
    settings = load_settings()
    scheduler = LeitnerScheduler()
    when = datetime.now().astimezone() - timedelta(days=3)
    with StudyStore(settings.profile_path) as store:
        for index, score in enumerate([1, 0, 5, 1, 2, 1, 5, 5, 5, 4, 5, 5]):
            topic = "verbs" if index < 6 else "nouns"
            card_id = f"spanish-{topic}-{index % 3 + 1}"
            state = store.state(card_id) or scheduler.new_state(card_id, "spanish")
            outcome = scheduler.review(state, score, when, topic=topic)
            store.record_review(outcome.review, outcome.state)
            when += timedelta(hours=3)
        request = study_drill(settings, [SPANISH], weak=2)  # works while the store is open
    assert request.topics == (("spanish", "verbs"),)  # nouns: never wrong, nothing to drill
    assert request.card_ids == ("spanish-verbs-1", "spanish-verbs-2", "spanish-verbs-3")


def test_nothing_weak_yet_is_one_clear_line() -> None:
    with pytest.raises(TutorError, match="no weak topic to drill yet"):
        study_drill(load_settings(), [SPANISH], weak=3)
    with pytest.raises(TutorError, match="--weak needs a number"):
        study_drill(load_settings(), [SPANISH], weak=0)


def test_topics_by_name() -> None:
    request = study_drill(load_settings(), [SPANISH], topics="Nouns")
    assert request.topics == (("spanish", "nouns"),) and len(request.card_ids) == 3
    with pytest.raises(TutorError, match="--topics: no topic 'art'"):
        study_drill(load_settings(), [SPANISH], topics="nouns,art")
