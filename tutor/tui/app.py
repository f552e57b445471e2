"""The Textual application: thin. Screens do the work; the app owns the shared parts
(store, the `GradingService`, clock), the study's grading workers, which must outlive a
screen (thread workers that call the service, which never raises), and navigation:
screens post the requests of `tutor.tui.messages` and the app alone decides which screen
is shown (it is the one module that imports the screens it shows)."""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal

from tutor.decks.library import DeckLibrary
from tutor.decks.model import Deck
from tutor.errors import TutorError
from tutor.formatting import plural
from tutor.grading.service import RULES_LABEL, GraderStatus, GradingService
from tutor.schedule.clock import Clock
from tutor.schedule.leitner import LeitnerScheduler
from tutor.settings import Settings
from tutor.store.errors import StoreError
from tutor.store.study_store import StudyStore
from tutor.study.session import Attempt, StudySession
from tutor.tui.messages import (
    AttemptChanged,
    BackToDecks,
    BrowseRequested,
    DrillRequested,
    ExamRequested,
    ExplanationReady,
    GradeRefined,
    ModelFailed,
    ModelLoaded,
    ReportRequested,
    SessionFinished,
    StudyMoreRequested,
    StudyRequested,
)
from tutor.tui.palette import TutorCommands
from tutor.tui.screens.study import StudyScreen

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.notifications import SeverityLevel

    from tutor.exam.model import ExamOptions
    from tutor.report.drill import DrillRequest
    from tutor.report.model import StudyReport
    from tutor.study.more import StudyMoreChoice

MODEL_GROUP = "model"
GRADE_GROUP = "grade"
WARM_UP_GROUP = "warm-up"
PREPARE_GROUP = "prepare"
EXPLAIN_GROUP = "explain"
LOAD_WAIT_ON_QUIT_S = 60.0
"""How long quitting waits for a model load under way to stop (its weights cannot stop
midway: a few seconds on 2 cores)."""


class TutorApp(App[int]):
    """tutor's terminal UI."""

    TITLE = "tutor"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {TutorCommands}

    grader_status: reactive[GraderStatus] = reactive(GraderStatus(RULES_LABEL, "rules"))
    """What grades now; the status bars follow it."""

    def __init__(self, settings: Settings, library: DeckLibrary, *, store: StudyStore,
                 grading: GradingService, clock: Clock, owns_store: bool = True,
                 study_decks: Sequence[Deck] = (), study_topics: Sequence[str] = (),
                 first_screen: Screen | None = None,
                 study_drill: DrillRequest | None = None) -> None:
        super().__init__()
        self.study_drill = study_drill
        """A report's drill to start at once (``tutor study --topics / --weak``)."""
        self.first_screen = first_screen
        """A screen to show instead of the deck list (the exam); the app ends when it closes."""
        self.settings = settings
        self.library = library
        self.store = store
        self.grading = grading
        self.clock = clock
        self.scheduler = LeitnerScheduler.from_settings(settings.study)
        self.owns_store = owns_store
        self.study_decks = list(study_decks)
        self.study_topics = list(study_topics)
        self._being_checked: list[Attempt] = []
        """Answers sent to the model whose verdict has not arrived yet."""
        self._background_started = False
        self._quit_when_graded = False
        self._model_load_ended = threading.Event()
        self._model_load_ended.set()  # no load under way until one starts
        self.attempt_changed: Signal[AttemptChanged] = Signal(self, "attempt-changed")
        """Published when the grade in force for an answer changes (a late verdict):
        the screens showing its session subscribe."""
        if settings.theme and settings.theme in self.available_themes:
            self.theme = settings.theme

    def on_mount(self) -> None:
        """Show the named session (else the deck list) at once; start the model after it.

        With decks named, the study screen is the first thing drawn: the deck list is
        built only when the learner goes back to it (`show_deck_list`), so it does not
        delay the first question.
        """
        self.grader_status = self.grading.status()
        if self.first_screen is not None:
            self.push_screen(self.first_screen, lambda _result: self.exit(0))
        elif not self._start_named_session():
            self.show_deck_list()
        if self.grader_status.is_fallback:  # a model was asked for, but no file to load
            self.notify(self.grader_status.note, title="Model not loaded", severity="warning",
                        timeout=10)
        for error in self.library.errors:
            self.notify(error, title="Deck problem", severity="error", timeout=10)
        if warnings := self.library.warnings:  # a card without 'A:', stray text: with lines
            more = f"\n(+{len(warnings) - 3} more)" if len(warnings) > 3 else ""
            self.notify("\n".join(warnings[:3]) + more, title="Deck problem",
                        severity="warning", timeout=10)
        for note in self.library.notes:  # e.g. a bundled deck read from the learner's copy
            self.notify(note, title="Decks", timeout=8)
        if self.settings.theme and self.settings.theme not in self.available_themes:
            self.notify(f"unknown theme '{self.settings.theme}'", title="Settings",
                        severity="warning")
        if self.store.recovery_message:
            self.notify(self.store.recovery_message, title="Study data repaired",
                        severity="warning", timeout=20)
        if not isinstance(self.screen, StudyScreen):
            # A study screen calls this itself once its first question is drawn.
            self.call_after_refresh(self.start_background_work)
        if self.first_screen is None and not self.settings.welcome_marker.exists():
            self.call_after_refresh(self.show_welcome)

    def show_welcome(self) -> None:
        """The first-start welcome, over the first screen; remembered once it is closed."""
        from tutor.tui.screens.welcome import WelcomeScreen

        welcome = WelcomeScreen(self.settings.deck_paths, self.settings.profile_path,
                                model=self.grading.policy.uses_model)
        self.push_screen(welcome, lambda _result: self._remember_welcome())

    def _remember_welcome(self) -> None:
        marker = self.settings.welcome_marker
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass  # an unwritable data folder: the welcome shows again next time

    async def action_quit(self) -> None:
        """Quit; while the model still checks answers, first wait for its verdicts.

        Its verdicts are recorded when they arrive, so quitting at once would keep the
        rules verdicts instead. A second quit does not wait.
        """
        await self._settle_keys_sent_before()
        pending = self.answers_being_checked()
        if pending and not self._quit_when_graded:
            self._quit_when_graded = True
            self.notify(f"The model is still checking {plural(pending, 'answer')}: tutor quits once "
                        f"{'they are' if pending > 1 else 'it is'} saved. Press Ctrl+Q again"
                        " to quit now (the rules verdicts then stand).",
                        title="Saving the last grades", timeout=30)
            return
        self.exit()

    async def _settle_keys_sent_before(self) -> None:
        """Let the keys that reached the focused widget before this quit take effect.

        Ctrl+Q acts as it arrives, ahead of keys still queued for the focused widget: Enter
        then Ctrl+Q in one burst quit before the answer's submission (a message that goes up
        from the answer box to the screen) was handled, and the answer was lost. Each of
        the widget's and its parents' queues is passed through once, in the order such a
        message travels (the widget's twice: its key, then the message the key posts); a
        queue that does not answer within a second is not waited for.
        """
        focused = self.focused
        if focused is None:
            return
        pumps = [focused, *focused.ancestors_with_self]
        for pump in pumps:
            if pump is self:
                break
            passed = asyncio.Event()
            pump.call_later(passed.set)
            try:
                await asyncio.wait_for(passed.wait(), timeout=1.0)
            except asyncio.TimeoutError:
                return

    def exit(self, result: int | None = None, return_code: int = 0,
             message: RenderableType | None = None) -> None:
        """Exit; a model load under way is first told to stop and waited for.

        While llama.cpp reads the weights (a few seconds, not stoppable midway) it points
        stdout and stderr at /dev/null: the terminal restored then was lost, and the shell
        was left in the app's screen with mouse reporting on.
        """
        self.grading.close()
        self._model_load_ended.wait(LOAD_WAIT_ON_QUIT_S)
        super().exit(result, return_code, message)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Show a notification as plain text (``markup`` is ignored): messages quote card
        text, deck titles and file names, and one reading 'List[int]' showed 'List'."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def answers_being_checked(self) -> int:
        """Answers whose model verdict is still to come."""
        return sum(1 for attempt in self._being_checked if attempt.refining)

    def _quit_if_done(self) -> None:
        if self._quit_when_graded and not self.answers_being_checked():
            self.exit()

    def _start_named_session(self) -> bool:
        """Start the session the command line asked for; False when none was or nothing is due."""
        if self.study_drill is not None:
            return self.drill_request(self.study_drill)
        if self.study_topics:
            return self.drill(self.study_decks or self.library.decks, self.study_topics)
        if self.study_decks:
            title = ", ".join(deck.title for deck in self.study_decks)
            return self.study(self.study_decks, title=title)
        return False

    def show_deck_list(self) -> None:
        """Close the screens over the deck list; build it if there is none (the app opened
        straight into a session: it is imported on first use, so a session named on the
        command line never waits for it)."""
        from tutor.tui.screens.deck_list import DeckListScreen

        deck_list = next((screen for screen in self.screen_stack
                          if isinstance(screen, DeckListScreen)), None)
        while self.screen is not deck_list and len(self.screen_stack) > 1:
            self.pop_screen()
        if deck_list is None:
            self.push_screen(DeckListScreen(self.library, self.store, self.clock,
                                            boxes=self.scheduler.boxes,
                                            study=self.settings.study,
                                            scheduler=self.scheduler))

    def on_unmount(self) -> None:
        """Close the store (progress is saved on every answer; this folds the journal), and
        stop a model still loading at its next chunk instead of holding the exit."""
        self.grading.close()
        if self.owns_store:
            self.store.close()

    # -- sessions ------------------------------------------------------------------------

    def study(self, decks: Sequence[Deck], *, title: str = "") -> bool:
        """Start a session over ``decks``; False (with a note) when nothing is due."""
        session = StudySession.due(decks, self.store, self.scheduler, self.grading, self.clock,
                                   self.settings.study, title=title)
        if session.finished:
            from tutor.study.daily import nothing_to_study

            text = nothing_to_study(decks, self.store, self.scheduler, self.settings.study,
                                    self.clock.now(), title)
            self.notify(text, title="Nothing to study", timeout=10)
            return False
        return self.start_session(session)

    def drill(self, decks: Sequence[Deck], topics: Sequence[str], *, title: str = "",
              limit: int | None = None, request: DrillRequest | None = None) -> bool:
        """Drill the cards of ``topics`` in ``decks`` now, due or not (weak-topic practice);
        with ``request``, exactly its cards (a topic of one deck, not its namesakes)."""
        include = request.card_filter() if request is not None else None
        session = StudySession.drill(decks, self.store, self.scheduler, self.grading,
                                     self.clock, topics, limit=limit, title=title,
                                     include=include)
        if session.finished:
            self.notify(f"No cards in the topics {', '.join(topics)}.",
                        title="Nothing to drill", timeout=6)
            return False
        return self.start_session(session)

    def start_session(self, session: StudySession) -> bool:
        """Show the study screen for a ready session."""
        if session.finished:
            return False
        self.push_screen(StudyScreen(session, self))
        return True

    def drill_request(self, request: DrillRequest) -> bool:
        """Start the drill a report asked for (its topics, in the decks they come from)."""
        keys = set(request.decks)
        decks = [deck for deck in self.library.decks if deck.key in keys]
        if not decks:
            self.notify("The decks of those topics are not loaded.", title="Nothing to drill")
            return False
        topics = list(dict.fromkeys(topic for _deck, topic in request.topics))
        if request.shortfall:
            self.notify(request.shortfall, title="Drill", timeout=6)
        return self.drill(decks, topics, title=request.title, request=request)

    # -- navigation: what the screens ask for ---------------------------------------------

    def on_study_requested(self, message: StudyRequested) -> None:
        """Study the decks' due cards (a note instead when none is due)."""
        self.study(message.decks, title=message.title)

    def on_drill_requested(self, message: DrillRequested) -> None:
        """Study a ready drill in place of the screen that asked (the summary)."""
        if not message.session.finished:
            self.switch_screen(StudyScreen(message.session, self))

    def on_session_finished(self, message: SessionFinished) -> None:
        """A study screen is done: its summary replaces it, or the deck list follows
        when nothing was answered."""
        from tutor.tui.screens.summary import SummaryScreen

        session = message.session
        screen = self.screen
        if not isinstance(screen, StudyScreen) or screen.session is not session:
            return  # asked twice, or a dialog is open over it: not this screen's turn
        if session.attempts:
            self.switch_screen(SummaryScreen(session, self.attempt_changed))
            return
        if session.finished:
            self.notify("Nothing to study here right now.", timeout=4)
        self.show_deck_list()

    def on_back_to_decks(self, message: BackToDecks) -> None:
        """Back to the deck list."""
        self.show_deck_list()

    def on_study_more_requested(self, message: StudyMoreRequested) -> None:
        """Ask how to study more of a deck (new cards, review ahead, a topic), then start it."""
        from tutor.study.daily import new_card_limits
        from tutor.study.more import study_more_offer
        from tutor.tui.screens.study_more import StudyMoreScreen

        deck, now = message.deck, self.clock.now()
        if not deck.cards:
            self.notify(f"There are no cards in {deck.title}.", title="Study more")
            return
        limits = new_card_limits(self.store, self.settings.study, self.scheduler.day_start(now))
        states = self.store.states(card.id for card in deck.cards)
        offer = study_more_offer(deck, states, limits, self.scheduler, now)
        self.push_screen(StudyMoreScreen(offer), partial(self._study_more, deck))

    def _study_more(self, deck: Deck, choice: StudyMoreChoice | None) -> None:
        """Start what the "study more" dialog chose for ``deck``."""
        from tutor.schedule.limits import MORE_NEW_CARDS

        if choice is None:
            return
        if choice.kind == "topic":
            self.drill([deck], [choice.topic], title=f"{deck.title}: {choice.topic}")
            return
        if choice.kind == "ahead":
            session = StudySession.ahead([deck], self.store, self.scheduler, self.grading,
                                         self.clock, choice.days)
            if not self.start_session(session):
                self.notify(f"No cards of {deck.title} fall due in the next"
                            f" {plural(choice.days, 'day')}.", title="Nothing to review ahead")
            return
        day = self.scheduler.day_start(self.clock.now())
        try:
            self.store.grant_extra_new_cards(deck.key, MORE_NEW_CARDS, day)
        except StoreError as exc:
            self.notify(exc.message, title="Study more", severity="error")
            return
        self.study([deck], title=deck.title)

    def on_browse_requested(self, message: BrowseRequested) -> None:
        """Read through a deck's cards and fix them (Escape comes back)."""
        from tutor.tui.screens.card_browser import CardBrowserScreen

        deck = message.deck
        states = self.store.states([card.id for card in deck.cards])
        other_ids = {card.id for other in self.library.decks if other is not deck
                     for card in other.cards}
        self.push_screen(CardBrowserScreen(deck, states, self.clock.now(), other_ids=other_ids))

    def on_report_requested(self, message: ReportRequested) -> None:
        """The weak-topic report over every loaded deck, over the deck list (built in a
        worker by the screen); the drill it may return starts a session."""
        from tutor.report.build import report_from_store
        from tutor.tui.screens.report import ReportScreen

        self.show_deck_list()
        decks, boxes = list(self.library.decks), self.scheduler.boxes

        def build() -> StudyReport:
            return report_from_store(self.store, self.clock, decks=decks, boxes=boxes)

        self.push_screen(ReportScreen(build), self._report_closed)

    def _report_closed(self, request: DrillRequest | None) -> None:
        if request is not None:
            self.drill_request(request)

    def on_exam_requested(self, message: ExamRequested) -> None:
        """Ask for the exam options; Start begins a timed exam over the decks."""
        from tutor.tui.screens.exam_dialogs import ExamOptionsScreen

        decks = [deck for deck in message.decks if deck.cards]
        if not decks:
            self.notify("Choose a deck with cards for the exam.", title="Exam")
            return
        topics = list(dict.fromkeys(topic for deck in decks for topic in deck.topic_names()))
        title = ", ".join(deck.title for deck in decks)
        self.push_screen(ExamOptionsScreen(tuple(deck.key for deck in decks), title, topics),
                         partial(self._start_exam, decks))

    def _start_exam(self, decks: Sequence[Deck], options: ExamOptions | None) -> None:
        """Start the exam the form asked for; it closes back to where the form was opened."""
        from tutor.exam.grading import ExamGrading
        from tutor.exam.setup import start_exam, unfinished_note
        from tutor.tui.screens.exam import ExamScreen

        if options is None:
            return
        grading = ExamGrading(self.grading)  # the exam shares the loaded model
        try:
            note = unfinished_note(self.store)
            session = start_exam(options, decks, self.clock, store=self.store,
                                 grader=grading.label, boxes=self.scheduler.boxes)
        except TutorError as exc:
            self.notify(exc.message, title="Exam", severity="error")
            return
        for warning in ([note] if note else []) + session.warnings:
            self.notify(warning, title="Exam", timeout=8)
        self.push_screen(ExamScreen(session, grading, scheduler=self.scheduler))

    # -- grading workers -----------------------------------------------------------------

    def start_background_work(self) -> None:
        """Build the rules grader and load the model behind the UI (once).

        Called when the first screen's content is drawn: the rules grader's imports
        (~50 ms) and llama_cpp's (which holds the GIL for a while) must not delay it.
        """
        if self._background_started:
            return
        self._background_started = True
        if not gc.isenabled():
            # `tutor study` paused the collector for start-up: what start-up built
            # (modules, classes, styles) lives all run long, so it is not scanned again.
            gc.freeze()
            gc.enable()
        self.warm_up_rules()
        if self.grading.status().phase == "loading":
            self.load_model()

    # The service's methods never raise (a failure is logged and becomes a fallback or a
    # one-line text), so each worker ends by posting what it got; exit_on_error=False is a
    # second guard.

    @work(thread=True, group=WARM_UP_GROUP, exit_on_error=False,
          description="build the rules grader")
    def warm_up_rules(self) -> None:
        """Build the rules grader behind the UI, so the first verdict is instant."""
        self.grading.warm_up()

    @work(thread=True, exclusive=True, group=MODEL_GROUP, exit_on_error=False,
          description="load the grading model")
    def load_model(self) -> None:
        """Load the model behind the UI (llama_cpp is imported inside, in this thread)."""
        # Cleared here, in the thread, not when the worker is asked for: a quit before the
        # thread starts must not wait for a load that never comes.
        self._model_load_ended.clear()
        try:
            reason = self.grading.load()
        finally:
            self._model_load_ended.set()
        self.post_message(ModelFailed(reason) if reason else ModelLoaded(self.grading.label))

    def prepare_card(self, question: str, reference: str, answer: str | None = None) -> None:
        """Let the model read the card shown, and the answer as it is typed, so its verdict
        after Enter needs only the last word or so and the closing tokens."""
        if self.grading.uses_model:
            self._prepare(question, reference, answer)

    @work(thread=True, exclusive=True, group=PREPARE_GROUP, exit_on_error=False,
          description="let the model read the card")
    def _prepare(self, question: str, reference: str, answer: str | None) -> None:
        self.grading.prepare(question, reference, answer)

    def refine_grade(self, session: StudySession, attempt: Attempt) -> None:
        """Ask the model for its verdict on ``attempt`` in a worker thread."""
        self._being_checked.append(attempt)
        self._refine(session, attempt)

    # Not exclusive: an earlier answer's verdict must still arrive after the next submit.
    @work(thread=True, exclusive=False, group=GRADE_GROUP, exit_on_error=False,
          description="refine a grade with the model")
    def _refine(self, session: StudySession, attempt: Attempt) -> None:
        result = self.grading.refine(attempt.request, attempt.provisional)
        self.post_message(GradeRefined(session, attempt, result))

    def can_explain(self) -> bool:
        """True while a model grades: "w" asks it why."""
        return self.grading.uses_model

    def explain_attempt(self, session: StudySession, attempt: Attempt) -> None:
        """Ask the model why it graded ``attempt`` so ("w"), in a worker; the verdict's pane
        shows the sentences when they are written."""
        if attempt.explaining or attempt.explanation:
            return
        attempt.explaining = True
        self._explain(session, attempt)

    @work(thread=True, exclusive=False, group=EXPLAIN_GROUP, exit_on_error=False,
          description="explain a grade")
    def _explain(self, session: StudySession, attempt: Attempt) -> None:
        text = self.grading.explain(attempt.request, attempt.result)
        self.post_message(ExplanationReady(session, attempt, text))

    def on_explanation_ready(self, message: ExplanationReady) -> None:
        """Keep the explanation with its attempt and redraw it where it is shown."""
        attempt = message.attempt
        attempt.explaining, attempt.explanation = False, message.text
        self._attempt_changed(message.session, attempt, attempt.result.score)

    def on_model_failed(self, message: ModelFailed) -> None:
        """The model could not load: the rules grade from now on, visibly."""
        self.grader_status = self.grading.status()
        self.notify(f"{message.reason}. Grading with rules.", title="Model not loaded",
                    severity="warning", timeout=10)

    def on_model_loaded(self, message: ModelLoaded) -> None:
        """The model is ready: say so in the status bar, and let it read the card on screen."""
        self.grader_status = self.grading.status()
        for screen in self.screen_stack:
            if isinstance(screen, StudyScreen) and screen.session.on_screen is not None:
                card = screen.session.on_screen.card
                self.prepare_card(card.front, card.back)

    def on_grade_refined(self, message: GradeRefined) -> None:
        """Record the model's verdict against the attempt it was for (UI thread: store write)."""
        session, attempt, result = message.session, message.attempt, message.result
        self._being_checked = [a for a in self._being_checked if a is not attempt]
        before = attempt.result.score
        if result.fallback_reason:
            session.refinement_failed(attempt, result.fallback_note)
            self.grader_status = self.grading.status()  # a crashed model is given up
        else:
            session.finalize(attempt, result)
        self._attempt_changed(session, attempt, before)
        self.call_later(self._quit_if_done)

    def _attempt_changed(self, session: StudySession, attempt: Attempt, old_score: int) -> None:
        self.attempt_changed.publish(AttemptChanged(session, attempt, old_score))
