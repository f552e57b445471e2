"""What tutor writes down when something fails: the full traceback, while people see one line.

`log_failure` logs an exception with its traceback and returns it as the one line people
see (`tutor.errors.one_line`). `configure_logging` (the command line calls it) sends the
records to ``<data dir>/tutor.log``: created on the first record, at most `MAX_LOG_BYTES`
with `LOG_BACKUPS` older copies (``tutor.log.1``, ...). With ``debug`` (``tutor --debug``)
they also go to stderr; while a full-screen UI has stderr (Textual takes it over), they
wait and are printed when `flush_debug_log` is called after it closed.

Logging never breaks anything: a data folder that is missing and cannot be made, is
read-only or full, or a ``tutor.log`` that is not a regular file only means no log file.
"""

from __future__ import annotations

import io
import logging
import os
import stat
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TextIO

from tutor.errors import one_line

#: tutor's logger: `log_failure` logs here, and ``tutor.*`` loggers end up here.
ROOT_LOGGER = "tutor"
LOG_FILE_NAME = "tutor.log"
MAX_LOG_BYTES = 1_000_000
LOG_BACKUPS = 2
#: Each record says where it was logged from (`log_failure`'s caller).
LOG_FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(module)s.%(funcName)s: %(message)s"

log = logging.getLogger(ROOT_LOGGER)
# Until `configure_logging` runs, records go nowhere (never to Python's last-resort
# handler, which would print them on stderr).
log.addHandler(logging.NullHandler())

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def log_failure(what: str, error: BaseException, *, level: int = logging.ERROR) -> str:
    """Log ``error`` with its traceback under ``what``; return it as one line for people."""
    message = one_line(error)
    log.log(level, "%s: %s", what, message, exc_info=error, stacklevel=2)
    return message


def log_path(data_dir: Path) -> Path:
    """Where the log is written for the data folder ``data_dir``."""
    return data_dir / LOG_FILE_NAME


def configure_logging(data_dir: Path, *, debug: bool = False) -> None:
    """Send tutor's records to the log file under ``data_dir`` (and to stderr with
    ``debug``). Calling it again replaces what an earlier call set up. Opens nothing yet."""
    stop_logging()
    formatter = FullTracebackFormatter(LOG_FORMAT)
    file_handler = LazyLogFile(log_path(data_dir))
    file_handler.setFormatter(formatter)
    log.addHandler(file_handler)
    if debug:
        stderr_handler = DebugStderr()
        stderr_handler.setFormatter(formatter)
        log.addHandler(stderr_handler)
    log.setLevel(logging.DEBUG if debug else logging.INFO)


def stop_logging() -> None:
    """Take away (and close) what `configure_logging` set up: records go nowhere again."""
    for handler in list(log.handlers):
        if isinstance(handler, (LazyLogFile, DebugStderr)):
            log.removeHandler(handler)
            handler.close()
    log.setLevel(logging.NOTSET)


def flush_debug_log() -> None:
    """Print the ``--debug`` records that waited while a UI had stderr."""
    for handler in log.handlers:
        if isinstance(handler, DebugStderr):
            handler.flush_waiting()


class FullTracebackFormatter(logging.Formatter):
    """A formatter whose tracebacks also show the error that ``raise ... from None`` hid:
    a model backend turns llama.cpp's error into a one-line `ModelError` that way, and the
    log is where the original belongs."""

    def formatException(self, ei: ExcInfo) -> str:
        text = super().formatException(ei)
        error, seen = ei[1], set[int]()
        while error is not None and id(error) not in seen:
            seen.add(id(error))
            hidden = error.__context__ if error.__suppress_context__ else None
            if hidden is None or hidden is error.__cause__:
                break
            text += ("\n\nRaised while handling (hidden from the message by 'from None'):\n"
                     + "".join(traceback.format_exception(hidden)).rstrip("\n"))
            error = hidden
        return text


class LazyLogFile(logging.Handler):
    """A size-bounded log file (`logging.handlers.RotatingFileHandler`), opened on the first
    record, its folder made then. Any failure to write turns the file off, quietly."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._file: logging.Handler | None = None
        self._broken = False

    def emit(self, record: logging.LogRecord) -> None:
        if self._broken:
            return
        try:
            if self._file is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = private_rotating_file(self.path)
                self._file.setFormatter(self.formatter)
            self._file.emit(record)
        except Exception:  # noqa: BLE001 - logging must never break tutor
            self._broken = True

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def private_rotating_file(path: Path) -> logging.Handler:
    """A `RotatingFileHandler` on ``path`` whose files only their owner can read (a
    traceback may quote an answer), that refuses anything but a regular file (a FIFO would
    block), and that raises instead of printing when it cannot write."""
    from logging.handlers import RotatingFileHandler  # only once something is logged

    class PrivateRotatingFile(RotatingFileHandler):
        def _open(self) -> io.TextIOWrapper:
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK
            fd = os.open(self.baseFilename, flags, 0o600)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                raise OSError(f"{self.baseFilename} is not a regular file")
            return open(fd, "a", encoding=self.encoding, errors=self.errors)

        def handleError(self, record: logging.LogRecord) -> None:
            raise OSError(f"cannot write {self.baseFilename}")

    return PrivateRotatingFile(path, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS,
                               encoding="utf-8", delay=True)


class DebugStderr(logging.Handler):
    """``--debug``: each record on stderr. While stderr is not the one there was when
    logging was set up (a full-screen UI redirected it), records wait for `flush_waiting`."""

    def __init__(self) -> None:
        super().__init__()
        self._stderr: TextIO = sys.stderr
        self._waiting: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            if sys.stderr is not self._stderr:
                self._waiting.append(text)
                return
            self._stderr.write(text + "\n")
            self._stderr.flush()
        except Exception:  # noqa: BLE001 - logging must never break tutor
            return

    def flush_waiting(self) -> None:
        """Print what waited (call it once the UI has given stderr back)."""
        self.acquire()
        try:
            waiting, self._waiting = self._waiting, []
        finally:
            self.release()
        for text in waiting:
            try:
                self._stderr.write(text + "\n")
                self._stderr.flush()
            except Exception:  # noqa: BLE001 - logging must never break tutor
                return
