"""A DataTable that also moves with j/k, the way on-call people expect."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable


class KeyTable(DataTable):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="table-down", tooltip="Next row"),
        Binding("k", "cursor_up", "Up", show=False, id="table-up", tooltip="Previous row"),
    ]

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", False)
        super().__init__(**kwargs)


class SortableText(Text):
    """A cell that sorts by ``sort_value`` rather than by its text (times shown in local form)."""

    def __init__(self, text: str, sort_value: Any) -> None:
        super().__init__(text)
        self.sort_value = sort_value


def sort_by_value(table: DataTable, column: str, reverse: bool = False) -> None:
    table.sort(column, key=lambda cell: cell.sort_value, reverse=reverse)
