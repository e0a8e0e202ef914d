"""The contacts area's calls to the core, shared by its screen, the other preparation areas and
the wizard: list contacts, load one into its form, save a form."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

from cockpit.contacts.forms import ChannelForm, ContactForm, channel_offsets, engagement_plan
from cockpit.shell.modal import FormError
from cockpit.shell.screen import all_pages
from cockpit.shell.tags import tag_changes
from core.errors import ConflictException, ServiceError

Call = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any] | None]]
"""A screen's call: a refused call is flashed and gives None."""
RaisingCall = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]
"""The client's own call: a refused call raises ServiceError (a dialog shows it on its field)."""


async def list_contacts(call: Call, type_: str | None = None) -> list[dict[str, Any]] | None:
    """Every contact (bounded to 10 pages), optionally of one type."""
    params: dict[str, Any] = {"MaxResults": 100} | ({"Type": type_} if type_ else {})
    return await all_pages(call, "ListContacts", params, "Contacts")


CHANNEL_FIELDS = {"DeliveryAddress.SimpleAddress": "address", "Name": "name", "Type": "type"}
"""The core's member of a channel -> the column of the channel row that edits it."""


async def save_contact(call: RaisingCall, form: ContactForm) -> tuple[ContactForm, int]:
    """Create or update the contact, add its new channels and write its engagement plan; then
    ask the core to send each new channel its activation code. Returns the form, its arns
    filled in, and to how many channels a code was sent.

    All or nothing: if the core refuses a channel or the plan, what this save created is deleted
    again before the error goes back to the form (a channel's error as FormError, naming the
    row as the form does), so no contact is left without the channels it was saved with. The
    channels are created with their activation deferred, so a save that fails sends nobody a
    message: codes go out only once everything is saved."""
    created: list[tuple[str, dict[str, Any]]] = []  # how to undo each step, newest last
    editing = form.arn is not None
    try:
        arn = form.arn
        if arn is None:
            made = await call("CreateContact", {"Alias": form.alias, "DisplayName": form.display_name or form.alias,
                                                "Type": "PERSONAL", "Plan": {"Stages": []},
                                                **({"Tags": _tag_list(form.tags)} if form.tags else {})})
            arn = made["ContactArn"]
            created.append(("DeleteContact", {"ContactId": arn}))
        offsets: dict[str, int] = {}
        added: dict[int, str] = {}  # index in form.channels -> the new channel's arn
        for index, channel in enumerate(form.channels):
            channel_arn = channel.arn
            if channel_arn is None:
                channel_arn = await _create_channel(call, arn, channel.row or index + 1, channel)
                added[index] = channel_arn
                if editing:  # a new contact's channels go with it
                    created.append(("DeleteContactChannel", {"ContactChannelId": channel_arn}))
            offsets[channel_arn] = channel.minutes
        update: dict[str, Any] = {"ContactId": arn, "Plan": engagement_plan(offsets)}
        if editing:
            update["DisplayName"] = form.display_name or form.alias
        await call("UpdateContact", update)
        if editing:
            await _save_tags(call, arn, form.tags)
    except (ServiceError, FormError):
        for operation, params in reversed(created):
            with suppress(ServiceError):
                await call(operation, params)
        raise
    sent = 0
    for index, channel_arn in added.items():
        form.channels[index].arn = channel_arn
        with suppress(ServiceError):  # saved all the same: the channel shows "not activated", s sends a code
            await call("SendActivationCode", {"ContactChannelId": channel_arn})
            sent += 1
    form.arn = arn
    return form, sent


async def _create_channel(call: RaisingCall, contact_arn: str, row: int, channel: ChannelForm) -> str:
    try:
        made = await call("CreateContactChannel", {
            "ContactId": contact_arn, "Name": channel.name, "Type": channel.type,
            "DeliveryAddress": {"SimpleAddress": channel.address}, "DeferActivation": True})
    except ServiceError as error:
        for f in getattr(error, "fields", None) or []:
            column = CHANNEL_FIELDS.get(f.get("name", ""))
            if column:
                raise FormError(f"channel-{row}-{column}", f"Channel {row} {column}: {f['message']}") from error
        column = "name" if isinstance(error, ConflictException) else "address"  # a name the contact has already
        raise FormError(f"channel-{row}-{column}", f"Channel {row} {column}: {error.message}") from error
    return made["ContactChannelArn"]


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


async def _save_tags(call: RaisingCall, arn: str, tags: dict[str, str]) -> None:
    """Bring the contact's tags to ``tags`` (UpdateContact does not take tags)."""
    listed = (await call("ListTagsForResource", {"ResourceARN": arn}))["Tags"]
    to_set, to_remove = tag_changes({t["Key"]: t["Value"] for t in listed}, tags)
    if to_set:
        await call("TagResource", {"ResourceARN": arn, "Tags": _tag_list(to_set)})
    if to_remove:
        await call("UntagResource", {"ResourceARN": arn, "TagKeys": to_remove})


async def rotation_choices(call: Call) -> list[tuple[str, str]] | None:
    """(name, arn) of every rotation, for an on-call schedule's choice of rotations."""
    rotations = await all_pages(call, "ListRotations", {"MaxResults": 100}, "Rotations")
    return None if rotations is None else [(r["Name"], r["RotationArn"]) for r in rotations]


async def save_schedule_contact(call: RaisingCall, arn: str,
                                values: tuple[str, list[str], dict[str, str]]) -> str:
    """Write an on-call schedule contact's name, rotations and tags (ScheduleContactEditor's
    values); its arn."""
    name, rotations, tags = values
    await call("UpdateContact", {"ContactId": arn, "DisplayName": name,
                                 "Plan": {"Stages": [], "RotationIds": rotations}})
    await _save_tags(call, arn, tags)
    return arn


async def load_contact_form(call: Call, arn: str) -> ContactForm | None:
    contact = await call("GetContact", {"ContactId": arn})
    channels = await call("ListContactChannels", {"ContactId": arn})
    tags = await call("ListTagsForResource", {"ResourceARN": arn})
    if contact is None or channels is None or tags is None:
        return None
    offsets = channel_offsets(contact.get("Plan"))
    return ContactForm(contact["Alias"], contact.get("DisplayName") or "", [
        ChannelForm(c["Type"], c["Name"], c["DeliveryAddress"]["SimpleAddress"],
                    offsets.get(c["ContactChannelArn"], 0), c["ContactChannelArn"])
        for c in channels.get("ContactChannels", [])], arn, {t["Key"]: t["Value"] for t in tags["Tags"]})


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
