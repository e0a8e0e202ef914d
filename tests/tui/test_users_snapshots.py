"""Snapshots: the Users area (an admin's view of the demo's users) and the header of an attached
cockpit whose connection is lost, at 80x24 and 120x40, on the seeded demo workspace and a fake
clock.
Update with ``pytest tests/tui/test_users_snapshots.py --snapshot-update`` after checking."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from textual.pilot import Pilot

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.screenshots import DEMO_NOW
from cockpit.settings import CockpitSettings
from core.clock import FakeClock
from tests.tui.helpers import settle

SIZES = [(80, 24), (120, 40)]


async def users_area(pilot: Pilot) -> None:
    await settle(pilot)
    pilot.app.go_to_area("users")
    await settle(pilot)


async def reconnecting(pilot: Pilot) -> None:
    await settle(pilot)
    pilot.app.connection = "reconnecting to https://cockpit.example.com …"
    await settle(pilot)


SCENES = {"users": users_area, "reconnecting": reconnecting}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", list(SCENES))
def test_users_and_connection(snap_compare, demo_workspace: Path, settings: CockpitSettings,
                              scene: str, size: tuple[int, int]) -> None:
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=SCENES[scene])
