"""The Get prepared wizard on a workspace that is prepared already (the demo's): each step says
what exists, and its step mark is ticked when its need is met. Pilot, on the seeded demo."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from textual.widgets import Static

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.screenshots import DEMO_NOW
from core.clock import FakeClock
from tests.tui.helpers import drawn, press_binding, settle


async def aliases(app, contact_type: str) -> list[str]:
    listed = await app.client.call("ListContacts", {"Type": contact_type, "MaxResults": 100})
    return [c["Alias"] for c in listed["Contacts"]]


async def test_each_step_shows_what_the_workspace_has(demo_workspace: Path, settings) -> None:
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.go_to_area("prepare")
        await settle(pilot)
        screen = app.screen
        contacts, plans = await aliases(app, "PERSONAL"), await aliases(app, "ESCALATION")
        responses = [p["name"] for p in (await app.client.call("ListResponsePlans", {}))["responsePlanSummaries"]]
        assert len(contacts) > 1 and plans and responses  # the demo has them all

        def done(step: str) -> str:
            return drawn(screen.query_one(f"#{step}-done", Static)).replace("\n", " ")

        assert "✓ the replication set already exists" in done("replication")
        await press_binding(pilot, "wizard-next")
        assert screen.step == "contacts"
        assert done("contacts").startswith(f"✓ in the workspace: {len(contacts)} contacts (")
        assert all(alias in done("contacts") for alias in contacts[:6]), done("contacts")
        await press_binding(pilot, "wizard-next")
        assert screen.step == "escalation"
        noun = "escalation plan" if len(plans) == 1 else "escalation plans"
        assert done("escalation") == f"✓ in the workspace: {len(plans)} {noun} ({', '.join(plans)})"
        await press_binding(pilot, "wizard-next")
        steps = drawn(screen.query_one("#wizard-steps", Static))
        assert "1. replication ✓" in steps and "2. contacts ✓" in steps and "3. escalation ✓" in steps, steps
        assert done("response").startswith("✓ in the workspace: ") and responses[0] in done("response")


async def test_a_step_with_nothing_made_says_so_and_is_not_ticked(ready, clock, settings) -> None:
    client, _ = ready  # a replication set and one response plan, no contacts
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.go_to_area("prepare")
        await settle(pilot)
        screen = app.screen
        await press_binding(pilot, "wizard-next")
        assert drawn(screen.query_one("#contacts-done", Static)) == "no contacts yet"
        await press_binding(pilot, "wizard-next")
        await press_binding(pilot, "wizard-next")
        steps = drawn(screen.query_one("#wizard-steps", Static))
        assert "2. contacts ✓" not in steps and "3. escalation ✓" not in steps and "2. contacts" in steps, steps
        assert drawn(screen.query_one("#response-done", Static)) == "✓ in the workspace: 1 response plan (api-outage)"
