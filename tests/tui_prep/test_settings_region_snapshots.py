"""Snapshots of Settings' region forms, with text typed into them, at 80x24 and 120x40."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from cockpit.build import build_app
from cockpit.factory import embedded_client
from core import FakeClock
from tests.conftest import START
from tests.tui_prep.conftest import key_for, settings, settle

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def fixed_account(monkeypatch):
    counter = iter(range(10**6))
    monkeypatch.setattr(secrets, "randbelow", lambda n: (123456 + next(counter)) % n)


def region_app(tmp_path: Path, opener: str, typed: str):
    clock = FakeClock(START)
    config = {"replicas": {"backup-1": str(tmp_path / "b1"), "backup-2": str(tmp_path / "b2")}}
    app = build_app(lambda: embedded_client(tmp_path / "ws", clock=clock, config=config), settings(), clock=clock)

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.flash("")
        await pilot.app.client.call("CreateReplicationSet", {"regions": {"local": {}, "backup-1": {}}})
        pilot.app.switch_mode("settings")
        await settle(pilot)
        await pilot.press(key_for(pilot.app, opener))
        await settle(pilot)
        if typed:
            pilot.app.screen.query_one("#kms-key").focus()
            await pilot.press(*typed)
        await settle(pilot)

    return app, run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_add_region_form_with_a_key_typed(snap_compare, tmp_path, size):
    app, run_before = region_app(tmp_path, "region-add", "payments-key")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_delete_region_form(snap_compare, tmp_path, size):
    app, run_before = region_app(tmp_path, "region-delete", "")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
