"""Crash-safe file replacement: write a temp file beside the target, fsync, rename.

`atomic_write_bytes` is the one way tutor replaces a file (decks, the study data,
outputs); its docstring says which permissions files get.

`write_out` is the one writer of files the learner names on the command line
(``--out``, ``-o``) or in the exam's export dialog: it refuses anything but a regular
file (a device, a FIFO, a socket, a folder, a link to one of those) and a missing
folder, so a report can never turn ``/dev/null`` into a file or create folders by
surprise. A symbolic link to a regular file is written through and stays a link.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from tutor.errors import TutorError
from tutor.fileread import file_kind


class OutputError(TutorError):
    """A file named for output cannot or must not be written; the message is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message, title="Cannot write")


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Permissions for new files: what open() would give (mkstemp alone gives 0600).
_NEW_FILE_MODE = 0o666 & ~_current_umask()


def atomic_write_bytes(path: Path, data: bytes, *, make_parents: bool = True,
                       backup: Path | None = None) -> None:
    """Replace ``path`` with ``data`` so a crash leaves either the old or the new file.

    The one atomic writer (decks, ``--out`` files, the study data): a temp file in the
    same folder is written and fsynced, renamed over ``path``, and the folder fsynced.
    File permissions, decided once for all of them: a file that exists keeps its mode
    (a learner who made a file private keeps it private); a new file gets what
    ``open()`` would give, 0o666 less the umask (0o644 with the usual umask 022).

    ``backup``: the file being replaced is kept under this name first (a hard link, a
    copy where links fail), so that at every moment a complete file has each name.
    A symbolic link is written through: the file it names is replaced, the link stays.
    ``make_parents=False`` leaves a missing folder an error (`FileNotFoundError`).
    """
    path = _through_links(Path(path))
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = _NEW_FILE_MODE
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if backup is not None and path.exists():
            replace_with_link(path, backup)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_folder(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    """Text version of `atomic_write_bytes` (UTF-8)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def check_out_target(path: Path) -> Path:
    """The regular file that writing ``path`` replaces: ``path``, or the file its link names.

    Raises `OutputError` (one line) for a device, FIFO, socket, folder, a link to one of
    those or a link loop, and for a folder that does not exist. Call it before the
    work whose result goes to ``path``, so a bad name fails at once.
    """
    path = Path(path)
    target = _through_links(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise OutputError(f"cannot write {path}: folder {target.parent} does not exist") from None
        return target
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        linked = " links to" if target != path else " is"
        hint = "; name a file" if stat.S_ISDIR(mode) else "; only a regular file is written"
        raise OutputError(f"cannot write {path}: it{linked} {file_kind(mode)}{hint}")
    return target


def write_out(path: Path, data: bytes | str, *, backup: Path | None = None) -> Path:
    """Write ``data`` (text as UTF-8) to the output file ``path`` after `check_out_target`.

    The file is replaced atomically; no folder is created; ``backup``: the file replaced is
    kept under this name (see `atomic_write_bytes`). Returns ``path``.
    """
    target = check_out_target(path)
    body = data.encode("utf-8") if isinstance(data, str) else data
    try:
        atomic_write_bytes(target, body, make_parents=False, backup=backup)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    return Path(path)


def _through_links(path: Path) -> Path:
    """``path`` with symbolic links resolved, so a write replaces the file, not the link."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def replace_with_link(source: Path, target: Path) -> None:
    """Make ``target`` the same content as ``source`` (hard link; copy where links fail)."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.unlink()
    except FileNotFoundError:
        pass
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def fsync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable (a no-op where folders cannot be fsynced)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
