"""Contacts: people (and on-call schedules) with their channels; create, edit, activate, delete."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from cockpit.contacts.calls import (
    list_contacts,
    load_contact_form,
    rotation_choices,
    save_contact,
    save_schedule_contact,
)
from cockpit.contacts.editor import PrepContactEditor, SavedContact
from cockpit.contacts.forms import ContactForm
from cockpit.contacts.schedule_editor import ScheduleContactEditor
from cockpit.shell.code_entry import PrepCodeEntry
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.list_screen import PrepListScreen, Row
from cockpit.shell.modal import FormError
from core.errors import ServiceError
from core.model import events as ev
from widgets.formatting import counted
from widgets.key_table import KeyTable

CHANNEL_COLUMNS = ["name", "type", "address", "status", "minutes"]
SEND_CODE = "with SendActivationCode"
"""How the core's activation errors say to send a new code; the cockpit's key for it is s."""
SCHEDULE = "oncall_schedule"
"""The Type column of an on-call schedule contact (edited by its rotations, not channels)."""


class ContactsScreen(PrepListScreen):
    CRUMB = "Contacts"
    CSS_PATH = "screen.tcss"
    COLUMNS = (("alias", "Alias"), ("name", "Name"), ("type", "Type"))
    EMPTY = "No contacts yet. Press n to create one."
    REFRESH_ON = frozenset({ev.CONTACT_CHANGED})
    MUTATING_ACTIONS = frozenset({"new", "edit", "activate", "send_code", "delete"})
    BINDINGS = [
        Binding("n", "new", "New", id="contact-new", tooltip="Create a contact with its channels"),
        Binding("e", "edit", "Edit", id="contact-edit", tooltip="Edit the name, channels and engagement plan"),
        Binding("a", "activate", "Activate", id="channel-activate", tooltip="Enter a channel's activation code"),
        Binding("s", "send_code", "Send code", id="channel-send-code", tooltip="Send the channel a new activation code"),
        Binding("d", "delete", "Delete", id="contact-delete", tooltip="Delete the contact (or the focused channel)"),
    ]

    def compose_extra(self) -> ComposeResult:
        yield Static("Channels", id="channels-title", classes="prep-subtitle")
        table = KeyTable(id="channels")
        for key in CHANNEL_COLUMNS:
            table.add_column({"minutes": "Pages at"}.get(key, key.title()), key=key)
        yield table

    async def load_rows(self) -> list[Row] | None:
        contacts = await list_contacts(self.call)
        if contacts is None:
            return None
        return [(c["ContactArn"], (c["Alias"], c.get("DisplayName") or "", c["Type"].lower()))
                for c in contacts if c["Type"] != "ESCALATION"]

    def rows_loaded(self) -> None:
        self.load_channels(self.selected)

    def on_domain_event(self, event) -> None:
        super().on_domain_event(event)
        if event.type == ev.CONTACT_CHANNEL_CHANGED:
            self.load_channels(self.selected)

    @on(DataTable.RowHighlighted, "#prep-table")
    def _contact_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.load_channels(event.row_key.value)

    @work(exclusive=True, group="contacts-channels")
    async def load_channels(self, contact_arn: str | None) -> None:
        rows: list[Row] = []
        if contact_arn:
            form = await load_contact_form(self.call, contact_arn)
            listed = await self.call("ListContactChannels", {"ContactId": contact_arn})
            if form is None or listed is None:
                return
            status = {c["ContactChannelArn"]: c.get("ActivationStatus", "") for c in listed["ContactChannels"]}
            rows = [(c.arn or "", (c.name, c.type, c.address, status.get(c.arn or "", "").lower().replace("_", " "),
                                   f"+{c.minutes}m")) for c in form.channels]
        table = self.query_one("#channels", KeyTable)
        with self.app.batch_update():
            table.sync_rows(rows)

    # ---- actions ----------------------------------------------------------------------------
    def action_new(self) -> None:
        self.app.push_screen(PrepContactEditor(self._save_contact), self._saved)

    @work(exclusive=True, group="contacts-edit")
    async def action_edit(self) -> None:
        arn = self.selected
        if arn is None:
            self.flash("no contact selected", "warning")
            return
        if self.table.get_row(arn)[2] == SCHEDULE:
            await self._edit_schedule(arn)
            return
        form = await load_contact_form(self.call, arn)
        if form is not None:
            self.app.push_screen(PrepContactEditor(self._save_contact, form), self._saved)

    async def _edit_schedule(self, arn: str) -> None:
        contact = await self.call("GetContact", {"ContactId": arn})
        tags = await self.call("ListTagsForResource", {"ResourceARN": arn})
        rotations = await rotation_choices(self.call)
        if contact is None or tags is None or rotations is None:
            return
        editor = ScheduleContactEditor(partial(save_schedule_contact, self.app.client.call, arn), contact,
                                       {t["Key"]: t["Value"] for t in tags["Tags"]}, rotations)
        self.app.push_screen(editor, self._schedule_saved)

    def _schedule_saved(self, arn: str | None) -> None:
        if arn is not None:
            self.flash(f"saved on-call schedule {self.table.get_row(arn)[0]}", "success")
            self.show_saved(arn)

    async def _save_contact(self, form: ContactForm) -> SavedContact:
        return await save_contact(self.app.client.call, form)

    def _saved(self, saved: SavedContact | None) -> None:
        if saved is None:
            return
        form, added = saved
        sent = f"; {counted(added, 'activation code')} sent, press a to enter one" if added else ""
        self.flash(f"saved contact {form.alias}{sent}", "success")
        if form.arn is not None:
            self.show_saved(form.arn)
            self.load_channels(form.arn)

    def _channel(self) -> str | None:
        return self.query_one("#channels", KeyTable).selected_key

    def _inactive_channel(self) -> str | None:
        """The selected channel if it still needs activating; otherwise say why not."""
        channel = self._channel()
        if channel is None:
            self.flash("this contact has no channel to activate", "warning")
            return None
        name, _type, _address, status, _minutes = self.query_one("#channels", KeyTable).get_row(channel)
        if status == "activated":
            self.flash(f"channel {name} is already activated: it needs no code", "warning")
            return None
        return channel

    def action_activate(self) -> None:
        channel = self._inactive_channel()
        if channel is None:
            return
        name = self.query_one("#channels", KeyTable).get_row(channel)[0]
        self.app.push_screen(PrepCodeEntry(f"Enter the activation code sent to channel [b]{name}[/]\n"
                                           "[dim](none came? esc, then s sends a new one)[/]",
                                           partial(self._activate, channel)), self._activated)

    async def _activate(self, channel: str, code: str) -> bool:
        try:
            await self.app.client.call("ActivateContactChannel", {"ContactChannelId": channel, "ActivationCode": code})
        except ServiceError as error:  # "send one with SendActivationCode": here that is s
            words = "; ".join(f.get("message", "") for f in getattr(error, "fields", None) or [])
            if SEND_CODE not in words:
                raise
            raise FormError("code", f"Code: {words.replace(SEND_CODE, '(esc, then s)')}") from error
        return True

    def _activated(self, done: bool | None) -> None:
        if done:
            self.flash("channel activated", "success")
            self.load_channels(self.selected)

    @work(exclusive=True, group="contacts-send-code")
    async def action_send_code(self) -> None:
        channel = self._inactive_channel()
        if channel is None:
            return
        if await self.call("SendActivationCode", {"ContactChannelId": channel}) is not None:
            self.flash("a new activation code is on its way (see the Outbox)", "success")

    def action_delete(self) -> None:
        channels = self.query_one("#channels", KeyTable)
        if channels.has_focus and self._channel():
            channel = self._channel()
            self.app.push_screen(ConfirmModal("Delete channel", f"Delete channel {channels.get_row(channel)[0]}?", "Delete"),
                                 lambda yes: self.delete("DeleteContactChannel", {"ContactChannelId": channel}) if yes else None)
        elif self.selected:
            arn = self.selected
            self.app.push_screen(ConfirmModal("Delete contact", f"Delete contact {self.table.get_row(arn)[0]} and its channels?", "Delete"),
                                 lambda yes: self.delete("DeleteContact", {"ContactId": arn}) if yes else None)

    @work(exclusive=True, group="contacts-delete")
    async def delete(self, operation: str, params: dict[str, Any]) -> None:
        if await self.call(operation, params) is not None:
            self.flash("deleted", "success")
            self.reload()
