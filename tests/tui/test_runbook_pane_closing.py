"""An incident's details closed while its Runbook tab is still loading: the load that comes back
afterwards finds its widgets gone, and must leave them alone instead of crashing the app."""

from __future__ import annotations

import asyncio

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.incidents.runbook_pane import RunbookPane
from tests.tui.helpers import press_binding, settle
from tests.tui.test_runbook_tab import start_with_runbook


class HeldClient:
    """The client, with GetRunbookExecution held until ``release`` is set."""

    def __init__(self, client) -> None:
        self._client = client
        self.held = asyncio.Event()
        self.release = asyncio.Event()

    def __getattr__(self, name):
        return getattr(self._client, name)

    async def call(self, operation, params=None, **kwargs):
        if operation == "GetRunbookExecution" and not self.release.is_set():
            self.held.set()
            await self.release.wait()
        return await self._client.call(operation, params, **kwargs)


async def test_a_runbook_load_that_returns_after_the_details_closed_does_not_crash(ready, clock, settings) -> None:
    client, _ = ready
    await start_with_runbook(client)
    held = HeldClient(client)
    app = build_app(held, settings, clock=clock)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        for _ in range(20):  # the Runbook tab composes and starts its load
            await pilot.pause()
            if held.held.is_set():
                break
        detail = app.screen
        assert isinstance(detail, IncidentDetailScreen)
        if not detail.query(RunbookPane):
            await press_binding(pilot, "tab-4")
        await asyncio.wait_for(held.held.wait(), 5)
        await pilot.press("escape")  # closed while the load is out
        await pilot.pause()
        assert not isinstance(app.screen, IncidentDetailScreen)
        held.release.set()
        await settle(pilot)
        assert app.return_code is None and app._exception is None
        await pilot.press("enter")  # and the details open again, runbook and all
        await settle(pilot)
        assert isinstance(app.screen, IncidentDetailScreen)


async def test_a_late_load_on_a_removed_pane_leaves_it_alone(ready, clock, settings) -> None:
    client, _ = ready
    await start_with_runbook(client)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await press_binding(pilot, "tab-4")
        pane = app.screen.query_one(RunbookPane)
        execution = pane.execution
        assert execution is not None and pane.query(".runbook-step-body")
        await pane.remove()  # what the app's teardown does to a screen still in the stack
        await pane._show(execution)  # the load that was out comes back: nothing to do, no NoMatches
        assert not pane.is_attached
