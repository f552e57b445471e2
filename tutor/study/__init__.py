"""The study flow as plain logic (no Textual): what the study screen drives."""

from tutor.study.session import (
    Attempt,
    Progress,
    SessionGrading,
    SessionSummary,
    StudySession,
    TopicScore,
)

__all__ = ["Attempt", "Progress", "SessionGrading", "SessionSummary", "StudySession", "TopicScore"]
