"""ONCALL_SCHEDULE contacts page whoever the rotation has on call at that moment, overrides
included."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import START
from tests.support.contacts import escalation_plan, personal_contact, sent_pages


async def _schedule(client, members: list[str]) -> tuple[str, str]:
    # daily hand-off at 09:00 UTC, starting today (START is 09:00): members[0] today, members[1] tomorrow
    rotation = (await client.call("CreateRotation", {
        "Name": "primary", "ContactIds": members, "TimeZoneId": "UTC", "StartTime": START,
        "Recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1,
                       "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]}}))["RotationArn"]
    schedule = (await client.call("CreateContact", {"Alias": "primary-oncall", "Type": "ONCALL_SCHEDULE",
                                                    "Plan": {"Stages": [], "RotationIds": [rotation]}}))["ContactArn"]
    return rotation, schedule


async def _page_incident(client, contact: str, name: str) -> None:
    plan = await client.call("CreateResponsePlan", {"name": name, "engagements": [contact],
                                                     "incidentTemplate": {"title": name, "impact": 2}})
    await client.call("StartIncident", {"responsePlanArn": plan["arn"]})


async def test_escalation_through_a_schedule_pages_who_is_on_call_then(ready, clock):
    client, _ = ready
    ana, _ = await personal_contact(client, "ana", [("EMAIL", "ana@example.com")])
    ben, _ = await personal_contact(client, "ben", [("EMAIL", "ben@example.com")])
    cho, _ = await personal_contact(client, "cho", [("EMAIL", "cho@example.com")])
    rotation, schedule = await _schedule(client, [ana, ben])
    shifts = (await client.call("ListRotationShifts", {"RotationId": rotation, "StartTime": START,
                                                        "EndTime": START + timedelta(days=2)}))["RotationShifts"]
    assert [s["ContactIds"] for s in shifts][:2] == [[ana], [ben]]
    esc = await escalation_plan(client, "via-schedule", [(5, [(schedule, True)])])

    await clock.advance(hours=1)  # 10:00 day 1: ana's shift
    await _page_incident(client, esc, "day-one")
    await clock.advance(seconds=1)
    assert [p["contactArn"] for p in await sent_pages(client)] == [ana]

    await clock.advance(days=1)  # 10:00 day 2: ben's shift
    await _page_incident(client, esc, "day-two")
    await clock.advance(seconds=1)
    assert [p["contactArn"] for p in await sent_pages(client)] == [ana, ben]

    # an override puts cho on call for the next hour
    now = clock.now()
    await client.call("CreateRotationOverride", {"RotationId": rotation, "NewContactIds": [cho],
                                                 "StartTime": now, "EndTime": now + timedelta(hours=1)})
    await _page_incident(client, schedule, "override")  # the schedule engaged directly
    await clock.advance(seconds=1)
    assert [p["contactArn"] for p in await sent_pages(client)] == [ana, ben, cho]

    await clock.advance(hours=1)  # the override is over: ben again
    await _page_incident(client, schedule, "after-override")
    await clock.advance(seconds=1)
    assert [p["contactArn"] for p in await sent_pages(client)] == [ana, ben, cho, ben]

    resolutions = (await client.call("ListPageResolutions", {"PageId": (await client.call(
        "ListPagesByContact", {"ContactId": ana}))["Pages"][0]["PageArn"]}))["PageResolutions"]
    assert [r["Type"] for r in resolutions] == ["ESCALATION", "ONCALL_SCHEDULE", "PERSONAL"]
