"""A screen's keys, written once: its ``BINDINGS`` give the footer, the help screen's lines
and the command palette's entries.

A `KeyBinding` is a Textual `Binding` that also carries the help line and the palette entry
of its key. `help_rows` and `palette_entries` read them from the screen's ``BINDINGS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from textual.actions import parse
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

#: How the help screen writes keys whose Textual name is not what the keyboard shows.
KEY_NAMES = {"question_mark": "?", "slash": "/", "escape": "Escape", "enter": "Enter",
             "up": "↑", "down": "↓", "tab": "Tab", "space": "Space"}

PALETTE_HELP = "command palette"
"""The help line of the command palette's key (listed on screens that offer commands)."""


@dataclass(frozen=True)
class KeyBinding(Binding):
    """A key of a screen, with the words its help line and its palette entry show."""

    help: str = ""
    """The help screen's line. Empty: the key joins the line of an earlier key with the
    same action (``q`` beside ``Escape``, ``F1`` beside ``?``), else it is not listed."""
    palette: str = ""
    """The command palette's title for the action; empty: not offered there."""
    palette_help: str = ""
    """The palette's line under the title."""


@dataclass
class _Row:
    keys: str
    text: str
    actions: list[str] = field(default_factory=list)


def key_label(key: str) -> str:
    """A Textual key name as the help screen shows it: 'ctrl+n' -> 'Ctrl+N', 'f1' -> 'F1',
    'question_mark' -> '?', 'a' -> 'a'."""
    *modifiers, name = key.split("+")
    label = KEY_NAMES.get(name)
    if label is None:
        label = (name.upper() if modifiers else name) if len(name) == 1 else name.capitalize()
    return "+".join([modifier.capitalize() for modifier in modifiers] + [label])


def action_name(action: str) -> str:
    """An action without its namespace and parameters: 'choose(True)' -> 'choose'."""
    return parse(action)[1]


def help_rows(bindings: Iterable[BindingType], other_keys: Sequence[tuple[str, str]] = (), *,
              after: str = "") -> list[tuple[str, str]]:
    """The help screen's (keys, what they do) lines for a screen's ``BINDINGS``.

    ``other_keys``: keys that widgets inside the screen handle (the answer box, a table),
    as (keys, text) lines; they come first, or right after the line of the action
    ``after`` (the answer box's Ctrl+J after Enter). Keys with the same help text share a line
    ("y / n"; different actions are joined with " / "), a key without its own text joins
    the line of the same action ("?, F1"). When the screen offers palette commands, the
    palette's key is listed just before the screen's own help key.
    """
    rows: list[_Row] = []
    offers_palette = False
    for binding in bindings:
        if not isinstance(binding, Binding):
            continue
        text = binding.help if isinstance(binding, KeyBinding) else ""
        offers_palette = offers_palette or bool(isinstance(binding, KeyBinding)
                                                and binding.palette)
        name = action_name(binding.action)
        if text:
            row = next((row for row in rows if row.text == text), None)
        else:
            row = next((row for row in rows if name in map(action_name, row.actions)), None)
        label = binding.key_display or key_label(binding.key)
        if row is None:
            if text:
                rows.append(_Row(label, text, [binding.action]))
            continue
        row.keys += ", " if binding.action in row.actions else " / "
        row.keys += label
        row.actions.append(binding.action)
    if offers_palette:
        at = next((index for index, row in enumerate(rows) if "help" in row.actions), len(rows))
        rows.insert(at, _Row(key_label(App.COMMAND_PALETTE_BINDING), PALETTE_HELP))
    lines = [(row.keys, row.text) for row in rows]
    at = next((index + 1 for index, row in enumerate(rows) if after in row.actions), 0)
    return lines[:at] + list(other_keys) + lines[at:]


def palette_entries(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """The command palette's (title, help, action) for ``screen`` now: its keys that name
    a palette title and apply now.

    Whether one applies is the screen's ``check_action``, or its ``palette_check`` when it
    has one (the study screen lets commands through while its answer box has focus).
    """
    check: Callable[[str, tuple[object, ...]], bool | None] = getattr(
        screen, "palette_check", screen.check_action)
    entries: list[tuple[str, str, str]] = []
    offered: set[str] = set()
    for binding in type(screen).BINDINGS:
        if not isinstance(binding, KeyBinding) or not binding.palette:
            continue
        if binding.action in offered:
            continue
        _namespace, name, parameters = parse(binding.action)
        if check(name, parameters):
            entries.append((binding.palette, binding.palette_help, binding.action))
            offered.add(binding.action)
    return entries
