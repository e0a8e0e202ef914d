"""Users: who may call the core from outside (attach, the APIs), with which role and key.

Admins create users (the first access key is shown once), change a user's role or linked
contact, disable or enable a user, give a new key (the old ones stop working) and delete users.
Other roles see the list only."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.binding import Binding

from cockpit.contacts.calls import people
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.list_screen import PrepListScreen, Row
from cockpit.shell.modal import FormError
from cockpit.users.forms import NewKeyModal, UserForm
from core.errors import ConflictException, ServiceError
from core.model import events as ev
from widgets.formatting import alias_of


class UsersScreen(PrepListScreen):
    CRUMB = "Users"
    COLUMNS = (("user", "User"), ("role", "Role"), ("state", "State"), ("contact", "Contact"), ("keys", "Access keys"))
    EMPTY = "No users yet. Press n to create one (an admin first): attach and the APIs need one."
    REFRESH_ON = frozenset({ev.USER_CHANGED})
    MUTATING_ACTIONS = frozenset({"new", "edit", "toggle", "new_key", "delete"})
    BINDINGS = [
        Binding("n", "new", "New", id="user-new", tooltip="Create a user and its first access key"),
        Binding("e", "edit", "Edit", id="user-edit", tooltip="Change the user's role or linked contact"),
        Binding("t", "toggle", "Disable/enable", id="user-toggle",
                tooltip="Disable the user (its keys stop working) or enable it again"),
        Binding("a", "new_key", "New key", id="user-new-key",
                tooltip="Give the user a new access key; its old keys stop working"),
        Binding("d", "delete", "Delete", id="user-delete", tooltip="Delete the user and its keys"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.users: dict[str, dict[str, Any]] = {}
        self.is_admin = False

    def on_mount(self) -> None:
        super().on_mount()
        self.table.fill = "keys"  # takes the width the others leave: no sideways scroll at 80 columns

    async def load_rows(self) -> list[Row] | None:
        me = await self.call("GetCallerIdentity", {})
        users = await self.call_pages("ListUsers", {}, "users")
        if me is None or users is None:
            return None
        self.is_admin = me.get("role") == "admin"
        self.refresh_bindings()
        self.users = {u["userName"]: u for u in users}
        return [(u["userName"], (
            u["userName"], u["role"], "enabled" if u["enabled"] else "disabled",
            alias_of(u["contactArn"]) if u.get("contactArn") else "–",
            Text(", ".join(k["accessKeyId"] for k in u["accessKeys"]) or "–", no_wrap=True, overflow="ellipsis"),
        )) for u in users]

    ROW_ACTIONS = frozenset({"edit", "toggle", "new_key", "delete"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MUTATING_ACTIONS and not self.is_admin:
            return False  # only admins manage users
        return super().check_action(action, parameters)

    # ---- create and edit --------------------------------------------------------------------
    async def _people(self) -> list[tuple[str, str]]:
        try:
            return await people(self.app.client.call) or []
        except ServiceError:
            return []  # not set up yet (no replication set): no contact to link, users work anyway

    @work(exclusive=True, group="users-edit")
    async def action_new(self) -> None:
        self.app.push_screen(UserForm(self._create, await self._people()), self._created)

    async def _create(self, request: dict[str, Any]) -> dict[str, Any]:
        try:
            return (await self.app.client.call("CreateUser", {**request, "withAccessKey": True}))["accessKey"]
        except ConflictException:
            raise FormError("user-name", f"User name: {request['userName']} already exists") from None

    def _created(self, key: dict[str, Any] | None) -> None:
        if key is not None:
            self.flash(f"created user {key['userName']}", "success")
            self.app.push_screen(NewKeyModal(key["userName"], key["accessKeyId"], key["secretAccessKey"]))
            self.reload()

    @work(exclusive=True, group="users-edit")
    async def action_edit(self) -> None:
        user = self.users.get(self.selected or "")
        if user is not None:
            self.app.push_screen(UserForm(self._update, await self._people(), user), self._updated)

    async def _update(self, request: dict[str, Any]) -> dict[str, Any]:
        return (await self.app.client.call("UpdateUser", request))["user"]

    def _updated(self, user: dict[str, Any] | None) -> None:
        if user is not None:
            self.flash(f"saved user {user['userName']} ({user['role']})", "success")
            self.reload()

    # ---- enable, keys, delete ---------------------------------------------------------------
    def action_toggle(self) -> None:
        user = self.users.get(self.selected or "")
        if user is None:
            return
        if not user["enabled"]:
            self.set_enabled(user["userName"], True)
            return
        self.app.push_screen(
            ConfirmModal("Disable user", f"Disable user {user['userName']}? Their access keys stop working at once.", "Disable"),
            lambda yes: yes and self.set_enabled(user["userName"], False))

    @work(exclusive=True, group="users-change")
    async def set_enabled(self, name: str, enabled: bool) -> None:
        if await self.call("UpdateUser", {"userName": name, "enabled": enabled}) is not None:
            self.flash(f"user {name} {'enabled' if enabled else 'disabled'}", "success")
            self.reload()

    def action_new_key(self) -> None:
        user = self.users.get(self.selected or "")
        if user is not None:
            self.app.push_screen(
                ConfirmModal("New access key", f"Give {user['userName']} a new access key? Its current keys stop "
                             "working at once.", "New key"),
                lambda yes: yes and self.rotate(user["userName"]))

    @work(exclusive=True, group="users-change")
    async def rotate(self, name: str) -> None:
        made = await self.call("RotateAccessKey", {"userName": name})
        if made is not None:
            key = made["accessKey"]
            self.app.push_screen(NewKeyModal(name, key["accessKeyId"], key["secretAccessKey"]))
            self.flash(f"new access key for {name}; its old keys no longer work", "success")
            self.reload()

    def action_delete(self) -> None:
        name = self.selected
        if name is not None:
            self.app.push_screen(ConfirmModal("Delete user", f"Delete user {name} and its access keys?", "Delete"),
                                 lambda yes: yes and self.delete(name))

    @work(exclusive=True, group="users-change")
    async def delete(self, name: str) -> None:
        if await self.call("DeleteUser", {"userName": name}) is not None:
            self.flash(f"user {name} deleted", "success")
            self.reload()
