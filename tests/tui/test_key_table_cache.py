"""A KeyTable keeps its rendered cells across a focus change and across being hidden and shown
at the same size (a tab switch does both), and still draws its cursor in the focus state it is in."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input

from widgets.key_table import KeyTable


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield Input(id="other")
        table = KeyTable(id="table")
        table.add_columns("Name", "Value")
        for n in range(8):
            table.add_row(f"row {n}", str(n * 7), key=str(n))
        yield table


def _count_cell_renders(table: KeyTable) -> list[int]:
    """How many row lines the table renders from its cells (not from its caches), as it goes."""
    calls = [0]
    render = table._render_line_in_row

    def counted(*args, **kwargs):
        calls[0] += 1
        return render(*args, **kwargs)

    table._render_line_in_row = counted  # type: ignore[method-assign]
    return calls


def _cursor_line(table: KeyTable) -> tuple:
    strip = table.render_line(1)  # the header is line 0, the cursor's row line 1
    return tuple((segment.text, segment.style) for segment in strip)


async def test_focus_changes_keep_rendered_cells_and_the_cursor_follows_focus() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 14)) as pilot:
        table = app.query_one(KeyTable)
        table.focus()
        await pilot.pause()
        focused = _cursor_line(table)
        app.query_one("#other", Input).focus()
        await pilot.pause()
        blurred = _cursor_line(table)
        assert blurred != focused  # the unfocused cursor is drawn differently
        renders = _count_cell_renders(table)
        table.focus()
        await pilot.pause()
        assert _cursor_line(table) == focused
        assert renders[0] == 0  # drawn again from what it rendered focused before


async def test_shown_again_at_the_same_size_keeps_rendered_cells() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 14)) as pilot:
        table = app.query_one(KeyTable)
        await pilot.pause()
        table.display = False
        await pilot.pause()
        table.display = True
        await pilot.pause()
        renders = _count_cell_renders(table)
        table.refresh()
        await pilot.pause()
        assert renders[0] == 0
        await pilot.resize_terminal(70, 14)  # a real resize renders again
        await pilot.pause()
        assert renders[0] > 0


async def test_the_first_resize_after_the_first_frame_keeps_the_rendered_cells() -> None:
    """A table is often drawn once before its first Resize arrives, at that same size: that
    Resize must not make it render every cell a second time (each tab's first visit did)."""
    app = TableApp()
    async with app.run_test(size=(60, 14)) as pilot:
        table = app.query_one(KeyTable)
        await pilot.pause()
        renders = _count_cell_renders(table)
        table._drawn_width = None  # as before its first Resize
        table.render_lines(table.region.reset_offset)
        table.post_message(events.Resize(table.size, table.virtual_size, table.container_size))
        await pilot.pause()
        after_first = renders[0]
        table.refresh()
        await pilot.pause()
        assert renders[0] == after_first  # the Resize invalidated nothing


async def test_a_width_change_draws_rows_to_the_new_width() -> None:
    """The cursor's row is highlighted to the table's edge, after the table grows too."""
    app = TableApp()
    async with app.run_test(size=(44, 14)) as pilot:
        table = app.query_one(KeyTable)
        table.focus()
        await pilot.pause()
        table.render_line(1)  # drawn at 44 columns
        await pilot.resize_terminal(70, 14)
        await pilot.pause()
        cursor_line = list(table.render_line(1))
        assert sum(len(segment.text) for segment in cursor_line) == table.size.width == 70
        assert cursor_line[-1].style.bgcolor == cursor_line[0].style.bgcolor  # not the plain background


async def test_one_style_lookup_per_frame() -> None:
    """DataTable asks for its base style once per line: a frame asks the ancestors once."""
    app = TableApp()
    async with app.run_test(size=(60, 14)) as pilot:
        table = app.query_one(KeyTable)
        await pilot.pause()
        walks = [0]
        original = type(table).__mro__[1].rich_style.fget  # DataTable's (DOMNode's) property

        def counted(self):
            walks[0] += 1
            return original(self)

        try:
            DataTable.rich_style = property(counted)  # type: ignore[assignment]
            table._line_cache.clear()
            table._styles_cache.clear()
            table.render_lines(table.region.reset_offset)
        finally:
            del DataTable.rich_style
        assert walks[0] == 1


class FillApp(App):
    def compose(self) -> ComposeResult:
        table = KeyTable(id="table", fill="value")
        table.add_column("Name", key="name")
        table.add_column("Value", key="value")
        for n in range(8):
            table.add_row(f"row {n}", "a long value " * 8, key=str(n))
        table.display = False  # as in a tab not shown yet
        yield table


async def test_a_fill_table_is_fitted_before_its_first_cells_are_drawn() -> None:
    """The fill column's width is fitted before the first frame's cells are drawn: fitted on
    the Resize that follows that frame, every cell of a tab's first visit was drawn twice."""
    app = FillApp()
    async with app.run_test(size=(60, 14)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyTable)
        renders = _count_cell_renders(table)
        table.display = True
        await pilot.pause()
        await pilot.pause()
        table.refresh()
        await pilot.pause()
        # Twice at most: a first layout still guesses a scrollbar from the unfitted (auto) fill
        # width; without the fit before drawing, a third pass followed the first Resize.
        assert renders[0] <= 2 * (table.row_count + 1)
        assert table.max_scroll_x == 0
        assert str(table.get_row("0")[1]).startswith("a long value")
