"""The one error type that reaches the learner (a title and a one-line message), and
`one_line`: how any other exception is told to people."""

from __future__ import annotations


class TutorError(Exception):
    """An expected failure (bad input, missing file, corrupt data) with a clear message.

    The CLI prints ``tutor: <message>`` and exits 2; the TUI shows it as a notification.
    """

    def __init__(self, message: str, title: str = "Error") -> None:
        super().__init__(message)
        self.title = title
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(TutorError):
    """The settings file is malformed or holds a bad value."""

    def __init__(self, message: str) -> None:
        super().__init__(message, title="Configuration error")


class DeckError(TutorError):
    """A deck file cannot be read or parsed."""

    def __init__(self, message: str) -> None:
        super().__init__(message, title="Deck error")


class ModelError(TutorError):
    """A model file is missing, unreadable or fails to load."""

    def __init__(self, message: str) -> None:
        super().__init__(message, title="Model error")


#: The longest one-line error message shown to people.
MAX_MESSAGE_CHARS = 160


def one_line(error: BaseException | None) -> str:
    """Any exception as one short line for people: a `TutorError`'s message, else the
    exception's text, else its type's name; the first line only, at most 160 characters.

    The one way an error becomes a message (the full traceback goes to the log)."""
    if error is None:
        return "unknown error"
    text = (getattr(error, "message", None) or str(error)).strip() or type(error).__name__
    return text.splitlines()[0][:MAX_MESSAGE_CHARS]
