"""`?`: the keys that work on the screen under this modal (from its live bindings, so a remapped
key shows as remapped), with each binding's id for ``keymap`` overrides, and the ``:`` verbs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from cockpit.shell.record_view import RecordViewModal
from cockpit.shell.verbs import Verb
from widgets.screen_keys import COCKPIT, SCREEN, TEXTUAL, binding_origin, screen_keys

KEY_NAMES = {
    "question_mark": "?", "colon": ":", "slash": "/", "left_square_bracket": "[",
    "right_square_bracket": "]", "escape": "esc", "enter": "enter",
}


class KeyRow(NamedTuple):
    """One line of the help: a key, its name, what it does, and the id to remap it by."""

    key: str
    description: str
    tooltip: str
    binding_id: str


def key_label(key: str, binding: Binding) -> str:
    return binding.key_display or KEY_NAMES.get(key, key)


class HelpModal(RecordViewModal[None]):
    """The keys of a screen, in the read-only titled scroll the record views use."""

    DEFAULT_CSS = """
    HelpModal > VerticalScroll { width: 90; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="help-close", tooltip="Close help"),
        Binding("question_mark", "close", "Close", show=False, id="help-toggle", key_display="?",
                tooltip="Close help"),
        Binding("q", "close", "Close", show=False, id="help-q", tooltip="Close help"),
    ]

    def __init__(self, screen: Screen, verbs: Sequence[Verb]) -> None:
        super().__init__()
        self.verbs = tuple(verbs)
        keys = screen_keys(screen)
        self._keys = self._describe(keys)
        self.binding_ids = [b.binding.id for b in keys.values() if b.binding.id]

    @staticmethod
    def _describe(keys: dict[str, ActiveBinding]) -> dict[str, list[KeyRow]]:
        """The screen's keys in three lists: its own, the cockpit's everywhere, Textual's."""
        sections: dict[str, list[KeyRow]] = {}
        seen: set[tuple[str, str]] = set()
        # the screen's own bindings before its focused widget's (a table's j/k)
        ordered = sorted(keys.items(), key=lambda item: not isinstance(item[1].node, Screen))
        for key, active in ordered:
            binding = active.binding
            if (binding.action, key) in seen or not binding.description:
                continue
            seen.add((binding.action, key))
            if binding.id and binding.id.startswith("tab-"):
                if binding.id == "tab-1":  # 1-9 share one line
                    row = KeyRow("1-9", "Jump to tab", "Show the tab of that number", "tab-1 … tab-9")
                    sections.setdefault(SCREEN, []).append(row)
                continue
            origin = binding_origin(active.node, binding, key)
            sections.setdefault(origin, []).append(
                KeyRow(key_label(key, binding), binding.description, binding.tooltip or "", binding.id or ""))
        return sections

    @staticmethod
    def key_grid(rows: Sequence[KeyRow]) -> Table:
        """``rows`` in three columns as wide as this section needs, two spaces apart: the key,
        right-aligned, its name, then what it does (wrapped under itself) and the id to remap
        it by."""
        grid = Table.grid(padding=(0, 2))
        grid.add_column(justify="right", style="bold", no_wrap=True, width=max(len(r.key) for r in rows))
        grid.add_column(no_wrap=True, width=max(len(r.description) for r in rows))
        grid.add_column(ratio=1)
        for row in rows:
            detail = Text(row.tooltip, style="dim")
            if row.binding_id:
                detail.append(f"{'  ' if row.tooltip else ''}{row.binding_id}", style="dim italic")
            grid.add_row(Text(row.key), Text(row.description), detail)
        return grid

    def verb_grid(self) -> Table:
        """The ``:`` commands: each usage, then its help wrapped under itself."""
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True, width=max((len(v.usage) for v in self.verbs), default=0))
        grid.add_column(ratio=1)
        for verb in self.verbs:
            grid.add_row(Text(verb.usage), Text(verb.help))
        return grid

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("Keys on this screen  (remap by id in ui.toml \\[keymap])", classes="dialog-title")
            yield Static(self.key_grid(self._keys[SCREEN]) if SCREEN in self._keys else Text("None of its own."),
                         id="help-keys")
            if COCKPIT in self._keys:
                yield Label("Everywhere in the cockpit", classes="section")
                yield Static(self.key_grid(self._keys[COCKPIT]), id="help-cockpit-keys")
            yield Label("Commands (press : then type)", classes="section")
            yield Static(self.verb_grid(), id="help-verbs")
            if TEXTUAL in self._keys:
                yield Label("Textual's own keys (focus, palette, editing)", classes="section")
                yield Static(self.key_grid(self._keys[TEXTUAL]), id="help-textual-keys")
            yield Label("ctrl+p opens the command palette; esc closes this help.", classes="section")

