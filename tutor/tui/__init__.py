"""The Textual UI. The only package that imports Textual."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen

    from tutor.decks.library import DeckLibrary
    from tutor.decks.model import Deck
    from tutor.grading.base import Grader
    from tutor.grading.policy import GradingPolicy
    from tutor.grading.service import GradingService
    from tutor.report.drill import DrillRequest
    from tutor.schedule.clock import Clock
    from tutor.settings import Settings
    from tutor.store.study_store import StudyStore
    from tutor.tui.app import TutorApp


def create_app(settings: "Settings", library: "DeckLibrary", *,
               store: "StudyStore | None" = None, clock: "Clock | None" = None,
               grader: "GradingService | GradingPolicy | Grader | None" = None,
               study: "Sequence[Deck]" = (), topics: "Sequence[str]" = (),
               screen: "Screen | None" = None,
               drill: "DrillRequest | None" = None) -> "TutorApp":
    """Build the app: the one factory used by the CLI, the tests and the bench.

    ``store``: the study store (default: the profile's, opened here; `StoreError` when
    another tutor holds it). ``clock``: where "now" comes from (tests pass a `FixedClock`).
    ``grader``: a ready `GradingService` (shared with an exam), a `GradingPolicy`, or one
    refining `Grader` put after the rules (default: `GradingService.for_settings`).
    ``study``: decks to start studying at once; with ``topics``, a drill of those topics'
    cards (in ``study``, or every deck) instead.
    ``screen``: shown instead of the deck list (``tutor exam``); the app ends when it closes.
    ``drill``: a report's drill (exact cards of some deck topics) to start at once.
    Decks read from the bundled folder save their first change into the learner's deck
    folder (`copy_bundled_on_change`).
    """
    from tutor import settings as settings_module
    from tutor.decks.library import copy_bundled_on_change
    from tutor.grading.service import GradingService
    from tutor.schedule.clock import SystemClock
    from tutor.store.profiles import open_store
    from tutor.tui.app import TutorApp

    # A change to a bundled deck (an edit, "I was right") goes to the learner's own copy.
    copy_bundled_on_change(library.decks, settings_module.BUNDLED_DECKS, settings.deck_paths[0])

    grading = (GradingService.wrap(grader) if grader is not None
               else GradingService.for_settings(settings))
    owns_store = store is None
    opened = store if store is not None else open_store(settings)
    try:
        return TutorApp(settings, library, store=opened, grading=grading,
                        clock=clock or SystemClock(), owns_store=owns_store, study_decks=study,
                        study_topics=topics, first_screen=screen,
                        study_drill=drill)
    except BaseException:
        if owns_store:
            opened.close()
        raise
