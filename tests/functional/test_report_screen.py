"""The report screen: Pilot tests and a snapshot, on a constructed history at a fixed time."""

from __future__ import annotations

from datetime import timedelta

from textual.app import App
from textual.widgets import DataTable

from tests.functional.conftest import text_of
from tests.unit.report.report_history import NOW, History, deck
from tutor.report import DrillRequest, StudyReport, build_report
from tutor.tui.screens.report import ReportScreen, TopicCardsScreen

SPANISH = deck("spanish", {"verbs": 4, "nouns": 4, "colours": 3, "numbers": 2})


def sample_report() -> StudyReport:
    history = History()
    ids = {t: [c.id for c in SPANISH.cards if c.topic == t] for t in SPANISH.topic_names()}
    history.answers(ids["verbs"], [1, 4, 1, 2, 0, 1, 4, 2, 1, 1, 0, 1, 1, 0, 1, 2, 4, 1],
                    NOW - timedelta(days=24), timedelta(hours=31), topic="verbs")
    history.answers(ids["nouns"], [5, 4, 5, 5, 4, 5, 5, 2, 5, 5, 5, 4],
                    NOW - timedelta(days=15), timedelta(hours=29), topic="nouns")
    history.answers(ids["colours"], [1, 2], NOW - timedelta(days=2), topic="colours")
    return build_report(history.reviews, history.states, NOW, decks=[SPANISH])


class ReportTestApp(App[None]):
    """Shows one report screen and keeps what it was dismissed with."""

    def __init__(self, source) -> None:
        super().__init__()
        self.source = source
        self.results: list[DrillRequest | None] = []

    def on_mount(self) -> None:
        self.push_screen(ReportScreen(self.source), self.results.append)


def table_rows(app: App, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_weakest_topics_come_first_with_their_reason() -> None:
    app = ReportTestApp(sample_report())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        rows = table_rows(app, "#weak")
        # colours: 0 of 2 right (upper end 66%) is ranked, marked "few answers".
        assert [row[:2] for row in rows] == [["1", "verbs"], ["2", "colours"], ["3", "nouns"]]
        assert rows[0][3] == "15 of the last 18 answers wrong; 3 leeches"
        assert rows[1][3] == "2 of the last 2 answers wrong; few answers"
        detail = text_of(app, "#topic-detail")
        assert "verbs: 15 of the last 18 answers wrong" in detail


async def test_drill_down_to_cards_and_their_history() -> None:
    app = ReportTestApp(sample_report())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TopicCardsScreen)
        rows = table_rows(app, "#cards")
        assert len(rows) == 4
        assert rows[0][3] == "4" and rows[0][5] == "leech"  # most failed first
        history = text_of(app, "#history")
        first = app.screen.cards[0]
        assert history.startswith(f"Q: {first.front}")
        newest = first.history[-1]
        assert f"{newest.score}/5" in history.splitlines()[3]
        await pilot.press("down")
        await pilot.pause()
        assert app.screen.cards[1].front in text_of(app, "#history")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert app.results == []


async def test_d_asks_for_a_drill_of_the_weakest_topics() -> None:
    app = ReportTestApp(sample_report())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
    [request] = app.results
    assert isinstance(request, DrillRequest)
    assert request.topics == (("spanish", "verbs"), ("spanish", "colours"), ("spanish", "nouns"))
    assert set(request.card_ids) == {c.id for c in SPANISH.cards
                                     if c.topic in ("verbs", "colours", "nouns")}


async def test_drill_one_topic_from_its_cards() -> None:
    app = ReportTestApp(sample_report())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TopicCardsScreen) and app.screen.topic.topic == "colours"
        await pilot.press("d")
        await pilot.pause()
    [request] = app.results
    assert request is not None and request.topics == (("spanish", "colours"),)
    assert len(request.card_ids) == 3


async def test_empty_history_says_so_and_offers_no_drill() -> None:
    app = ReportTestApp(build_report([], {}, NOW, decks=[SPANISH]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        summary = text_of(app, "#report-summary")
        assert summary.startswith("No reviews yet")
        assert app.screen.query_one("#weak", DataTable).row_count == 0
        await pilot.press("d", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_report_built_in_a_worker_and_a_failure_shown() -> None:
    app = ReportTestApp(sample_report)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table_rows(app, "#weak")[0][1] == "verbs"

    def broken() -> StudyReport:
        raise OSError("disk on fire")

    app = ReportTestApp(broken)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = text_of(app, "#report-summary")
        assert summary == "Could not build the report: disk on fire"


def test_report_screen_snapshot(snap_compare) -> None:
    assert snap_compare(ReportTestApp(sample_report()), terminal_size=(100, 30))


def test_topic_cards_snapshot(snap_compare) -> None:
    assert snap_compare(ReportTestApp(sample_report()), press=["enter"],
                        terminal_size=(100, 30))


async def test_question_mark_lists_the_keys() -> None:
    from tutor.tui.screens.help import HelpScreen

    app = ReportTestApp(sample_report())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert ("d", "drill the weakest topics' cards now") in app.screen.bindings_help
        await pilot.press("escape")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TopicCardsScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
