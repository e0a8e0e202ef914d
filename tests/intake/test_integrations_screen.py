"""The Integrations area under Pilot: an admin creates an integration (its URL and token shown
once), sees its last payloads and their outcome, and replays one; and snapshots of the list
and the log at 80x24 and 120x40 on a fake clock. Update with ``--snapshot-update`` after checking."""

from __future__ import annotations

import asyncio
import itertools
from functools import partial
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.integrations.forms import IntegrationForm, TokenModal
from cockpit.integrations.log_screen import IntakeLogScreen
from cockpit.integrations.screen import IntegrationsScreen
from cockpit.screenshots import DEMO_NOW
from cockpit.settings import CockpitSettings
from core import open_core
from core.clock import FakeClock
from core.intake.normalize import normalize
from core.ops import integrations
from core.ops.intake import Received, receive
from core.ops.integrations import find_integration
from tests.intake import payloads
from tests.tui.helpers import press_binding, settle

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def settings() -> CockpitSettings:
    return CockpitSettings(theme="cockpit-dark", timezone="UTC", cursor_blink=False, keymap={})


async def _until(pilot, condition, rounds: int = 20) -> None:
    """Settle until ``condition()`` holds: the core's event reaches the screen through the app's
    listener task, a few loop turns after the commit (bounded; never sleeps)."""
    for _ in range(rounds):
        if condition():
            return
        await settle(pilot)
    assert condition()


async def _post(core, integration_id: str, payload) -> dict:
    integration = await find_integration(core, integration_id)
    alerts = normalize(integration.type, integration.options, payload, core.clock.now())
    outcome = await receive(core, Received(integration, "alert", payload, alerts))
    return {"status": outcome.status, "outcome": outcome.results, "eventId": outcome.event_id}


async def test_an_admin_creates_an_integration_and_replays_a_payload(core, clock, settings) -> None:
    client = core.client()
    await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
    plan = await client.call("CreateResponsePlan", {"name": "api", "displayName": "API outage",
                                                    "incidentTemplate": {"title": "API", "impact": 2}})
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.go_to_area("integrations")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IntegrationsScreen) and screen.table.row_count == 0

        await press_binding(pilot, "integration-new")
        form = app.screen
        assert isinstance(form, IntegrationForm)
        form.query_one("#integration-name", Input).value = "prometheus"
        form.query_one("#integration-type", Select).value = "alertmanager"
        await press_binding(pilot, "form-submit")
        assert isinstance(app.screen, IntegrationForm)  # no plan chosen: the form says so and stays
        assert "Response plan: choose" in str(form.query_one("#form-error").render())
        form.query_one("#integration-plan", Select).value = plan["arn"]
        await press_binding(pilot, "form-submit")
        shown = app.screen
        assert isinstance(shown, TokenModal)
        token = str(shown.query_one("#token-value").render()).split()[-1]
        url = str(shown.query_one("#token-url").render()).split()[-1]
        (made,) = (await client.call("ListIntegrations", {}))["integrations"]
        assert url == made["path"]
        assert (await find_integration(core, made["integrationId"])).token_matches(token)
        await press_binding(pilot, "token-close")
        assert app.screen is screen
        assert screen.table.get_row(made["integrationId"])[:3] == ["prometheus", "alertmanager", "api"]
        assert str(screen.query_one("#integration-url").render()) == f"prometheus intake URL: {made['path']}"

        first = await _post(core, made["integrationId"], payloads.alertmanager())
        assert first["outcome"][0]["action"] == "started"
        await _until(pilot, lambda: str(screen.table.get_row(made["integrationId"])[4]) == "processed")
        await press_binding(pilot, "integration-log")
        log = app.screen
        assert isinstance(log, IntakeLogScreen)
        assert [str(c) for c in log.table.get_row(first["eventId"])[2:]] == ["processed", "1", "HighLatency: started"]
        assert '"groupKey"' in str(log.query_one("#intake-payload").render())
        await press_binding(pilot, "intake-replay")
        await _until(pilot, lambda: [str(c) for c in log.table.get_row(first["eventId"])[2:]] == [
            "processed", "2", "HighLatency: joined"])


async def test_a_readonly_user_sees_integrations_without_the_keys_to_change_them(core, clock, settings) -> None:
    from core.security.roles import principal_for_role

    admin = core.client()
    await admin.call("CreateReplicationSet", {"regions": {core.region: {}}})
    plan = await admin.call("CreateResponsePlan", {"name": "api", "incidentTemplate": {"title": "API", "impact": 2}})
    await admin.call("CreateIntegration", {"name": "grafana", "type": "grafana", "responsePlanArn": plan["arn"]})
    reader = core.client(principal_for_role("arn:aws:iam::1:user/rita", "rita", "readonly"))
    app = build_app(reader, settings, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.go_to_area("integrations")
        await settle(pilot)
        assert app.screen.table.row_count == 1
        assert app.screen.check_action("new", ()) is False and app.screen.check_action("log", ()) is not False


async def _workspace(workspace: Path) -> None:
    async with open_core(workspace, clock=FakeClock(DEMO_NOW)) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        plan = await client.call("CreateResponsePlan", {"name": "api-outage", "displayName": "API outage",
                                                        "incidentTemplate": {"title": "API", "impact": 2}})
        am = await client.call("CreateIntegration", {"name": "prometheus", "type": "alertmanager",
                                                     "responsePlanArn": plan["arn"], "resolveOnRecovery": True})
        await client.call("CreateIntegration", {"name": "cloudwatch", "type": "cloudwatch-sns",
                                                "responsePlanArn": plan["arn"]})
        for body in (payloads.alertmanager(), payloads.alertmanager(alerts=2), payloads.alertmanager("resolved")):
            await _post(core, am["integration"]["integrationId"], body)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    ids = (f"snap{n:04d}" for n in itertools.count(1))  # stable ids, stable pictures
    monkeypatch.setattr(integrations, "_new_integration_id", lambda: next(ids))
    path = tmp_path / "ws"
    asyncio.run(_workspace(path))
    return path


async def _list(pilot) -> None:
    await settle(pilot)
    pilot.app.go_to_area("integrations")
    await settle(pilot)


async def _log(pilot) -> None:
    await _list(pilot)
    await pilot.press("down")  # prometheus, the one with payloads
    await press_binding(pilot, "integration-log")


SCENES = {"integrations": _list, "intake-log": _log}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", list(SCENES))
def test_integrations_snapshots(snap_compare, workspace: Path, settings: CockpitSettings, scene: str,
                                size: tuple[int, int]) -> None:
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, workspace, clock), settings, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=SCENES[scene])
