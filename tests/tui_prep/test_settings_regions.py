"""Settings: add and delete replica regions, and delete the replication set (asked first, and
refused while deletion protection is on). Every key and button of the two region forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

from cockpit.shell.confirm import ConfirmModal
from cockpit.workspace.region_forms import AddRegionModal, DeleteRegionModal
from cockpit.workspace.screen import SettingsScreen
from core import open_core
from tests.tui_prep.conftest import press_id, settle


@pytest.fixture
async def replicated(tmp_path: Path, clock):
    config = {"replicas": {"backup-1": str(tmp_path / "b1"), "backup-2": str(tmp_path / "b2")}}
    async with open_core(tmp_path / "ws", clock=clock, config=config) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {"local": {}}})
        yield client


def _error(form) -> str:
    return str(form.query_one("#form-error", Static).render())


async def _regions(client) -> set[str]:
    arn = (await client.call("ListReplicationSets", {}))["replicationSetArns"][0]
    return set((await client.call("GetReplicationSet", {"arn": arn}))["replicationSet"]["regionMap"])


async def _settings(app, pilot) -> SettingsScreen:
    await settle(pilot)
    app.switch_mode("settings")
    await settle(pilot)
    assert isinstance(app.screen, SettingsScreen)
    return app.screen


async def test_add_and_delete_replica_regions(replicated, clock, make_app):
    client = replicated
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _settings(app, pilot)
        await press_id(pilot, "region-add")
        form = app.screen
        assert isinstance(form, AddRegionModal) and form.regions == ["backup-1", "backup-2"]
        form.query_one("#region", Select).value = "backup-2"
        form.query_one("#kms-key", Input).value = "../../outside/key"
        await pilot.click("#submit")
        await settle(pilot)
        assert app.screen is form  # refused by the core: the form keeps what was typed
        assert form.query_one("#kms-key", Input).has_class("-invalid") and _error(form)
        assert await _regions(client) == {"local"}
        form.query_one("#kms-key", Input).value = ""
        await press_id(pilot, "form-submit")
        assert app.screen is screen
        assert await _regions(client) == {"local", "backup-2"}
        assert app.last_flash == ("replica region backup-2 added", "success")
        assert "region backup-2" in str(screen.query_one("#settings-body", Static).render())

        await press_id(pilot, "region-add")  # cancel, by button and by key
        assert app.screen.regions == ["backup-1"]
        await pilot.click("#cancel")
        await settle(pilot)
        assert app.screen is screen
        await press_id(pilot, "region-add")
        await press_id(pilot, "form-cancel")
        assert app.screen is screen and await _regions(client) == {"local", "backup-2"}

        await press_id(pilot, "region-delete")
        form = app.screen
        assert isinstance(form, DeleteRegionModal) and form.regions == ["backup-2"]
        await pilot.click("#submit")
        await settle(pilot)
        assert app.screen is form and "24 hours" in _error(form)  # too young to delete
        await pilot.click("#cancel")
        await settle(pilot)
        await clock.advance(hours=25)
        await press_id(pilot, "region-delete")
        await press_id(pilot, "form-submit")
        assert app.screen is screen
        assert await _regions(client) == {"local"}
        await press_id(pilot, "region-delete")  # only this site's region is left
        assert app.screen is screen and app.last_flash[1] == "warning"
        await press_id(pilot, "settings-reload")
        assert "region backup-2:" not in str(screen.query_one("#settings-body", Static).render())


async def test_delete_the_replication_set_asks_and_is_refused_while_protected(replicated, clock, make_app):
    client = replicated
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _settings(app, pilot)
        await press_id(pilot, "deletion-protection")  # on
        await press_id(pilot, "replication-delete")
        assert app.screen is screen  # not even asked: protection is on
        assert app.last_flash[1] == "error" and "deletion protection is on" in app.last_flash[0]
        assert len(app.last_flash[0]) <= 78, app.last_flash  # whole in the flash line at 80 columns
        assert (await client.call("ListReplicationSets", {}))["replicationSetArns"]

        await press_id(pilot, "deletion-protection")  # off: asks first
        assert isinstance(app.screen, ConfirmModal)
        await press_id(pilot, "confirm-yes")
        await press_id(pilot, "replication-delete")
        assert isinstance(app.screen, ConfirmModal)
        await press_id(pilot, "confirm-no")
        assert (await client.call("ListReplicationSets", {}))["replicationSetArns"]
        await press_id(pilot, "replication-delete")
        await press_id(pilot, "confirm-yes")
        assert (await client.call("ListReplicationSets", {}))["replicationSetArns"] == []
        assert "replication set deleted" in app.last_flash[0]
        assert screen.replication_set is None
        assert screen.check_action("delete_set", ()) is False  # nothing left to delete
