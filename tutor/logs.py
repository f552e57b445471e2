"""What tutor writes down when something fails: the full traceback, while people see one line.

`log_failure` logs an exception with its traceback and returns it as the one line people
see (`tutor.errors.one_line`).
"""

from __future__ import annotations

import logging

from tutor.errors import one_line

#: The logger every tutor module logs under (``logging.getLogger(__name__)``).
ROOT_LOGGER = "tutor"

log = logging.getLogger(ROOT_LOGGER)
# Until the command line sets logging up, records go nowhere (never to Python's
# last-resort handler, which would print them on stderr).
log.addHandler(logging.NullHandler())


def log_failure(what: str, error: BaseException, *, level: int = logging.ERROR) -> str:
    """Log ``error`` with its traceback under ``what``; return it as one line for people."""
    message = one_line(error)
    log.log(level, "%s: %s", what, message, exc_info=error)
    return message
