"""Demo preparation data, made through the Client like a person would: four people with
activated channels, two escalation plans, a rotation with an override and its on-call schedule,
and the users who call the core from outside (each person linked to their contact, a deploy
bot, a disabled reader).
``cockpit demo`` puts ``DemoContacts.plans`` into its response plans' engagements (``PLAN_ENGAGES``),
so each incident pages the on-call person, and ``acknowledge_one`` acknowledges as they would:
engagements exist in every state (waiting, paged, acknowledged)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from core.client.base import Client

PEOPLE = [("ana", "Ana Ortiz", "EMAIL", "ana@example.com"), ("ben", "Ben Okafor", "SMS", "+15550101"),
          ("chen", "Chen Wei", "EMAIL", "chen@example.com"), ("dara", "Dara Singh", "VOICE", "+15550104")]
CODE = re.compile(r"\b(\d{6})\b")
USERS = [("ana", "admin", "ana", True), ("ben", "responder", "ben", True), ("chen", "responder", "chen", True),
         ("dara", "readonly", "dara", False), ("deploy-bot", "responder", None, True),
         ("grafana-reader", "readonly", None, True)]
"""(user name, role, linked contact alias, with an access key); the last one is disabled."""


@dataclass
class DemoContacts:
    people: dict[str, str] = field(default_factory=dict)
    """alias -> contact arn"""
    plans: dict[str, str] = field(default_factory=dict)
    """escalation plan alias -> arn (response plans engage these)"""
    schedule: str = ""
    rotation: str = ""


async def _code(client: Client, channel_arn: str, kind: str = "activation") -> str:
    messages = (await client.call("ListOutboxMessages", {"contactChannelArn": channel_arn}))["messages"]
    body = next(m["body"] for m in messages if m["kind"] == kind)
    found = CODE.search(body)
    if found is None:
        raise RuntimeError(f"no code in the {kind} message for {channel_arn}")
    return found.group(1)


async def seed_contacts(client: Client, now: Any, override_at: Any = None) -> DemoContacts:
    """The people, the rotation (from ``now``, with Dara's override for a day from
    ``override_at``, default two days on) and the escalation plans."""
    demo = DemoContacts()
    for alias, name, kind, address in PEOPLE:
        contact = (await client.call("CreateContact", {"Alias": alias, "DisplayName": name, "Type": "PERSONAL",
                                                       "Plan": {"Stages": []}}))["ContactArn"]
        channel = (await client.call("CreateContactChannel", {
            "ContactId": contact, "Name": kind.lower(), "Type": kind,
            "DeliveryAddress": {"SimpleAddress": address}}))["ContactChannelArn"]
        await client.call("ActivateContactChannel", {"ContactChannelId": channel,
                                                     "ActivationCode": await _code(client, channel)})
        await client.call("UpdateContact", {"ContactId": contact, "Plan": {"Stages": [
            {"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": channel}}]}]}})
        demo.people[alias] = contact
    p = demo.people
    rotation = (await client.call("CreateRotation", {
        "Name": "primary-rotation", "ContactIds": [p["ana"], p["ben"], p["chen"]], "StartTime": now,
        "TimeZoneId": "UTC", "Recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1,
                                            "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]}}))["RotationArn"]
    override = override_at or now + timedelta(days=2)
    await client.call("CreateRotationOverride", {"RotationId": rotation, "NewContactIds": [p["dara"]],
                                                 "StartTime": override, "EndTime": override + timedelta(days=1)})
    demo.rotation = rotation
    demo.schedule = (await client.call("CreateContact", {
        "Alias": "primary-oncall", "DisplayName": "Primary on-call", "Type": "ONCALL_SCHEDULE",
        "Plan": {"Stages": [], "RotationIds": [rotation]}}))["ContactArn"]

    def stage(minutes: int, *contacts: str, essential: bool = True) -> dict[str, Any]:
        return {"DurationInMinutes": minutes, "Targets": [
            {"ContactTargetInfo": {"ContactId": c, "IsEssential": essential}} for c in contacts]}

    for alias, stages in (
        ("api-escalation", [stage(5, demo.schedule), stage(10, p["dara"], essential=False)]),
        ("db-escalation", [stage(10, p["chen"]), stage(15, p["ana"], p["ben"], essential=False)]),
    ):
        demo.plans[alias] = (await client.call("CreateContact", {
            "Alias": alias, "DisplayName": alias, "Type": "ESCALATION", "Plan": {"Stages": stages}}))["ContactArn"]
    await seed_users(client, demo.people)
    return demo


async def seed_users(client: Client, people: dict[str, str]) -> None:
    """The users (the secrets of their keys are not kept: nobody attaches to the demo)."""
    for name, role, contact, with_key in USERS:
        await client.call("CreateUser", {"userName": name, "role": role, "withAccessKey": with_key,
                                         **({"contactArn": people[contact]} if contact else {})})
    await client.call("UpdateUser", {"userName": USERS[-1][0], "enabled": False})


async def acknowledge_one(client: Client, incident_arn: str) -> str | None:
    """Acknowledge the first paged engagement of an incident with its accept code, as the paged
    person would; returns who acknowledged."""
    engagements = (await client.call("ListIncidentEngagements", {"incidentRecordArn": incident_arn}))["engagements"]
    paged = next((e for e in engagements if e["state"] == "paged" and e.get("pageArn")), None)
    if paged is None:
        return None
    messages = (await client.call("ListOutboxMessages", {"engagementArn": paged["engagementArn"]}))["messages"]
    body = next((m["body"] for m in messages if m.get("pageArn") == paged["pageArn"]), None)
    found = CODE.search(body.split("Accept code:", 1)[-1]) if body else None
    if found is None:
        return None
    await client.call("AcceptPage", {"PageId": paged["pageArn"], "AcceptType": "READ",
                                     "AcceptCode": found.group(1), "AcceptCodeValidation": "ENFORCE"})
    return paged["contactName"]


PLAN_ENGAGES = {"api-outage": "api-escalation", "database-degraded": "db-escalation", "payments-down": "api-escalation"}
