"""The user form (name, role, linked contact) and the one-time display of a new access key."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Label, Select, Static

from cockpit.shell.modal import FormError, FormModal, text_of
from cockpit.shell.shown_once import ShownOnceModal

ROLES = [("admin: everything", "admin"), ("responder: run incidents, read the rest", "responder"),
         ("readonly: read only", "readonly")]


class UserForm(FormModal[dict[str, Any]]):
    """Create a user (with its first access key) or change one's role and linked contact."""

    FIELD_IDS = {"userName": "user-name", "role": "user-role", "contactArn": "user-contact"}
    SUBMIT_LABEL = "Save"

    def __init__(self, save, people: list[tuple[str, str]], user: dict[str, Any] | None = None) -> None:
        super().__init__(save)
        self.people = people
        self.user = user or {}
        self.TITLE = f"Edit user {self.user['userName']}" if user else "New user"

    def compose_fields(self) -> ComposeResult:
        u = self.user
        yield Label("User name", classes="field-label")
        yield Input(u.get("userName", ""), id="user-name", placeholder="letters, digits, +=,.@_-",
                    disabled=bool(u))
        yield Label("Role", classes="field-label")
        yield Select(ROLES, value=u.get("role", "responder"), allow_blank=False, id="user-role")
        yield Label("Contact (for \"my engagements\" and acknowledging)", classes="field-label")
        yield Select(self.people, value=u.get("contactArn", Select.NULL), prompt="no contact", id="user-contact")
        if not u:
            yield Static("The new access key is shown once, after saving.", classes="hint")

    def values(self) -> dict[str, Any]:
        name = self.user.get("userName") or text_of(self.query_one("#user-name", Input))
        if not name:
            raise FormError("user-name", "User name: give the user a name")
        contact = self.query_one("#user-contact", Select).value
        request: dict[str, Any] = {"userName": name, "role": self.query_one("#user-role", Select).value}
        if contact is not Select.NULL:
            request["contactArn"] = contact
        elif self.user.get("contactArn"):
            request["contactArn"] = ""  # unlink
        return request


class NewKeyModal(ShownOnceModal):
    """A new access key, shown this once (the core keeps the secret encrypted and never shows it
    again); closing the dialog forgets it."""

    BINDINGS = [Binding("escape", "close", "Close", id="new-key-close", tooltip="Close: the secret is not shown again")]

    def __init__(self, user_name: str, access_key_id: str, secret: str) -> None:
        super().__init__(
            f"Access key for {user_name}",
            [("new-key-id", "AccessKeyId", access_key_id), ("new-key-secret", "SecretAccessKey", secret)],
            "Copy it now: it is shown only this once. Use it with `cockpit attach URL` "
            "(COCKPIT_ACCESS_KEY_ID / COCKPIT_SECRET_ACCESS_KEY) or a [profiles.NAME] table.",
        )
