"""The Footer, rebuilt only when the keys it shows change, at most once per refresh.

Textual's Footer rebuilds all its key widgets whenever the screen's bindings are updated,
which happens on every focus change and several times while a screen mounts. Moving from one
tile or row to the next keeps the same keys, so this footer coalesces the updates of one
refresh and compares what it would show before rebuilding (each rebuild creates and restyles
a widget per key).

When the keys are wider than the footer, the screen's own keys drop from the end until the
rest fit, so the app's ``?`` Help and ``:`` Cmd (``ESSENTIAL``) are always shown.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

ESSENTIAL = frozenset({"help", "command-line"})
"""Binding ids the footer never drops."""


class KeyFooter(Footer):
    _shown: tuple[Any, ...] | None = None
    _pending = False

    def _key_width(self, binding: Binding) -> int:
        """Columns a FooterKey takes: " key description " (compact: "key description" and a margin)."""
        text = cell_len(self.app.get_key_display(binding)) + cell_len(binding.description)
        return text + (2 if self.compact else 3)

    def _dropped(self) -> set[str]:
        """The keys (by action) left out so the essential ones fit in the footer's width."""
        width = self.size.width or self.app.size.width
        shown: dict[str, Binding] = {}
        for _, binding, _enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show:
                shown.setdefault(binding.action, binding)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:  # docked right
                width -= self._key_width(palette.binding)
        needed = sum(self._key_width(b) for b in shown.values())
        dropped: set[str] = set()
        for action, binding in reversed(shown.items()):
            if needed <= width:
                break
            if binding.id not in ESSENTIAL:
                dropped.add(action)
                needed -= self._key_width(binding)
        return dropped

    def _signature(self) -> tuple[Any, ...]:
        return (self.size.width, *(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        ))

    def compose(self):  # type: ignore[override]
        dropped = self._dropped() if self._bindings_ready else set()
        for widget in super().compose():
            if getattr(widget, "action", None) not in dropped:
                yield widget

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            return
        if not self._pending:
            self._pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    def on_resize(self) -> None:
        if self.is_attached and not self._pending:
            self._pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        signature = self._signature()
        if signature != self._shown:
            self._shown = signature
            await self.recompose()
