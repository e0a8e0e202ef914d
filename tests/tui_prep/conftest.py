"""A cockpit on a real embedded core (temp SQLite, fake clock), and keys pressed by binding id."""

from __future__ import annotations

from typing import Any

import pytest

from cockpit.build import build_app
from cockpit.settings import CockpitSettings


def settings() -> CockpitSettings:
    return CockpitSettings(theme="ansi-dark", cursor_blink=False, timezone="UTC", bell=False)


@pytest.fixture
def make_app(clock):
    def make(client: Any):
        return build_app(client, settings(), clock=clock)
    return make


def key_for(app: Any, binding_id: str) -> str:
    """The key bound to ``binding_id`` in the current context (remapping cannot break tests)."""
    for key, active in app.active_bindings.items():
        if active.binding.id == binding_id:
            return key
    for _node, bindings in app.screen._modal_binding_chain:  # a focused table binds enter first
        for key, binding in bindings:
            if binding.id == binding_id:
                return key
    raise AssertionError(f"no active binding {binding_id!r} (have {[a.binding.id for a in app.active_bindings.values()]})")


async def press_id(pilot: Any, binding_id: str) -> None:
    await pilot.press(key_for(pilot.app, binding_id))
    await settle(pilot)


async def settle(pilot: Any) -> None:
    """Let screen switches land and every worker finish but those that never end on their
    own (the event feed, and workers waiting for the app's clock to move: app.workers_idle)."""
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers_idle()
    await pilot.pause()
