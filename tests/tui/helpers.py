"""Pilot helpers: wait without sleeping, and press keys by binding id (remaps cannot break tests)."""

from __future__ import annotations

from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget


async def settle(pilot: Pilot) -> None:
    """Let messages, workers and the repaints they cause finish (never sleep)."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers_idle()  # type: ignore[attr-defined]
    await pilot.pause()


def key_for(pilot: Pilot, binding_id: str) -> str:
    """The key currently bound to ``binding_id`` on the active screen (keymaps included)."""
    for key, active in pilot.app.screen.active_bindings.items():
        if active.binding.id == binding_id:
            return key
    # a focused widget may bind the same key first (a DataTable's enter): look further up
    for _node, bindings in pilot.app.screen._modal_binding_chain:
        for key, binding in bindings:
            if binding.id == binding_id:
                return key
    raise AssertionError(f"no active binding {binding_id!r} on {pilot.app.screen}")


async def press_binding(pilot: Pilot, binding_id: str) -> None:
    await pilot.press(key_for(pilot, binding_id))
    await settle(pilot)


def drawn_lines(widget: Widget) -> list[Strip]:
    """What ``widget`` draws, line by line, as the compositor asks it for its whole region."""
    return widget.render_lines(Region(0, 0, *widget.outer_size))


def drawn(widget: Widget) -> str:
    """What ``widget`` draws, as plain text (trailing blanks trimmed)."""
    return "\n".join(strip.text.rstrip() for strip in drawn_lines(widget))
