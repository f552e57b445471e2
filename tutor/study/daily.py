"""Today's numbers from the store: the new-card allowance, why nothing is left to
study, and the days studied in a row (the pure rules are in `tutor.schedule.limits`
and `tutor.schedule.forecast`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from tutor.decks.model import Deck
from tutor.formatting import plural
from tutor.schedule.forecast import study_days, study_streak
from tutor.schedule.leitner import LeitnerScheduler
from tutor.schedule.limits import NewCardLimits
from tutor.schedule.summary import summarize
from tutor.settings import StudySettings
from tutor.store.study_store import StudyStore

#: The first look back for the streak, in days (it widens while the streak fills it).
STREAK_WINDOW_DAYS = 16


def new_card_limits(store: StudyStore, study: StudySettings, day_start: datetime) -> NewCardLimits:
    """The new-card allowance of the study day starting at ``day_start``."""
    return NewCardLimits(per_deck=study.new_per_day, total=study.new_per_day_total,
                         studied=store.new_cards_by_deck(day_start),
                         extra=store.extra_new_cards(day_start))


def days_in_a_row(store: StudyStore, scheduler: LeitnerScheduler, now: datetime) -> int:
    """Study days in a row with at least one review, up to today (see `study_streak`).

    Only the last weeks are read unless the streak reaches back further.
    """
    today = scheduler.day_start(now)
    window = STREAK_WINDOW_DAYS
    while True:
        times = store.review_times(today - timedelta(days=window))
        streak = study_streak(study_days(times, scheduler.day_start, now.tzinfo), today.date())
        if streak < window - 1 or len(times) >= store.review_count():
            return streak
        window *= 4


def nothing_to_study(decks: Sequence[Deck], store: StudyStore, scheduler: LeitnerScheduler,
                     study: StudySettings, now: datetime, title: str) -> str:
    """Why a session over ``decks`` has no card now, and what to do: the message shown
    instead of an empty session."""
    ids = [card.id for deck in decks for card in deck.cards]
    if not ids:
        return f"There are no cards in {title or 'these decks'}."
    states = store.states(ids)
    text = f"Nothing due in {title or 'these decks'} now"
    upcoming = [s.due for s in states.values() if s.due is not None and s.due > now]
    if upcoming:
        when = min(upcoming).astimezone(now.tzinfo)
        text += f"; next card due {when:%Y-%m-%d %H:%M}"
    text += "."
    due_left = sum(1 for s in states.values() if s.is_due(now))
    if due_left:
        text += (f" Today's review limit ({study.review_cap}) is reached;"
                 f" {plural(due_left, 'due card')} left.")
    limits = new_card_limits(store, study, scheduler.day_start(now))
    unseen = summarize(ids, states, now).new
    if unseen and limits.total_room == 0:
        text += (f" Today's new-card limit for all decks is reached ({limits.studied_total}"
                 f" of {limits.total_limit}); {plural(unseen, 'new card')} left.")
    elif unseen and len(decks) == 1:
        key = decks[0].key
        text += (f" Today's new-card limit is reached ({limits.today_text(key)});"
                 f" {plural(unseen, 'new card')} left.")
    elif unseen:
        text += f" Today's new-card limits are reached; {plural(unseen, 'new card')} left."
    key_hint = "Press m" if len(decks) == 1 else "Select a deck and press m"
    return f"{text} {key_hint} to study more."
