"""Snapshots of the incident screens at 80x24 and 120x40, on the seeded demo workspace and a
fake clock (durations stand still), with the cursor blink off. Update with
``pytest tests/tui --snapshot-update`` after checking the new pictures."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

import pytest
from textual.pilot import Pilot

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.screenshots import DEMO_NOW
from cockpit.settings import CockpitSettings
from core.clock import FakeClock
from tests.tui.helpers import press_binding, settle

SIZES = [(80, 24), (120, 40)]


async def open_list(pilot: Pilot) -> None:
    await settle(pilot)


async def resolved_tab(pilot: Pilot) -> None:
    await settle(pilot)
    await press_binding(pilot, "tab-2")


async def details(pilot: Pilot, tab: str = "tab-1") -> None:
    await settle(pilot)
    await press_binding(pilot, "list-down")  # the second tile: the impact 1 incident
    await press_binding(pilot, "tile-open")
    await press_binding(pilot, tab)


async def start_modal(pilot: Pilot) -> None:
    await settle(pilot)
    await press_binding(pilot, "start-incident")


async def help_on_details(pilot: Pilot) -> None:
    await details(pilot, "tab-3")
    await press_binding(pilot, "help")


SCENES: dict[str, Callable[[Pilot], Awaitable[None]]] = {
    "open-tiles": open_list,
    "resolved": resolved_tab,
    "details-overview": details,
    "details-timeline": partial(details, tab="tab-3"),
    "start-modal": start_modal,
    "help": help_on_details,
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", list(SCENES))
def test_incident_screens(snap_compare, demo_workspace: Path, settings: CockpitSettings,
                          scene: str, size: tuple[int, int]) -> None:
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=SCENES[scene])
