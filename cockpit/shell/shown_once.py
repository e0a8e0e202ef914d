"""A secret shown this once (an access key's secret, an integration's token): the core keeps
only an encrypted copy or a hash and never shows it again; closing the dialog forgets it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from cockpit.shell.modal import CockpitModal


class ShownOnceModal(CockpitModal[None]):
    """``lines`` are (widget id, label, value); a subclass adds its escape binding (its own id)."""

    DEFAULT_CSS = """
    ShownOnceModal { align: center middle; }
    ShownOnceModal > Vertical { width: 84; max-width: 100%; height: auto; border: thick $warning;
                                background: $surface; padding: 0 1; }
    ShownOnceModal .key { text-style: bold; }
    ShownOnceModal Horizontal { height: auto; align-horizontal: right; }
    """

    def __init__(self, title: str, lines: list[tuple[str, str, str]], note: str) -> None:
        super().__init__()
        self._title, self._lines, self._note = title, lines, note

    def compose(self) -> ComposeResult:
        width = max(len(label) for _, label, _ in self._lines)
        with Vertical():
            yield Static(f"[b]{self._title}[/b]")
            for widget_id, label, value in self._lines:
                yield Static(f"{label:<{width}}  {value}", classes="key", markup=False, id=widget_id)
            yield Static(self._note, markup=False)
            with Horizontal():
                yield Button("Close", variant="primary", id="close")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self._lines = []
        self.dismiss(None)
