"""A session's progress (planned cards done, repeats apart) and cards the learner rates
themselves: a real store on disk, a fixed clock, the real rules grader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor.decks.native import load_deck
from tutor.errors import TutorError
from tutor.grading.base import GradeRequest, GradeResult
from tutor.grading.service import GradingService
from tutor.schedule import FixedClock, LeitnerScheduler
from tutor.store import StudyStore
from tutor.study.session import SELF_GRADER, Progress, StudySession

DECK = """title: Capitals
---
topic: europe
Q: Capital of France?
A: Paris
---
topic: europe
Q: Capital of Spain?
A: Madrid
---
topic: america
Q: Name every country of South America.
A: Argentina, Bolivia, Brazil, Chile, Colombia, Ecuador, Guyana, Paraguay, Peru,
  Suriname, Uruguay, Venezuela
"""


class NoGrading:
    """Session grading that fails the test if any grader is asked."""

    label = "none"

    def __init__(self) -> None:
        self.asked: list[str] = []

    def provisional(self, request: GradeRequest) -> GradeResult:
        self.asked.append(request.answer)
        raise AssertionError("a grader was asked for a self-rated card")

    def wants_refinement(self, request: GradeRequest, provisional: GradeResult) -> bool:
        raise AssertionError("a grader was asked for a self-rated card")

    def refine(self, request: GradeRequest, provisional: GradeResult) -> GradeResult:
        raise AssertionError("a grader was asked for a self-rated card")


@pytest.fixture
def deck_path(tmp_path: Path) -> Path:
    path = tmp_path / "capitals.deck"
    path.write_text(DECK, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StudyStore]:
    with StudyStore(tmp_path / "profile") as opened:
        yield opened


def make_session(deck_path: Path, store: StudyStore, grading=None) -> StudySession:
    deck = load_deck(deck_path).deck
    return StudySession.due([deck], store, LeitnerScheduler(),
                            grading or GradingService.wrap(None), FixedClock())


def counts(session: StudySession) -> tuple[int, int, int, int]:
    progress = session.progress()
    return progress.done, progress.planned, progress.repeats_done, progress.repeats_left


def test_the_plan_is_fixed_and_a_missed_card_coming_back_is_a_repeat(
        deck_path: Path, store: StudyStore) -> None:
    session = make_session(deck_path, store)
    assert counts(session) == (0, 3, 0, 0)
    session.submit("Berlin")  # wrong: France comes back
    assert counts(session) == (1, 3, 0, 1)
    session.submit("Madrid")
    session.submit("I don't know")  # wrong: South America comes back too
    assert counts(session) == (3, 3, 0, 2)
    assert session.queue.total == 5  # the queue holds the repeats; the plan does not
    assert session.current is not None and session.current.step == 1
    session.submit("Lyon")  # France's repeat, wrong again: a second repeat
    assert counts(session) == (3, 3, 1, 2)
    session.submit("Argentina, Bolivia, Brazil, Chile, Colombia, Ecuador, Guyana, Paraguay, "
                   "Peru, Suriname, Uruguay, Venezuela")
    session.submit("Paris")
    assert counts(session) == (3, 3, 3, 0)
    assert session.finished and session.progress().fraction == 1.0
    session.undo()
    assert counts(session) == (3, 3, 2, 1)


def test_undo_and_skip_keep_the_plan(deck_path: Path, store: StudyStore) -> None:
    session = make_session(deck_path, store)
    session.skip()
    session.submit("Madrid")
    assert counts(session) == (1, 3, 0, 0)
    session.undo()
    assert counts(session) == (0, 3, 0, 0)
    assert Progress(done=0, planned=0, repeats_done=0, repeats_left=0).fraction == 1.0


def test_a_self_rating_is_recorded_with_grader_self_and_no_grader_is_asked(
        deck_path: Path, store: StudyStore, tmp_path: Path) -> None:
    grading = NoGrading()
    session = make_session(deck_path, store, grading)
    session.skip()
    session.skip()
    item = session.current
    assert item is not None and item.card.front.startswith("Name every country")
    attempt = session.self_rate(4, response_ms=900)
    assert attempt.self_rated and not attempt.refining and not attempt.asks_learner
    assert attempt.result.grader == SELF_GRADER and attempt.result.score == 4
    assert (attempt.box_before, attempt.box_after) == (1, 2)  # moves like any pass
    assert grading.asked == []
    review = store.reviews()[-1]
    assert (review.card_id, review.grader, review.score, review.answer, review.response_ms) == (
        item.card.id, "self", 4, "", 900)
    assert store.state(item.card.id).box == 2
    assert counts(session) == (1, 3, 0, 0)
    # A low rating fails the card like any failed answer: box 1, and it comes back.
    low = session.self_rate(1)
    assert not low.result.correct and counts(session) == (2, 3, 0, 1)
    with pytest.raises(TutorError, match="rated this card yourself"):
        session.override(True, low)
    with pytest.raises(TutorError, match="0 to 5"):
        session.self_rate(6)
    summary = session.summary()
    assert (summary.reviewed, summary.self_rated, summary.overrides) == (2, 2, 0)
    store.close()
    with StudyStore(tmp_path / "profile") as reopened:
        assert [(r.grader, r.score) for r in reopened.reviews()] == [("self", 4), ("self", 1)]


def test_undo_takes_back_a_self_rating(deck_path: Path, store: StudyStore) -> None:
    session = make_session(deck_path, store, NoGrading())
    first = session.current
    session.self_rate(0)
    assert counts(session) == (1, 3, 0, 1)
    undone = session.undo()
    assert undone is not None and undone.self_rated
    assert store.reviews() == [] and session.current is first
    assert counts(session) == (0, 3, 0, 0)
