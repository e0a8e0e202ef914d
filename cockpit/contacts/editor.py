"""Create or edit a contact: name, alias, channels and the engagement plan (minutes before each
channel is paged), as in the seed's "Define a contact"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from cockpit.contacts.forms import ChannelForm, ContactForm
from cockpit.shell.modal import FormError, SavingModal
from cockpit.shell.tags import parse_tags, tags_text
from widgets.form_scroll import FormScroll

CHANNEL_TYPES = [("Email", "EMAIL"), ("SMS", "SMS"), ("Voice", "VOICE")]


class ChannelRow(Horizontal):
    """One channel: its widgets' ids are ``channel-{row}-{type|name|address|minutes}``."""

    def __init__(self, row: int, channel: ChannelForm | None = None) -> None:
        super().__init__(classes="channel-row", id=f"channel-{row}")
        self.row = row
        self.channel = channel

    def compose(self) -> ComposeResult:
        c = self.channel
        fixed = c is not None and c.arn is not None
        prefix = f"channel-{self.row}"
        yield Select(CHANNEL_TYPES, value=c.type if c else "EMAIL", allow_blank=False,
                     disabled=fixed, classes="ch-type", id=f"{prefix}-type")
        yield Input(c.name if c else "", placeholder="name", disabled=fixed, classes="ch-name", id=f"{prefix}-name")
        yield Input(c.address if c else "", placeholder="address", disabled=fixed, classes="ch-address",
                    id=f"{prefix}-address")
        yield Input(str(c.minutes) if c else "0", restrict=r"\d{0,2}", classes="ch-minutes", id=f"{prefix}-minutes")

    def form(self) -> ChannelForm | None:
        name = self.query_one(".ch-name", Input).value.strip()
        address = self.query_one(".ch-address", Input).value.strip()
        minutes = int(self.query_one(".ch-minutes", Input).value or 0)
        if self.channel is not None and self.channel.arn:
            return ChannelForm(self.channel.type, self.channel.name, self.channel.address, minutes, self.channel.arn,
                               self.row)
        if not name and not address:
            return None
        if not name or not address:
            missing = "name" if not name else "address"
            raise FormError(f"channel-{self.row}-{missing}", f"Channel {self.row} {missing}: needed")
        kind = self.query_one(".ch-type", Select).value
        return ChannelForm(str(kind), name, address, minutes, row=self.row)


SavedContact = tuple[ContactForm, int]
"""The form as saved (arns filled in) and to how many new channels an activation code was sent."""
SaveContact = Callable[[ContactForm], Awaitable[SavedContact]]


class PrepContactEditor(SavingModal[SavedContact]):
    """Saves through ``save`` (``calls.save_contact``) and closes with what it saved."""

    DEFAULT_CSS = """
    PrepContactEditor { align: center middle; }
    PrepContactEditor > Vertical { width: 78; height: 22; border: thick $accent; background: $surface; padding: 0 1; }
    PrepContactEditor .field { height: 3; }
    PrepContactEditor .field Label { width: 14; padding-top: 1; }
    PrepContactEditor .field Input { width: 1fr; }
    PrepContactEditor #channels { height: 1fr; }
    PrepContactEditor .channel-row { height: 3; }
    PrepContactEditor .ch-type { width: 13; }
    PrepContactEditor .ch-name { width: 16; }
    PrepContactEditor .ch-address { width: 1fr; }
    PrepContactEditor .ch-minutes { width: 10; }
    PrepContactEditor #buttons { height: 3; }
    PrepContactEditor #buttons Button { margin-right: 1; }
    """
    FIELD_IDS = {"Alias": "alias", "DisplayName": "display-name", "Tags": "tags"}
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="contact-save", tooltip="Save the contact and send activation codes"),
        Binding("ctrl+n", "add_channel", "Channel", id="contact-add-channel", tooltip="Add a channel row"),
        Binding("escape", "cancel", "Cancel", id="contact-cancel", tooltip="Close without saving"),
    ]

    def __init__(self, save: SaveContact, contact: ContactForm | None = None) -> None:
        super().__init__(save)
        self.contact = contact

    def compose(self) -> ComposeResult:
        c = self.contact
        with Vertical():
            yield Static("[b]Edit contact[/]" if c else "[b]Create contact[/]")
            with Horizontal(classes="field"):
                yield Label("Name")
                yield Input(c.display_name if c else "", placeholder="Alice Liddell", id="display-name")
            with Horizontal(classes="field"):
                yield Label("Alias")
                yield Input(c.alias if c else "", placeholder="alice (unique)", id="alias", disabled=c is not None)
            with Horizontal(classes="field"):
                yield Label("Tags")
                yield Input(tags_text(c.tags) if c else "", placeholder="team=payments, tier=1", id="tags")
            yield Static("Channels: type · name · address · minutes before paging it")
            with FormScroll(id="channels"):
                channels = c.channels if c else []
                for row, channel in enumerate(channels, 1):
                    yield ChannelRow(row, channel)
                yield ChannelRow(len(channels) + 1)
            yield self.error_line()
            with Horizontal(id="buttons"):
                yield Button("Save ^s", variant="primary", id="save")
                yield Button("+ Channel ^n", id="add")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#display-name", Input).focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        await self.run_action({"save": "save", "add": "add_channel"}.get(event.button.id or "", "cancel"))

    async def action_add_channel(self) -> None:
        row = ChannelRow(len(self.query(ChannelRow)) + 1)
        await self.query_one("#channels").mount(row)
        row.query_one(Select).focus()
        row.scroll_visible()

    def action_save(self) -> None:
        alias = self.query_one("#alias", Input).value.strip()
        try:
            if not alias:
                raise FormError("alias", "Alias: a contact needs one")
            channels = [f for f in (row.form() for row in self.query(ChannelRow)) if f is not None]
            try:
                tags = parse_tags(self.query_one("#tags", Input).value)
            except ValueError as error:
                raise FormError("tags", f"Tags: {error}") from None
        except FormError as error:
            self.show_error(error.message, [error.field_id] if error.field_id else [])
            return
        display = self.query_one("#display-name", Input).value.strip()
        self.save_form(ContactForm(alias, display, channels, self.contact.arn if self.contact else None, tags))

