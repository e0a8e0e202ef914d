"""Starting the TUI (the TUI issue replaces the placeholder app)."""

from __future__ import annotations

from pathlib import Path


def run_tui(command: str, data_dir: Path, config: Path | None) -> int:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Placeholder(App):
        BINDINGS = [("q", "quit", "Quit")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield Static(f"Incident Cockpit — workspace {data_dir}\nThe full cockpit is on its way.")
            yield Footer()

    Placeholder().run()
    return 0
