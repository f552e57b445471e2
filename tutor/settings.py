"""Typed settings from one TOML file; environment variables and CLI flags override it.

The file lives at ``$TUTOR_CONFIG`` or ``$XDG_CONFIG_HOME/tutor/config.toml``
(``~/.config/tutor/config.toml``). Data lives under ``$TUTOR_DATA_DIR`` or
``$XDG_DATA_HOME/tutor`` (``~/.local/share/tutor``).
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.errors import ConfigError
from tutor.fileread import UnreadableFile, read_limited

#: The repository's bundled decks (present in a source checkout / editable install).
BUNDLED_DECKS = Path(__file__).resolve().parent.parent / "decks"
#: The repository's models folder: any ``*.gguf`` here overrides the default model.
BUNDLED_MODELS = Path(__file__).resolve().parent.parent / "models"

#: Largest settings file read (a config file is a few hundred bytes).
CONFIG_LIMIT = 1_000_000
#: Longest Leitner interval (100 years): the scheduler clamps to it, the settings refuse more.
MAX_INTERVAL_DAYS = 36_500
#: Most Leitner boxes (``study.intervals`` entries).
MAX_BOXES = 20
#: Textual's built-in themes (``textual.theme.BUILTIN_THEMES`` of Textual 8), listed here
#: so the settings can check ``theme`` without importing Textual; a test checks that
#: Textual still has every one.
KNOWN_THEMES = (
    "textual-dark", "textual-light", "nord", "gruvbox", "catppuccin-mocha", "dracula",
    "tokyo-night", "monokai", "flexoki", "catppuccin-latte", "catppuccin-frappe",
    "catppuccin-macchiato", "solarized-light", "solarized-dark", "rose-pine", "rose-pine-moon",
    "rose-pine-dawn", "atom-one-dark", "atom-one-light", "ansi-dark", "ansi-light",
)


@dataclass(frozen=True)
class ModelSettings:
    """Which LLM grades, and how it runs."""

    path: str = ""
    """A GGUF file; empty means: ``models/*.gguf``, else the default model (modelpack)."""
    server: str = ""
    """URL of an OpenAI-compatible chat server; when set it is used instead of a local model."""
    api_key: str = ""
    name: str = ""
    """Model name sent to the server."""
    gpu_layers: int = 0
    """Layers offloaded to the GPU (llama.cpp ``n_gpu_layers``); 0 = CPU only, -1 = all."""
    threads: int = 0
    """CPU threads for llama.cpp; 0 = number of cores."""
    timeout: float = 8.0
    """Seconds one LLM grade may take before the rules verdict stands."""
    enabled: bool = True
    """False: grade with rules only, never load a model."""


@dataclass(frozen=True)
class StudySettings:
    """Scheduling knobs."""

    intervals: tuple[int, ...] = (1, 2, 4, 8, 16)
    """Days between reviews for Leitner boxes 1..n."""
    new_per_day: int = 20
    """New cards a day in each deck (as in Anki)."""
    new_per_day_total: int = 0
    """New cards a day over all decks together; 0 = no such cap."""
    review_cap: int = 200
    """Most reviews per day."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable, in one object."""

    model: ModelSettings = field(default_factory=ModelSettings)
    study: StudySettings = field(default_factory=StudySettings)
    profile: str = "default"
    data_dir: str = ""
    deck_dirs: tuple[str, ...] = ()
    theme: str = ""
    config_path: str = ""
    """The file these settings were read from ('' when none existed)."""

    @property
    def data_path(self) -> Path:
        """Folder for this installation's data (stores, user decks)."""
        if os.environ.get("TUTOR_DATA_DIR"):
            return Path(os.environ["TUTOR_DATA_DIR"]).expanduser()
        if self.data_dir:
            return Path(self.data_dir).expanduser()
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(base) / "tutor"

    @property
    def welcome_marker(self) -> Path:
        """Written once the learner closed the first-start welcome (it is not shown again)."""
        return self.data_path / "welcome-shown"

    @property
    def profile_path(self) -> Path:
        """Folder for the current profile's study data."""
        return self.data_path / "profiles" / self.profile

    @property
    def deck_paths(self) -> list[Path]:
        """Folders searched for decks when none are named: user decks, then bundled ones."""
        if self.deck_dirs:
            return [Path(d).expanduser() for d in self.deck_dirs]
        paths = [self.data_path / "decks"]
        if BUNDLED_DECKS.is_dir():
            paths.append(BUNDLED_DECKS)
        return paths

    def with_model(self, **changes: Any) -> "Settings":
        """A copy with some model settings replaced (CLI flags)."""
        changes = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, model=dataclasses.replace(self.model, **changes))

    def replace(self, **changes: Any) -> "Settings":
        """A copy with top-level fields replaced (None values are ignored)."""
        changes = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **changes)


def config_file() -> Path:
    """Where the settings file is looked for."""
    if os.environ.get("TUTOR_CONFIG"):
        return Path(os.environ["TUTOR_CONFIG"]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "tutor" / "config.toml"


#: What `valid_profile_name` accepts, for messages.
PROFILE_NAME_RULE = "use up to 64 letters, digits, - and _"


def valid_profile_name(name: str) -> bool:
    """A profile is a folder under the data folder: a plain name, never a path.

    ``--profile`` and the settings file's ``profile`` are both checked with this.
    """
    return 0 < len(name) <= 64 and all(c.isalnum() or c in "-_" for c in name)


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing file gives defaults, a malformed one a `ConfigError`.

    The file is read with a size limit and must be a regular file: ``/dev/zero`` or a
    FIFO as ``$TUTOR_CONFIG`` is an error, not a hang.
    """
    path = path or config_file()
    if not path.exists():
        return Settings()
    try:
        text = read_limited(path, CONFIG_LIMIT, "config file").decode("utf-8")
    except UnreadableFile as exc:
        raise ConfigError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"malformed config file {path}: {exc}") from None
    return _build(data, text, path)


def _line_of(text: str, key: str) -> int:
    """1-based line where ``key`` is assigned (or its table starts); 0 if unknown."""
    pattern = re.compile(rf"^\s*(\[\s*{re.escape(key)}\s*\]|{re.escape(key)}\s*=)")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 0


def _coerce(value: Any, default: Any, where: str) -> Any:
    """Check a TOML value against the type of the field's default."""
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
    elif isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif isinstance(default, float):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif isinstance(default, str):
        if isinstance(value, str):
            return value
    elif isinstance(default, tuple):
        if isinstance(value, list):
            kind = type(default[0]) if default else str
            if all(isinstance(v, kind) and not isinstance(v, bool) for v in value):
                return tuple(value)
    raise ValueError(f"{where} must be {_type_name(default)}")


def _type_name(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "a whole number"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, tuple):
        return "a list"
    return "a string"


#: Keys an earlier version read and this one no longer has: ignored, whatever their value,
#: so an old settings file keeps working (any other unknown key is an error).
OBSOLETE_SETTINGS = frozenset({
    "model.probe",  # the opt-in probe over the former default model, removed with that model
})


def _fill(cls: type, table: dict[str, Any], text: str, path: Path, prefix: str) -> Any:
    defaults = cls()
    names = {f.name for f in dataclasses.fields(cls)} - {"config_path"}
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{prefix}{key}"
        if where in OBSOLETE_SETTINGS:
            continue
        line = _line_of(text, key)
        at = f"{path}, line {line}" if line else str(path)
        if key not in names:
            raise ConfigError(f"unknown setting '{where}' in config file {at}")
        default = getattr(defaults, key)
        if dataclasses.is_dataclass(default):
            if not isinstance(value, dict):
                raise ConfigError(f"'{where}' must be a table in config file {at}")
            values[key] = _fill(type(default), value, text, path, f"{where}.")
            continue
        try:
            values[key] = _coerce(value, default, where)
            _check_range(where, values[key])
        except ValueError as exc:
            raise ConfigError(f"{exc} in config file {at}") from None
    return cls(**values)


def _build(data: dict[str, Any], text: str, path: Path) -> Settings:
    settings = _fill(Settings, data, text, path, "")
    return dataclasses.replace(settings, config_path=str(path))


# ----------------------------------------------------------------- ranges of values
# A value of the right type can still break a later step far from the file: an
# interval of 3,000,000 days overflows a date, a NaN timeout never fires, a profile
# '../../x' puts study data outside the data folder. Each key's check names the key.


def _whole(low: int, high: int) -> Callable[[str, Any], None]:
    def check(where: str, value: int) -> None:
        if not low <= value <= high:
            raise ValueError(f"{where} must be a whole number from {low:,} to {high:,},"
                             f" not {value:,}")
    return check


def _seconds(where: str, value: float) -> None:
    if not (math.isfinite(value) and 0 < value <= 3600):
        raise ValueError(f"{where} must be a number of seconds above 0 and at most 3600,"
                         f" not {value:g}")


def _intervals(where: str, value: tuple[int, ...]) -> None:
    if not 1 <= len(value) <= MAX_BOXES:
        raise ValueError(f"{where} must list 1 to {MAX_BOXES} day counts, not {len(value)}")
    if any(not 1 <= days <= MAX_INTERVAL_DAYS for days in value):
        raise ValueError(f"{where} must be day counts from 1 to {MAX_INTERVAL_DAYS:,}")
    if any(later <= earlier for earlier, later in zip(value, value[1:])):
        raise ValueError(f"{where} must increase from box to box")


def _profile(where: str, value: str) -> None:
    if not valid_profile_name(value):
        raise ValueError(f"{where} must be a plain name ({PROFILE_NAME_RULE}), not {value!r}")


def _theme(where: str, value: str) -> None:
    if value and value not in KNOWN_THEMES:
        raise ValueError(f"{where} {value!r} is not a known theme"
                         f" (one of {', '.join(KNOWN_THEMES)})")


def _one_line_text(where: str, value: str | tuple[str, ...]) -> None:
    texts = value if isinstance(value, tuple) else (value,)
    if any(ord(c) < 32 or ord(c) == 127 for text in texts for c in text):
        raise ValueError(f"{where} must be text without control characters"
                         " (no tab, newline or NUL)")


#: The range check of each key that has one (beyond its type); strings are one line.
_RANGES: dict[str, Callable[[str, Any], None]] = {
    "model.gpu_layers": _whole(-1, 10_000),
    "model.threads": _whole(0, 1024),
    "model.timeout": _seconds,
    "study.intervals": _intervals,
    "study.new_per_day": _whole(0, 10_000),
    "study.new_per_day_total": _whole(0, 100_000),
    "study.review_cap": _whole(0, 100_000),
    "profile": _profile,
    "theme": _theme,
}


def _check_range(where: str, value: Any) -> None:
    """Raise `ValueError` (naming ``where``) when ``value`` is out of its key's range."""
    check = _RANGES.get(where)
    if check is not None:
        check(where, value)
    elif isinstance(value, str) or (isinstance(value, tuple)
                                    and all(isinstance(v, str) for v in value)):
        _one_line_text(where, value)
