"""The report as text for people: a plain-text table for the terminal, Markdown, CSV.

Each function returns a string; the caller prints or saves it. JSON lives in
`tutor.report.report_json`.
"""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Sequence

from tutor.formatting import clip, plural
from tutor.report.drill import DRILL_TOPICS, drill_candidates, shortfall_text
from tutor.report.model import Stats, StudyReport, TopicReport

#: Columns of `render_csv`, in order.
CSV_COLUMNS = (
    "level", "deck", "topic", "rank", "cards", "new", "mastered", "mastery", "answers", "correct",
    "accuracy", "recent_answers", "recent_correct", "recent_accuracy", "recent_low",
    "recent_high", "trend", "trend_change", "mean_score", "lapses", "leeches", "avg_response_s",
    "reason", "few_answers",
)
_STAT_HEADERS = ["Cards", "New", "Mastered", "Last {days} d", "95% CI", "Trend", "Mean",
                 "Lapses", "Leeches", "Time"]
#: Columns left out, in this order, when a table is wider than the terminal (after its text
#: columns were cut to `MIN_TEXT_WIDTH`); the others always show.
DROP_ORDER = ("Time", "Leeches", "Lapses", "Mean", "Card", "Trend", "New", "95% CI")
#: A text column (a topic, a deck's title, a reason) is cut to this width before any column
#: is left out, and never below `MIN_TEXT_WIDTH`.
KEEP_TEXT_WIDTH, MIN_TEXT_WIDTH = 28, 16
#: A last column of sentences that goes under each row, indented, when the table is too wide.
BELOW_WHEN_NARROW = frozenset({"Why"})


def percent(value: float | None) -> str:
    """0.754 -> '75%'; None -> '-'."""
    return "-" if value is None else f"{round(value * 100):d}%"


def interval_text(stats: Stats) -> str:
    """The recent accuracy's 95% interval, e.g. '31-83%' ('-' without answers)."""
    interval = stats.recent.interval
    if interval is None:
        return "-"
    return f"{round(interval[0] * 100):d}-{round(interval[1] * 100):d}%"


def recent_text(stats: Stats) -> str:
    """Recent right answers, e.g. '6/10 60%' ('-' without answers)."""
    recent = stats.recent
    if not recent.answers:
        return "-"
    return f"{recent.correct}/{recent.answers} {percent(recent.rate)}"


def trend_text(stats: Stats) -> str:
    """'up +20', 'down -25', 'flat' or '-' (too few answers to tell)."""
    trend = stats.trend
    if trend.direction == "unknown" or trend.change is None:
        return "-"
    points = round(trend.change * 100)
    if trend.direction == "flat":
        return "flat"
    return f"{trend.direction} {points:+d}"


def seconds_text(value: float | None) -> str:
    """6.42 -> '6.4s'; None -> '-'."""
    return "-" if value is None else f"{value:.1f}s"


def stat_cells(stats: Stats) -> list[str]:
    """The shared numeric columns of topic and deck rows (see `_STAT_HEADERS`)."""
    mean = stats.mean_score
    return [
        str(stats.cards), str(stats.new), percent(stats.mastery), recent_text(stats),
        interval_text(stats), trend_text(stats), "-" if mean is None else f"{mean:.1f}",
        str(stats.lapses), str(stats.leeches), seconds_text(stats.avg_response_s),
    ]


def topic_label(topic: TopicReport, report: StudyReport) -> str:
    """The topic's name, with its deck when the report covers several decks."""
    return f"{topic.topic} ({topic.deck})" if report.multi_deck else topic.topic


def studied(topic: TopicReport) -> bool:
    """True when some card of the topic was ever reviewed (or answered in the period)."""
    return bool(topic.stats.answers) or topic.stats.new < topic.stats.cards


def headline(report: StudyReport, profile: str = "") -> str:
    """'Study report: profile 'x', 2024-03-01 09:00; deck 'y', since 2024-02-01'."""
    scope = [f"deck '{report.deck}'" if report.deck else "all decks"]
    if report.since is not None:
        scope.append(f"since {report.since.date().isoformat()}")
    who = f"profile '{profile}', " if profile else ""
    return f"Study report: {who}{report.now:%Y-%m-%d %H:%M}; {', '.join(scope)}"


def summary_line(report: StudyReport) -> str:
    """One line of totals."""
    totals = report.totals
    days = report.rules.recent_days
    parts = [f"{plural(totals.answers, 'answer')}, {percent(totals.accuracy)} right"]
    if totals.recent.answers:
        parts.append(f"last {days} days {recent_text(totals)} (95% CI {interval_text(totals)})")
    else:
        parts.append(f"no answers in the last {days} days")
    parts.append(f"{totals.mastered} of {totals.cards} cards mastered"
                 f" ({percent(totals.mastery)})")
    parts.append(f"{totals.leeches} leech{'es' if totals.leeches != 1 else ''}")
    return "; ".join(parts)


def drill_line(report: StudyReport, count: int = DRILL_TOPICS) -> str:
    """What the drill (``d``, ``tutor study --weak 3``) would take, e.g. 'Drill next: verbs,
    nouns, dates' or 'Drill next: 2 topics to drill (asked for 3): verbs, nouns'."""
    chosen = drill_candidates(report, count)
    if not chosen:
        return "Drill next: nothing yet (no ranked topic has a recent wrong answer or a leech)"
    names = ", ".join(topic_label(t, report) for t in chosen)
    short = shortfall_text(len(chosen), count)
    return f"Drill next: {short}: {names}" if short else f"Drill next: {names}"


def _sections(report: StudyReport) -> list[tuple[str, list[str], list[list[str]], set[int]]]:
    """(title, headers, rows, right-aligned columns) of every table in the report."""
    days = report.rules.recent_days
    stat_headers = [h.format(days=days) for h in _STAT_HEADERS]
    numeric = set(range(len(stat_headers)))
    sections = []
    weakest = [[str(t.rank), topic_label(t, report), recent_text(t.stats), interval_text(t.stats),
                t.reason] for t in report.weakest]
    if weakest:
        sections.append((
            "Weakest topics (by the best accuracy their recent answers allow;"
            f" under {report.rules.min_answers} answers: few answers)",
            ["#", "Topic", f"Last {days} d", "95% CI", "Why"], weakest, {0, 2, 3}))
    unranked = [[topic_label(t, report), recent_text(t.stats), t.reason]
                for t in report.unranked if studied(t)]
    if unranked:
        sections.append((f"Not ranked (no answers in the last {days} days)",
                         ["Topic", f"Last {days} d", "Why"], unranked, {1}))
    fresh = sum(1 for t in report.topics if not studied(t))
    title = "Topics" if not fresh else (
        f"Topics ({fresh} not studied yet left out)" if fresh != len(report.topics) else
        f"Topics (none studied yet: {fresh})")
    sections.append((title, ["Topic", *stat_headers],
                     [[topic_label(t, report), *stat_cells(t.stats)] for t in report.topics
                      if studied(t)], {i + 1 for i in numeric}))
    sections.append(("Decks", ["Deck", *stat_headers],
                     [[d.title, *stat_cells(d.stats)] for d in report.decks],
                     {i + 1 for i in numeric}))
    boxes = report.totals.boxes
    sections.append(("Cards per box", ["New", *(f"Box {i}" for i in range(1, len(boxes) + 1))],
                     [[str(report.totals.new), *(str(n) for n in boxes)]],
                     set(range(len(boxes) + 1))))
    if report.leeches:
        sections.append((
            f"Leeches (failed {report.rules.leech_fails} or more times)",
            ["Question", "Topic", "Fails", "Box", "Card"],
            [[clip(c.front or "(deck not loaded)", 50),
              f"{c.topic} ({c.deck})" if report.multi_deck else c.topic, str(c.fails),
              str(c.box or "new"), c.card_id] for c in report.leeches], {2, 3}))
    weeks = [p for p in report.weekly if p.accuracy.answers]
    if weeks:
        sections.append(("Accuracy per week", ["Week ending", "Answers", "Right"],
                         [[f"{p.end:%Y-%m-%d}", str(p.accuracy.answers),
                           percent(p.accuracy.rate)] for p in weeks], {1, 2}))
    if report.exams:
        sections.append(("Exams", ["Finished", "Exam", "Questions", "Score"],
                         [["-" if e.finished is None else f"{e.finished:%Y-%m-%d %H:%M}",
                           e.title, str(e.questions),
                           f"{e.points:g}/{e.max_points:g} {percent(e.score)}"]
                          for e in report.exams], {2, 3}))
    return sections


def render_text(report: StudyReport, *, profile: str = "", width: int | None = None) -> str:
    """The report as plain-text tables for a terminal. With ``width`` (a terminal's columns)
    every line fits it: prose is wrapped, long names are cut with '…', and columns in
    `DROP_ORDER` are left out of a table that is still too wide (a note at the end names
    them); without, nothing is cut (for pipes and files)."""
    lines = [headline(report, profile)]
    if report.empty:
        return _wrapped([*lines, report.empty_message_for(profile)], width) + "\n"
    lines += [summary_line(report), drill_line(report)]
    left_out: list[str] = []
    for title, headers, rows, right in _sections(report):
        lines.extend(["", title])
        if width is None:
            lines.extend(_text_table(headers, rows, right))
            continue
        below: list[str] = []
        if headers[-1] in BELOW_WHEN_NARROW and _table_width(headers, rows) > width:
            # A sentence column cut to a few words says little: each goes under its row.
            below = [row[-1] for row in rows]
            headers, rows = headers[:-1], [row[:-1] for row in rows]
        headers, rows, right, dropped = _fit_table(headers, rows, right, width)
        left_out += [name for name in dropped if name not in left_out]
        table = _text_table(headers, rows, right)
        lines += table[:2]
        for index, row_line in enumerate(table[2:]):
            lines.append(row_line)
            if below:
                lines += textwrap.wrap(below[index], width, initial_indent="   ",
                                       subsequent_indent="   ")
    if left_out:
        lines += ["", f"Left out to fit {width} columns: {', '.join(left_out)}"
                      " (a wider terminal, --markdown or --csv shows every column)."]
    return _wrapped(lines, width) + "\n"


def _wrapped(lines: Sequence[str], width: int | None) -> str:
    """``lines`` joined, each longer than ``width`` wrapped (tables never are: they fit)."""
    if width is None:
        return "\n".join(lines)
    out: list[str] = []
    for line in lines:
        if len(line) <= width:
            out.append(line)
        else:
            out += textwrap.wrap(line, width, subsequent_indent="  ", break_on_hyphens=False)
    return "\n".join(out)


def _fit_table(header_cells: Sequence[str], row_cells: Sequence[Sequence[str]], right: set[int],
               width: int) -> tuple[list[str], list[list[str]], set[int], list[str]]:
    """The table cut to ``width``: its widest text column is cut first, to no less than
    `KEEP_TEXT_WIDTH`; then columns in `DROP_ORDER` are left out; then text is cut down to
    `MIN_TEXT_WIDTH`. Returns the new headers, rows, right-aligned columns and the names
    of the columns left out."""
    headers, rows = list(header_cells), [list(row) for row in row_cells]
    dropped: list[str] = []

    def widths() -> list[int]:
        return _column_widths(headers, rows)

    def excess() -> int:
        return _table_width(headers, rows) - width

    def cut_text(floor: int) -> None:
        while excess() > 0:
            sizes = widths()
            text = [i for i in range(len(headers)) if i not in right and sizes[i] > floor]
            if not text:
                return
            widest = max(text, key=lambda i: sizes[i])
            limit = max(floor, sizes[widest] - excess())
            for row in rows:
                row[widest] = clip(row[widest], limit)
            headers[widest] = clip(headers[widest], limit)

    cut_text(KEEP_TEXT_WIDTH)
    while excess() > 0 and any(name in headers for name in DROP_ORDER):
        column = headers.index(next(name for name in DROP_ORDER if name in headers))
        dropped.append(headers.pop(column))
        for row in rows:
            del row[column]
        right = {i - (i > column) for i in right if i != column}
    cut_text(MIN_TEXT_WIDTH)  # still too wide: the terminal wraps what is left over
    return headers, rows, right, dropped


def render_markdown(report: StudyReport, *, profile: str = "") -> str:
    """The report as a Markdown document (for sharing)."""
    lines = [f"# {headline(report, profile)}", ""]
    if report.empty:
        return "\n".join([*lines, report.empty_message_for(profile)]) + "\n"
    lines += [summary_line(report), "", drill_line(report)]
    for title, headers, rows, right in _sections(report):
        lines.extend(["", f"## {title}", "", *_markdown_table(headers, rows, right)])
    return "\n".join(lines) + "\n"


def render_csv(report: StudyReport) -> str:
    """One row for the totals, one per deck, one per topic (columns: `CSV_COLUMNS`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerow(_csv_row("total", "", "", None, report.totals, "", ""))
    for deck in report.decks:
        writer.writerow(_csv_row("deck", deck.deck, "", None, deck.stats, "", ""))
    for topic in report.topics:
        writer.writerow(_csv_row("topic", topic.deck, topic.topic, topic.rank, topic.stats,
                                 topic.reason, "yes" if topic.few_answers else "no"))
    return out.getvalue()


def _csv_row(level: str, deck: str, topic: str, rank: int | None, stats: Stats,
             reason: str, few: str) -> list[str]:
    interval = stats.recent.interval
    return [
        level, deck, topic, "" if rank is None else str(rank), str(stats.cards), str(stats.new),
        str(stats.mastered), _num(stats.mastery), str(stats.answers), str(stats.correct),
        _num(stats.accuracy), str(stats.recent.answers), str(stats.recent.correct),
        _num(stats.recent.rate), _num(interval[0] if interval else None),
        _num(interval[1] if interval else None), stats.trend.direction,
        _num(stats.trend.change), _num(stats.mean_score), str(stats.lapses), str(stats.leeches),
        _num(stats.avg_response_s), reason, few,
    ]


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")




def _column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    return [max([len(headers[i]), *(len(row[i]) for row in rows)]) for i in range(len(headers))]


def _table_width(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
    """Characters in the table's widest line (two spaces between columns)."""
    return sum(_column_widths(headers, rows)) + 2 * (len(headers) - 1)


def _text_table(headers: Sequence[str], rows: Sequence[Sequence[str]],
                right: set[int]) -> list[str]:
    widths = _column_widths(headers, rows)

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                         for i, cell in enumerate(cells)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(row) for row in rows)]


def _markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]],
                    right: set[int]) -> list[str]:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    rule = "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|"
    return [line(headers), rule, *(line(row) for row in rows)]
