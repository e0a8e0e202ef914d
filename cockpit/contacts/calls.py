"""The contacts area's calls to the core, shared by its screen, the other preparation areas and
the wizard: list contacts, load one into its form, save a form."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from cockpit.contacts.forms import ChannelForm, ContactForm, channel_offsets, engagement_plan
from cockpit.shell.screen import all_pages

Call = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any] | None]]


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


async def contact_choices(call: Call, *, escalation_plans: bool = True) -> list[tuple[str, str]] | None:
    """(label, arn) of every contact, for a choice list: people and schedules, and escalation
    plans unless ``escalation_plans`` is False (an escalation stage cannot hold one)."""
    contacts = await list_contacts(call)
    if contacts is None:
        return None
    return [(f"{c['Alias']} ({c['Type'].lower().replace('_', ' ')})", c["ContactArn"])
            for c in contacts if escalation_plans or c["Type"] != "ESCALATION"]


async def people(call: Call) -> list[tuple[str, str]] | None:
    """(alias, arn) of every PERSONAL contact (a rotation's members)."""
    contacts = await list_contacts(call, "PERSONAL")
    return None if contacts is None else [(c["Alias"], c["ContactArn"]) for c in contacts]
