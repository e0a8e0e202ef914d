"""The Footer, updated in place, only when the keys it shows change, at most once per refresh.

Textual's Footer rebuilds all its key widgets whenever the screen's bindings are updated,
which happens on every focus change, on every tab switch and several times while a screen
mounts; each rebuild creates a widget per key and styles it three times (once on mount, twice
more as its ``compact`` reactive starts and is bound). This footer coalesces the updates of one
refresh, compares what it would show before touching anything, and then changes the keys it
already has (their text, their dimmed state) instead of building new ones: a tab switch costs
a repaint of one line, not a dozen widgets.

A key the screen binds itself is shown as the screen's where a focused Textual widget binds
it first (a table's enter, which selects the row the screen then opens: ``screen_keys``).

When the keys are wider than the footer, the screen's own keys drop from the end until the
rest fit, so the app's ``?`` Help and ``:`` Cmd (``ESSENTIAL``) are always shown.

Bindings are shown one per action; binding groups (``Binding.Group``) are not drawn as groups.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from widgets.screen_keys import screen_keys

ESSENTIAL = frozenset({"help", "command-line"})
"""Binding ids the footer never drops."""
PALETTE = "-command-palette"


class Key(NamedTuple):
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    action: str
    disabled: bool
    tooltip: str


class KeyFooter(Footer):
    _shown: tuple[Any, ...] | None = None
    _pending = False

    def _key_width(self, binding: Binding) -> int:
        """Columns a FooterKey takes: " key description " (compact: "key description" and a margin)."""
        text = cell_len(self.app.get_key_display(binding)) + cell_len(binding.description)
        return text + (2 if self.compact else 3)

    def _dropped(self, active: dict[str, ActiveBinding]) -> set[str]:
        """The keys (by action) left out so the essential ones fit in the footer's width."""
        width = self.size.width or self.app.size.width
        shown: dict[str, Binding] = {}
        for _, binding, _enabled, _tooltip in active.values():
            if binding.show:
                shown.setdefault(binding.action, binding)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
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

    @staticmethod
    def _signature(width: int, active: dict[str, ActiveBinding]) -> tuple[Any, ...]:
        return (width, *(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for (_, binding, enabled, tooltip) in active.values()
            if binding.show
        ))

    def _keys(self, active: dict[str, ActiveBinding] | None = None) -> list[Key]:
        """The screen's keys to show, the first binding of each action, in binding order."""
        active = screen_keys(self.screen) if active is None else active
        dropped = self._dropped(active)
        keys: dict[str, Key] = {}
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in dropped and binding.action not in keys:
                keys[binding.action] = Key(binding.key, self.app.get_key_display(binding),
                                           binding.description, binding.action, not enabled, tooltip)
        return list(keys.values())

    def _palette_key(self) -> Key | None:
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        active = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if active is None:
            return None
        binding = active.binding
        return Key(binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                   not active.enabled, binding.tooltip or binding.description)

    def _footer_key(self, key: Key, classes: str = "", compact: bool | None = None) -> FooterKey:
        """A FooterKey styled once, when it mounts: its ``compact`` is set (by default the
        footer's), not bound."""
        compact = self.compact if compact is None else compact
        widget = FooterKey(key.key, key.display, key.description, key.action, disabled=key.disabled,
                           tooltip=key.tooltip, classes=f"{classes} -compact" if compact else classes)
        widget.set_reactive(FooterKey.compact, compact)
        return widget

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        for key in self._keys():
            yield self._footer_key(key)
        palette = self._palette_key()
        if palette is not None:
            yield self._footer_key(palette, PALETTE, compact=True)  # as Textual's Footer draws it

    @staticmethod
    def _update(widget: FooterKey, key: Key) -> None:
        if (widget.key, widget.key_display, widget.description, widget.action, widget._disabled,
                widget.tooltip or "") == tuple(key):
            return
        widget.key, widget.key_display, widget.description, widget.action = key[:4]
        widget._disabled = key.disabled
        widget.set_class(key.disabled, "-disabled")
        widget.tooltip = key.tooltip or None
        widget.refresh(layout=True)

    async def _update_keys(self, active: dict[str, ActiveBinding]) -> None:
        """Change the keys already shown to the ones wanted; add or remove only the difference."""
        shown = [w for w in self.query_children(FooterKey) if not w.has_class(PALETTE)]
        palette_widget = next(iter(self.query_children(f"FooterKey.{PALETTE}").results(FooterKey)), None)
        palette = self._palette_key()
        if (palette is None) != (palette_widget is None):
            await self.recompose()
            return
        wanted = self._keys(active)
        for widget, key in zip(shown, wanted, strict=False):
            self._update(widget, key)
        if len(shown) > len(wanted):
            await self.remove_children(shown[len(wanted):])
        elif len(wanted) > len(shown):
            await self.mount_all([self._footer_key(key) for key in wanted[len(shown):]], before=palette_widget)
        if palette_widget is not None and palette is not None:
            self._update(palette_widget, palette)

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
        active = screen_keys(self.screen)
        signature = self._signature(self.size.width, active)
        if signature == self._shown:
            return
        self._shown = signature
        if self.children:
            await self._update_keys(active)
        else:
            await self.recompose()
