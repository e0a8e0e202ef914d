"""Snapshots of the Audit screen and of its filter form with text typed into it, at 80x24 and
120x40 (fake clock, fixed ids and account)."""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path

import pytest

from cockpit.build import build_app
from cockpit.factory import embedded_client
from core import FakeClock
from tests.conftest import START
from tests.tui_prep.conftest import key_for, settings, settle

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def fixed_ids(monkeypatch):
    counter = iter(range(1, 10**6))
    monkeypatch.setattr(secrets, "randbelow", lambda n: (123456 + next(counter)) % n)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))


def audit_app(tmp_path: Path, *keys: str, typed: dict[str, str] | None = None):
    clock = FakeClock(START)
    app = build_app(lambda: embedded_client(tmp_path / "ws", clock=clock), settings(), clock=clock)

    async def run_before(pilot) -> None:
        client = pilot.app.client
        await settle(pilot)
        pilot.app.flash("")
        await client.call("CreateReplicationSet", {"regions": {"local": {}}})
        plan = (await client.call("CreateResponsePlan", {
            "name": "api-outage", "incidentTemplate": {"title": "API is down", "impact": 2}}))["arn"]
        await clock.advance(minutes=3)
        await client.call("UpdateResponsePlan", {"arn": plan, "displayName": "API outage"})
        await clock.advance(minutes=2)
        try:
            await client.call("StartIncident", {"responsePlanArn": plan, "impact": 9})
        except Exception:  # noqa: BLE001 (refused: audited all the same)
            pass
        pilot.app.switch_mode("audit")
        await settle(pilot)
        for key in keys:
            await pilot.press(key_for(pilot.app, key))
            await settle(pilot)
        for selector, text in (typed or {}).items():
            pilot.app.screen.query_one(selector).focus()
            await pilot.press(*text)
        await settle(pilot)

    return app, run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_audit_screen_snapshot(snap_compare, tmp_path, size):
    app, run_before = audit_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_audit_filter_form_snapshot_with_text_typed(snap_compare, tmp_path, size):
    app, run_before = audit_app(tmp_path, "audit-filter", typed={
        "#audit-from": "2h", "#audit-operation": "UpdateResp", "#audit-resource": "arn:aws:ssm-incidents"})
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_audit_record_view_snapshot(snap_compare, tmp_path, size):
    """`enter` on the refused StartIncident: its error, whole ARNs and parameters."""
    app, run_before = audit_app(tmp_path, "audit-view")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
