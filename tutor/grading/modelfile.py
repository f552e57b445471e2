"""Locating a GGUF model named by the settings (a path or ``models/``) and opening it.

The default model is not found here: `tutor.grading.modelpack` assembles and verifies it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tutor.errors import ModelError
from tutor.settings import BUNDLED_MODELS, Settings

GGUF_MAGIC = b"GGUF"

T = TypeVar("T")


def models_folder_paths(settings: Settings) -> list[Path]:
    """Base models dropped into ``models/`` (repo) or ``<data>/models``, sorted by name."""
    found: list[Path] = []
    for folder in (settings.data_path / "models", BUNDLED_MODELS):
        if folder.is_dir():
            found.extend(sorted(folder.glob("*.gguf")))
    return found


def resolve_model_path(settings: Settings) -> Path | None:
    """The GGUF file the settings name: ``model.path``, else the first of ``models/*.gguf``;
    None when they name none (then the default model grades, `tutor.grading.modelpack`)."""
    if settings.model.path:
        return Path(settings.model.path).expanduser()
    local = models_folder_paths(settings)
    return local[0] if local else None


def check_model_file(path: Path) -> Path:
    """Raise `ModelError` with a one-line reason unless ``path`` is a readable GGUF file."""
    path = Path(path)
    if not path.exists():
        raise ModelError(f"model file not found: {path}")
    if path.is_dir():
        raise ModelError(f"model path is a folder, not a GGUF file: {path}")
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise ModelError(f"cannot read model file {path}: {exc.strerror or exc}") from None
    if magic != GGUF_MAGIC:
        raise ModelError(f"not a GGUF model file: {path}")
    return path


def open_llama(path: Path, *, context: int, threads: int, gpu_layers: int, **options: Any) -> Any:
    """A ``llama_cpp.Llama`` over the GGUF file ``path`` (llama_cpp is imported here, only
    when a model is used). Raises `ModelError` with one line."""
    check_model_file(path)
    try:
        from llama_cpp import Llama

        return Llama(model_path=str(path), n_ctx=context, n_threads=threads,
                     n_gpu_layers=gpu_layers, seed=0, verbose=False, **options)
    except (ValueError, RuntimeError, OSError) as exc:
        raise ModelError(load_failure(path, exc)) from None


class LoadOnce:
    """A model's load, tried once: a failure is remembered, so later calls fail at once with
    the same one line instead of reading a broken 1 GB file again."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.error: str | None = None

    def attempt(self, opener: Callable[[], T]) -> T:
        """``opener()``, or `ModelError` (one line) now and on every later call if it failed."""
        if self.error is not None:
            raise ModelError(self.error)
        try:
            return opener()
        except ModelError as exc:
            self.error = exc.message
            raise
        except (ValueError, RuntimeError, OSError) as exc:
            self.error = load_failure(self.path, exc)
            raise ModelError(self.error) from None


def load_failure(path: Path, exc: BaseException) -> str:
    """The one-line reason a model could not be loaded."""
    return f"cannot load model {path.name}: {str(exc).splitlines()[0][:120]}"


def model_label(path: Path | None) -> str:
    """A short display name for a model file."""
    if path is None:
        return "none"
    return path.name.removesuffix(".gguf")
