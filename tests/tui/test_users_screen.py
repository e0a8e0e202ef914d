"""The Users area under Pilot: an admin creates a user (its key shown once), disables it,
gives it a new key and deletes it; anyone else sees the list without the keys to change it."""

from __future__ import annotations

from textual.widgets import Input, Select

from cockpit.build import build_app
from cockpit.shell.confirm import ConfirmModal
from cockpit.users.forms import NewKeyModal, UserForm
from cockpit.users.screen import UsersScreen
from core.ops.users import resolve_access_key
from core.security.roles import principal_for_role
from tests.tui.helpers import press_binding, settle


def _shown_key(app) -> tuple[str, str]:
    modal = app.screen
    assert isinstance(modal, NewKeyModal)
    key_id = str(modal.query_one("#new-key-id").render()).split()[-1]
    secret = str(modal.query_one("#new-key-secret").render()).split()[-1]
    return key_id, secret


async def test_an_admin_manages_users(core, clock, settings) -> None:
    client = core.client()
    await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
    contact = (await client.call("CreateContact", {"Alias": "ann", "Type": "PERSONAL", "Plan": {"Stages": []}}))
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.go_to_area("users")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, UsersScreen) and screen.table.row_count == 0
        for key in ("e", "t", "a", "d"):  # nothing to act on: dimmed in the Footer, and not run
            assert screen.active_bindings[key].enabled is False, key
        await pilot.press("e")
        assert app.screen is screen

        await press_binding(pilot, "user-new")
        form = app.screen
        assert isinstance(form, UserForm)
        form.query_one("#user-name", Input).value = "ann"
        form.query_one("#user-role", Select).value = "responder"
        form.query_one("#user-contact", Select).value = contact["ContactArn"]
        await press_binding(pilot, "form-submit")
        key_id, secret = _shown_key(app)
        principal, stored = await resolve_access_key(core, key_id)
        assert (principal.name, principal.role, stored) == ("ann", "responder", secret)
        await press_binding(pilot, "new-key-close")
        assert app.screen is screen
        assert screen.table.get_row("ann")[:3] == ["ann", "responder", "enabled"]
        assert all(screen.active_bindings[key].enabled for key in ("e", "t", "a", "d"))  # a row to act on
        assert screen.users["ann"]["contactArn"] == contact["ContactArn"]
        assert secret not in str(screen.table.get_row("ann"))

        await press_binding(pilot, "user-new")  # the same name again: said on the field, the form kept
        form = app.screen
        form.query_one("#user-name", Input).value = "ann"
        await press_binding(pilot, "form-submit")
        assert app.screen is form
        assert str(form.query_one("#form-error").render()) == "User name: ann already exists"
        assert form.query_one("#user-name", Input).has_class("-invalid")
        await press_binding(pilot, "form-cancel")
        await press_binding(pilot, "confirm-yes")  # "Discard your changes?"
        assert app.screen is screen

        await press_binding(pilot, "user-toggle")
        assert isinstance(app.screen, ConfirmModal)
        await press_binding(pilot, "confirm-yes")
        assert screen.table.get_row("ann")[2] == "disabled"
        assert await resolve_access_key(core, key_id) is None
        await press_binding(pilot, "user-toggle")  # enabling asks nothing
        assert screen.table.get_row("ann")[2] == "enabled"

        await press_binding(pilot, "user-new-key")
        await press_binding(pilot, "confirm-yes")
        new_id, _ = _shown_key(app)
        await press_binding(pilot, "new-key-close")
        assert new_id != key_id and await resolve_access_key(core, key_id) is None
        assert (await resolve_access_key(core, new_id))[0].name == "ann"

        await press_binding(pilot, "user-delete")
        await press_binding(pilot, "confirm-yes")
        assert screen.table.row_count == 0
        assert (await client.call("ListUsers", {}))["users"] == []


async def test_a_bad_name_stays_in_the_form_with_the_reason(core, clock, settings) -> None:
    # no replication set yet: users can still be made (the first admin comes first)
    app = build_app(core.client(), settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.go_to_area("users")
        await settle(pilot)
        await press_binding(pilot, "user-new")
        form = app.screen
        assert isinstance(form, UserForm)
        form.query_one("#user-name", Input).value = "not a name"
        await press_binding(pilot, "form-submit")
        assert app.screen is form
        assert "User name" in str(form.query_one("#form-error").render())
        assert (await core.client().call("ListUsers", {}))["users"] == []
        form.query_one("#user-name", Input).value = "first-admin"
        form.query_one("#user-role", Select).value = "admin"
        await press_binding(pilot, "form-submit")
        assert isinstance(app.screen, NewKeyModal)
        assert [u["userName"] for u in (await core.client().call("ListUsers", {}))["users"]] == ["first-admin"]


async def test_only_admins_see_the_keys_that_change_users(core, clock, settings) -> None:
    await core.client().call("CreateReplicationSet", {"regions": {core.region: {}}})
    await core.client().call("CreateUser", {"userName": "root", "role": "admin"})
    reader = principal_for_role(f"arn:aws:iam::{core.account_id}:user/rita", "rita", "readonly")
    app = build_app(core.client(reader), settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.go_to_area("users")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, UsersScreen) and screen.table.row_count == 1
        ids = {b.binding.id for b in screen.active_bindings.values()}
        assert "user-new" not in ids and "user-delete" not in ids
