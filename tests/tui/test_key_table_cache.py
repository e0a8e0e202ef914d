"""A KeyTable keeps its rendered cells across a focus change and across being hidden and shown
at the same size (a tab switch does both), and still draws its cursor in the focus state it is in."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input

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
