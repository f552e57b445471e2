"""`RowTable`: a table whose cursor picks whole rows, as every list in tutor does."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


def plain(cell: object) -> object:
    """``cell`` shown as written: a string that could read as markup (one with a ``[``, as
    in ``List[int]`` or a deck's ``[/]``) becomes plain `Text`; Textual's table reads every
    string cell as markup, and a stray closing tag crashed the screen. Other cells are
    kept as they are (they look the same either way)."""
    if isinstance(cell, str) and "[" in cell:
        return Text(cell, end="", no_wrap=True)
    return cell


class RowTable(DataTable[Any]):
    """A zebra-striped table with a row cursor; Home and End go to the first and last row.

    (Textual's table scrolls sideways on Home and End, which a list of rows that fits the
    width never needs: a learner pressing Home expects the top of the list.)
    """

    BINDINGS = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None,
                label: Any = None) -> RowKey:
        """A row whose text cells are shown as written (`plain`), never read as markup."""
        return super().add_row(*map(plain, cells), height=height, key=key, label=label)
