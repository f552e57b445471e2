"""`RowTable`: a table whose cursor picks whole rows, as every list in tutor does."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import DataTable


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
