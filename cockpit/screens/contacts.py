"""Contacts: people (and on-call schedules) with their channels; create, edit, activate, delete."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from cockpit.modals.confirm import ConfirmModal
from cockpit.modals.prep_code import PrepCodeEntry
from cockpit.modals.prep_contact import PrepContactEditor
from cockpit.screens.base import all_pages
from cockpit.screens.prep_list import PrepListScreen, Row, apply_rows, selected_key
from cockpit.screens.prep_shapes import ChannelForm, ContactForm, channel_offsets, engagement_plan
from widgets.key_table import KeyTable

Call = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any] | None]]
CHANNEL_COLUMNS = ["name", "type", "address", "status", "minutes"]


async def list_contacts(call: Call, type_: str | None = None) -> list[dict[str, Any]] | None:
    """Every contact (bounded to 10 pages), optionally of one type."""
    params: dict[str, Any] = {"MaxResults": 100} | ({"Type": type_} if type_ else {})
    return await all_pages(call, "ListContacts", params, "Contacts")


async def save_contact(call: Call, form: ContactForm) -> tuple[str, int] | None:
    """Create or update the contact, add its new channels (the core sends their activation
    codes) and write its engagement plan. Returns (contact arn, new channel count)."""
    arn = form.arn
    if arn is None:
        made = await call("CreateContact", {"Alias": form.alias, "DisplayName": form.display_name or form.alias,
                                            "Type": "PERSONAL", "Plan": {"Stages": []}})
        if made is None:
            return None
        arn = made["ContactArn"]
    offsets: dict[str, int] = {}
    added = 0
    for channel in form.channels:
        if channel.arn is None:
            made = await call("CreateContactChannel", {
                "ContactId": arn, "Name": channel.name, "Type": channel.type,
                "DeliveryAddress": {"SimpleAddress": channel.address}})
            if made is None:  # the error is on the flash line; the contact itself was saved
                return None
            channel.arn = made["ContactChannelArn"]
            added += 1
        offsets[channel.arn] = channel.minutes
    update: dict[str, Any] = {"ContactId": arn, "Plan": engagement_plan(offsets)}
    if form.arn is not None:
        update["DisplayName"] = form.display_name or form.alias
    if await call("UpdateContact", update) is None:
        return None
    return arn, added


async def load_contact_form(call: Call, arn: str) -> ContactForm | None:
    contact = await call("GetContact", {"ContactId": arn})
    channels = await call("ListContactChannels", {"ContactId": arn})
    if contact is None or channels is None:
        return None
    offsets = channel_offsets(contact.get("Plan"))
    return ContactForm(contact["Alias"], contact.get("DisplayName") or "", [
        ChannelForm(c["Type"], c["Name"], c["DeliveryAddress"]["SimpleAddress"],
                    offsets.get(c["ContactChannelArn"], 0), c["ContactChannelArn"])
        for c in channels.get("ContactChannels", [])], arn)


class ContactsScreen(PrepListScreen):
    CRUMB = "Contacts"
    CSS_PATH = "contacts.tcss"
    COLUMNS = (("alias", "Alias"), ("name", "Name"), ("type", "Type"))
    EMPTY = "No contacts yet. Press n to create one."
    REFRESH_ON = frozenset({"ContactChanged"})
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
        if event.type == "ContactChannelChanged":
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
            apply_rows(table, rows, CHANNEL_COLUMNS)

    # ---- actions ----------------------------------------------------------------------------
    def action_new(self) -> None:
        self.app.push_screen(PrepContactEditor(), self._save)

    @work(exclusive=True, group="contacts-edit")
    async def action_edit(self) -> None:
        if self.selected is None:
            self.flash("no contact selected", "warning")
            return
        form = await load_contact_form(self.call, self.selected)
        if form is not None:
            self.app.push_screen(PrepContactEditor(form), self._save)

    def _save(self, form: ContactForm | None) -> None:
        if form is not None:
            self.save(form)

    @work(exclusive=True, group="contacts-save")
    async def save(self, form: ContactForm) -> None:
        saved = await save_contact(self.call, form)
        if saved is None:
            return
        arn, added = saved
        sent = f"; activation codes sent to {added} channel(s), press a to enter one" if added else ""
        self.flash(f"saved contact {form.alias}{sent}", "success")
        self.reload()
        self.load_channels(arn)

    def _channel(self) -> str | None:
        return selected_key(self.query_one("#channels", KeyTable))

    def action_activate(self) -> None:
        channel = self._channel()
        if channel is None:
            self.flash("this contact has no channel to activate", "warning")
            return
        name = self.query_one("#channels", KeyTable).get_row(channel)[0]
        self.app.push_screen(PrepCodeEntry(f"Activation code sent to channel [b]{name}[/]"),
                             lambda code: self.activate(channel, code) if code else None)

    @work(exclusive=True, group="contacts-activate")
    async def activate(self, channel: str, code: str) -> None:
        if await self.call("ActivateContactChannel", {"ContactChannelId": channel, "ActivationCode": code}) is not None:
            self.flash("channel activated", "success")
            self.load_channels(self.selected)

    @work(exclusive=True, group="contacts-send-code")
    async def action_send_code(self) -> None:
        channel = self._channel()
        if channel is None:
            self.flash("no channel selected", "warning")
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
