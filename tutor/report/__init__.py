"""Weak-topic analytics over the study history: pure logic, no UI, no I/O.

`build_report` turns the store's records (reviews, card states, exam records) and
the decks into a `StudyReport`; `tutor.report.render` and `report_to_json` show it;
`weakest_drill` turns it into a `DrillRequest` for a study session.
"""

from tutor.report.build import ReportSource, build_report, report_from_store
from tutor.report.drill import DrillRequest, drill_topics, topics_drill, weakest_drill
from tutor.report.exams import exam_results
from tutor.report.model import (
    TREND_DIRECTIONS,
    CardReport,
    DeckReport,
    ExamScore,
    ReportRules,
    Stats,
    StudyReport,
    TimelinePoint,
    TopicReport,
    Trend,
)
from tutor.report.ranking import rank_topics
from tutor.report.render import render_csv, render_markdown, render_text
from tutor.report.report_json import REPORT_JSON_SCHEMA, REPORT_SCHEMA_VERSION, report_to_json
from tutor.report.stats import Accuracy, wilson_interval

__all__ = [
    "REPORT_JSON_SCHEMA",
    "REPORT_SCHEMA_VERSION",
    "TREND_DIRECTIONS",
    "Accuracy",
    "CardReport",
    "DeckReport",
    "DrillRequest",
    "ExamScore",
    "ReportRules",
    "ReportSource",
    "Stats",
    "StudyReport",
    "TimelinePoint",
    "TopicReport",
    "Trend",
    "build_report",
    "drill_topics",
    "exam_results",
    "rank_topics",
    "render_csv",
    "report_from_store",
    "render_markdown",
    "render_text",
    "report_to_json",
    "topics_drill",
    "weakest_drill",
    "wilson_interval",
]
