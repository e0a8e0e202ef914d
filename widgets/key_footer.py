"""The Footer, rebuilt only when the keys it shows change, at most once per refresh.

Textual's Footer rebuilds all its key widgets whenever the screen's bindings are updated,
which happens on every focus change and several times while a screen mounts. Moving from one
tile or row to the next keeps the same keys, so this footer coalesces the updates of one
refresh and compares what it would show before rebuilding (each rebuild creates and restyles
a widget per key).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    _shown: tuple[Any, ...] | None = None
    _pending = False

    def _signature(self) -> tuple[Any, ...]:
        return tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            return
        if not self._pending:
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
