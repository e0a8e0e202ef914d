"""A preparation area: one keyed table loaded from the core, updated row by row, kept live."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.widgets import Static

from cockpit.shell.screen import CockpitScreen, mounted_once
from core.model.events import DomainEvent
from widgets.key_table import KeyTable, sort_by_value

Row = tuple[str, tuple[Any, ...]]


class PrepListScreen(CockpitScreen):
    COLUMNS: ClassVar[tuple[tuple[str, str], ...]] = ()
    """(column key, label)."""
    EMPTY: ClassVar[str] = "Nothing here yet."
    REFRESH_ON: ClassVar[frozenset[str]] = frozenset()
    """Domain event types that reload the table."""
    SORT_BY: ClassVar[tuple[str, bool] | None] = None
    """(column key, newest first) of a SortableText column to keep the rows in; new rows are
    appended by the diff, so the table sorts again when one arrives."""
    ORDERED: ClassVar[bool] = False
    """The rows stay in the order load_rows gives them (a list the screen orders itself)."""
    ROW_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    """Actions on the selected row: shown dimmed in the Footer, and not run, while no row is
    selected (an empty list)."""

    # shared by every preparation screen; a screen's own rules (nested under its type) override
    DEFAULT_CSS = """
    PrepListScreen #prep-table { height: 1fr; }
    PrepListScreen #prep-empty { height: auto; padding: 0 1; color: $text-muted; }
    PrepListScreen .prep-subtitle { background: $boost; padding: 0 1; text-style: bold; }
    """

    def compose_body(self) -> ComposeResult:
        table = KeyTable(id="prep-table")
        for key, label in self.COLUMNS:
            table.add_column(label, key=key)
        yield table
        yield Static(self.EMPTY, id="prep-empty")
        yield from self.compose_extra()

    def compose_extra(self) -> ComposeResult:
        yield from ()

    @property
    def table(self) -> KeyTable:
        return self.query_one("#prep-table", KeyTable)

    @property
    def selected(self) -> str | None:
        return self.table.selected_key

    _select_key: str | None = None
    """A row to put the cursor on once it is listed (one just saved)."""

    def show_saved(self, key: str) -> None:
        """Reload, and select the row ``key`` (just saved) once it is listed, so the next key
        (e, t, d...) acts on it."""
        self._select_key = key
        self.reload()

    def on_mount(self) -> None:
        if not mounted_once(self, PrepListScreen):  # a subclass's super().on_mount() runs it again
            self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.ROW_ACTIONS and self.selected is None:
            return None  # dimmed: nothing selected to act on
        return super().check_action(action, parameters)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.table.focus()

    def on_domain_event(self, event: DomainEvent) -> None:
        if event.type in self.REFRESH_ON:
            self.reload()

    def reload_data(self) -> None:
        self.reload()

    async def load_rows(self) -> list[Row] | None:
        """Rows (key, cells) from the core, or None when the call failed (already flashed)."""
        raise NotImplementedError

    @work(exclusive=True, group="prep-load")
    async def reload(self) -> None:
        rows = await self.load_rows()
        if rows is None:
            return
        with self.app.batch_update():
            if self.table.sync_rows(rows, ordered=self.ORDERED) and self.SORT_BY is not None:
                sort_by_value(self.table, *self.SORT_BY)
            empty = self.query_one("#prep-empty", Static)
            empty.update(self.empty_text())
            empty.display = not rows
            if self._select_key is not None and self._select_key in self.table.rows:
                self.table.move_cursor(row=self.table.get_row_index(self._select_key))
                self._select_key = None
        self.refresh_bindings()  # the row keys follow whether there is a row to act on
        self.rows_loaded()

    def empty_text(self) -> str:
        """What the table says when it has no rows (a filtered screen says so)."""
        return self.EMPTY

    def rows_loaded(self) -> None:
        """Hook: the table has its rows (e.g. load the detail of the selected one)."""
