"""A DataTable that also moves with j/k, the way on-call people expect, and that live screens
update by row key (never cleared and rebuilt)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable


class KeyTable(DataTable):
    BINDINGS = [
        Binding("j", "row_down", "Down", show=False, id="table-down", tooltip="Next row"),
        Binding("k", "row_up", "Up", show=False, id="table-up", tooltip="Previous row"),
    ]
    K_MOVES_UP: ClassVar[bool] = True
    """False where `k` means something else (the Engagements tab acknowledges with it)."""

    def __init__(self, *, fill: str | None = None, **kwargs) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", False)
        super().__init__(**kwargs)
        self.fill = fill
        """The column (key) that takes the width the others leave; its long text ends in "…"."""

    _drawn_width: int | None = None
    """The width the rows in the caches were drawn at (a row's line is padded to it)."""
    _restyling_for_focus = False

    def _on_resize(self, event: events.Resize) -> None:
        """DataTable renders every cell again after each Resize; a table gets one each time
        its tab (or screen) is shown, and its first one often after it was drawn at that
        size. Only a change of width changes what its rows draw (the fill column's width is
        changed, and the cells invalidated, by ``fit_fill_column``)."""
        if self._drawn_width in (None, event.size.width):
            event.prevent_default()  # DataTable's handler only invalidates the rendered cells
        self.fit_fill_column()

    def watch_has_focus(self, has_focus: bool) -> None:
        self._restyling_for_focus = True
        try:
            super().watch_has_focus(has_focus)
        finally:
            self._restyling_for_focus = False

    def notify_style_update(self) -> None:
        """DataTable drops every rendered cell and line whenever its styles are updated, and
        gaining or losing the focus updates them (its ``:focus`` rules): each tab switch and
        each return to a list re-rendered the whole table (~15-50 ms). Those caches are keyed
        by the focus state already, so a focus change keeps them and only drops what is not
        (the cursor's cell styles, the widget's own lines); any other style update (a theme,
        CSS) clears everything, as DataTable does."""
        if not self._restyling_for_focus:
            super().notify_style_update()
            return
        Widget.notify_style_update(self)
        self._styles_cache.clear()
        self._get_styles_to_render_cell.cache_clear()
        self.refresh()

    _frame_style: Style | None = None

    @property
    def rich_style(self) -> Style:
        """DataTable asks for its style once per line it draws, and each ask walks every
        ancestor's styles (~0.3 ms): while a frame is drawn, the first answer serves."""
        return self._frame_style or super().rich_style

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._drawn_width != self.size.width:
            if self._drawn_width is not None:
                self._update_count += 1  # drawn before at another width: the rows' padding differs
            self.fit_fill_column(refresh=False)  # before any cell is drawn (a tab's first frame
            # comes before its Resize, whose fit would draw every cell a second time)
        self._drawn_width = self.size.width
        self._frame_style = super().rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    def fit_fill_column(self, refresh: bool = True) -> None:
        """Give the ``fill`` column the width the other columns leave, so a long cell is cut
        with an ellipsis inside the table rather than by the edge of the screen."""
        if self.fill is None or self.fill not in self.columns or not self.size.width:
            return
        column = self.columns[self.fill]  # type: ignore[index]
        others = sum(c.get_render_width(self) for key, c in self.columns.items() if key != self.fill)
        room = max(8, self.scrollable_content_region.width - others - 2 * self.cell_padding)
        if column.auto_width or column.width != room:
            column.auto_width = False
            column.width = room
            self._update_count += 1  # its cells render again at the new width (Resize no longer says so)
            self._require_update_dimensions = True
            if refresh:
                self.refresh()

    def _update_dimensions(self, new_rows) -> None:
        """DataTable measures new rows (and changed cells, below) when idle, after
        ``sync_rows`` returned: the fill column is fitted again to the measured widths."""
        super()._update_dimensions(new_rows)
        self.fit_fill_column()

    def _update_column_widths(self, updated_cells) -> None:
        super()._update_column_widths(updated_cells)
        self.fit_fill_column()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        """A scrollbar that appears (or goes) narrows (or widens) the room, with no Resize."""
        self.call_after_refresh(self.fit_fill_column)

    def action_row_down(self) -> None:
        self.action_cursor_down()

    def action_row_up(self) -> None:
        self.action_cursor_up()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "row_up" and not self.K_MOVES_UP:
            return False
        return super().check_action(action, parameters)

    def sync_rows(self, rows: Iterable[tuple[str, Sequence[Any]]], *, ordered: bool = False) -> bool:
        """Make the table show exactly ``rows`` (key, cells in column order), by key: rows no
        longer wanted go, changed cells are updated in place, new rows are appended. True if a
        row was added (a sorted table then sorts again). ``ordered``: the rows also end in the
        given order (from the first row out of place on, rows are put back in order), for a
        table that shows a list in the core's order rather than sorting itself."""
        wanted = dict(rows)
        for key in [k.value for k in self.rows]:
            if key not in wanted:
                self.remove_row(key)
        columns = [column.key for column in self.ordered_columns]
        added = False
        for key, cells in wanted.items():
            if key in self.rows:
                for column, old, new in zip(columns, self.get_row(key), cells, strict=False):
                    if old != new:
                        self.update_cell(key, column, new, update_width=True)  # a longer value shows whole
            else:
                self.add_row(*cells, key=key)
                added = True
        if ordered:
            shown = [row.key.value for row in self.ordered_rows]
            order = list(wanted)
            first = next((i for i, (a, b) in enumerate(zip(shown, order, strict=True)) if a != b), None)
            if first is not None:
                for key in shown[first:]:
                    self.remove_row(key)
                for key in order[first:]:
                    self.add_row(*wanted[key], key=key)
        self.fit_fill_column()
        return added

    @property
    def selected_key(self) -> str | None:
        """The key of the row under the cursor (None when the table is empty)."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value


class SortableText(Text):
    """A cell that sorts by ``sort_value`` rather than by its text (times shown in local form)."""

    def __init__(self, text: str, sort_value: Any) -> None:
        super().__init__(text)
        self.sort_value = sort_value

    def __eq__(self, other: object) -> bool:
        # a row diff must see a changed sort position even when the text reads the same
        return isinstance(other, SortableText) and self.sort_value == other.sort_value and super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]


def sort_by_value(table: DataTable, column: str, reverse: bool = False) -> None:
    table.sort(column, key=lambda cell: cell.sort_value, reverse=reverse)
