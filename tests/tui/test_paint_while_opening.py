"""The app paints its screens while its opener is still opening the client (`cockpit demo`'s
workspace still seeding): calls wait for the client, and the incident list says nothing about
incidents until it has read them."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.incidents.list_screen import IncidentListScreen
from cockpit.screenshots import DEMO_NOW
from core.clock import FakeClock
from core.errors import StoreError
from tests.tui.helpers import settle


def shown(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_the_list_is_painted_before_the_client_is_open_and_filled_once_it_is(
        demo_workspace: Path, settings) -> None:
    clock = FakeClock(DEMO_NOW)
    release = asyncio.Event()
    painted_before_open: list[bool] = []

    @asynccontextmanager
    async def slow_opener():
        try:
            await asyncio.wait_for(release.wait(), 30)  # a guard: a broken app never lets the test run
        except TimeoutError:
            raise StoreError("the test never released the opener") from None
        async with embedded_client(demo_workspace, clock) as client:
            yield client

    app = build_app(slow_opener, settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        painted_before_open.append(isinstance(screen, IncidentListScreen) and screen.is_mounted)
        text = shown(app)
        assert "No open incidents" not in text and "Checkout payments" not in text
        release.set()
        await settle(pilot)
        assert "Checkout payments failing for EU cards" in shown(app)
    assert painted_before_open == [True]


async def test_an_opener_that_fails_unexpectedly_ends_the_app_with_its_error(settings) -> None:
    """A damaged database raises sqlite3.DatabaseError from the opener: the app leaves with
    status 1 and keeps the error for `cockpit` to word (cockpit/launch.py raises it again)."""
    damage = sqlite3.OperationalError("no such table: event_log")

    @asynccontextmanager
    async def failing_opener():
        raise damage
        yield  # an async generator, as an opener is

    app = build_app(failing_opener, settings, clock=FakeClock(DEMO_NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app._opening
        await pilot.pause()
    assert app.return_code == 1
    assert app.open_error is damage
