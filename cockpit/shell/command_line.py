"""`:`: a one-line prompt at the bottom, k9s style (`:start`, `:ack CODE`, `:q`)."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label

from cockpit.shell.modal import CockpitModal
from cockpit.shell.verbs import Verb


class CommandLineModal(CockpitModal[str | None]):
    DEFAULT_CSS = """
    CommandLineModal { align: left bottom; background: $background 0%; }
    CommandLineModal > #prompt-help { dock: bottom; height: 1; width: 1fr;
        background: $panel; color: $text-muted; padding: 0 1; }
    /* by id: Input's own `Input:focus` rule draws a tall border, which in one row of height
       left only the border lines showing, never the text */
    CommandLineModal > #command { dock: bottom; margin-bottom: 1; width: 1fr;
        border: none; height: 1; padding: 0 1; background: $boost; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="command-cancel", tooltip="Close the prompt")]

    def __init__(self, verbs: Sequence[Verb]) -> None:
        super().__init__()
        self.verbs = tuple(verbs)

    def compose(self) -> ComposeResult:
        names = [f":{v.name}" for v in self.verbs]
        yield Input(placeholder=":start  :ack CODE  :incidents  :q", id="command",
                    suggester=SuggestFromList(names, case_sensitive=False), value=":",
                    select_on_focus=False)
        yield Label("enter runs · → completes · esc cancels · :help lists commands", id="prompt-help")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _run(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
