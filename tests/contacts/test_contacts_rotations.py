from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.engine.context import Context
from core.engine.oncall import on_call_contacts
from core.errors import ConflictException, ResourceNotFoundException, ValidationException

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # the fake clock's start, a Monday
DAILY_9 = {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1, "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]}


def names(exc) -> list[str]:
    return [f["name"] for f in exc.fields]


@pytest.fixture
async def team(contacts):
    return [await contacts.personal(a) for a in ("ana", "ben", "cy")]


async def make_rotation(c, members, name="primary", **extra):
    params = {"Name": name, "ContactIds": members, "TimeZoneId": "UTC", "StartTime": START,
              "Recurrence": DAILY_9, **extra}
    return (await c.call("CreateRotation", params))["RotationArn"]


async def resolve(core, contact, at):
    async with core.db.transaction() as tx:
        return await on_call_contacts(Context(core, tx, core.admin), contact, at)


async def test_rotation_crud_and_shifts(contacts, team, core):
    c = contacts.c
    arn = await make_rotation(c, team, Tags=[{"Key": "team", "Value": "payments"}])
    assert arn == f"arn:aws:ssm-contacts:{core.region}:{core.account_id}:rotation/primary"
    got = await c.call("GetRotation", {"RotationId": arn})
    assert got == {"RotationArn": arn, "Name": "primary", "ContactIds": team, "StartTime": START,
                   "TimeZoneId": "UTC", "Recurrence": DAILY_9}
    assert (await c.call("ListTagsForResource", {"ResourceARN": arn}))["Tags"] == [{"Key": "team", "Value": "payments"}]

    shifts = (await c.call("ListRotationShifts", {"RotationId": arn, "EndTime": START + timedelta(days=3)}))["RotationShifts"]
    assert [(s["ContactIds"], s["StartTime"], s["Type"]) for s in shifts] == [
        ([team[0]], START, "REGULAR"),
        ([team[1]], START + timedelta(days=1), "REGULAR"),
        ([team[2]], START + timedelta(days=2), "REGULAR"),
    ]
    page = await c.call("ListRotationShifts", {"RotationId": arn, "EndTime": START + timedelta(days=3), "MaxResults": 2})
    assert len(page["RotationShifts"]) == 2
    rest = await c.call("ListRotationShifts", {"RotationId": arn, "EndTime": START + timedelta(days=3),
                                               "NextToken": page["NextToken"]})
    assert rest["RotationShifts"] == shifts[2:] and "NextToken" not in rest

    await make_rotation(c, team[:1], name="secondary line")
    names_ = [r["Name"] for r in (await c.call("ListRotations", {}))["Rotations"]]
    assert names_ == ["primary", "secondary line"]
    assert [r["Name"] for r in (await c.call("ListRotations", {"RotationNamePrefix": "sec"}))["Rotations"]] == ["secondary line"]
    with pytest.raises(ValidationException) as taken:  # CreateRotation's model has no ConflictException
        await make_rotation(c, team, name="primary")
    assert names(taken.value) == ["Name"]

    await c.call("UpdateRotation", {"RotationId": arn, "ContactIds": list(reversed(team)), "Recurrence": DAILY_9})
    assert (await c.call("GetRotation", {"RotationId": arn}))["ContactIds"] == list(reversed(team))
    await c.call("DeleteRotation", {"RotationId": arn})
    with pytest.raises(ResourceNotFoundException):
        await c.call("GetRotation", {"RotationId": arn})


async def test_empty_rotation_is_rejected(contacts, team):
    c = contacts.c
    with pytest.raises(ValidationException) as info:
        await make_rotation(c, [])
    assert names(info.value) == ["ContactIds"]
    arn = await make_rotation(c, team)
    with pytest.raises(ValidationException) as info:
        await c.call("UpdateRotation", {"RotationId": arn, "ContactIds": [], "Recurrence": DAILY_9})
    assert names(info.value) == ["ContactIds"]
    assert (await c.call("GetRotation", {"RotationId": arn}))["ContactIds"] == team
    assert [r["Name"] for r in (await c.call("ListRotations", {}))["Rotations"]] == ["primary"]


async def test_bad_rotations_name_the_field(contacts, team, core):
    c = contacts.c
    esc = (await c.call("CreateContact", {"Alias": "esc", "Type": "ESCALATION", "Plan": {"Stages": []}}))["ContactArn"]
    ghost = team[0].replace("contact/ana", "contact/ghost")
    cases = [
        ({"ContactIds": [team[0], esc]}, "ContactIds[1]"),
        ({"ContactIds": [ghost]}, "ContactIds[0]"),
        ({"ContactIds": [team[0], team[0]]}, "ContactIds[1]"),
        ({"TimeZoneId": "PST"}, "TimeZoneId"),
        ({"Recurrence": {**DAILY_9, "NumberOfOnCalls": 4}}, "Recurrence.NumberOfOnCalls"),
        ({"Recurrence": {**DAILY_9, "DailySettings": [{"HourOfDay": 24, "MinuteOfHour": 0}]}}, "Recurrence.DailySettings[0].HourOfDay"),
    ]
    for extra, field in cases:
        with pytest.raises(ValidationException) as info:
            await make_rotation(c, team, **extra)
        assert field in names(info.value), (extra, info.value.fields)
    assert (await c.call("ListRotations", {}))["Rotations"] == []


async def test_overrides(contacts, team, clock):
    c = contacts.c
    arn = await make_rotation(c, team)
    lo, hi = START + timedelta(hours=3), START + timedelta(hours=6)
    oid = (await c.call("CreateRotationOverride", {"RotationId": arn, "NewContactIds": [team[2]],
                                                   "StartTime": lo, "EndTime": hi}))["RotationOverrideId"]
    got = await c.call("GetRotationOverride", {"RotationId": arn, "RotationOverrideId": oid})
    assert got == {"RotationOverrideId": oid, "RotationArn": arn, "NewContactIds": [team[2]],
                   "StartTime": lo, "EndTime": hi, "CreateTime": clock.now()}
    listed = await c.call("ListRotationOverrides", {"RotationId": arn, "StartTime": START, "EndTime": START + timedelta(days=1)})
    assert [o["RotationOverrideId"] for o in listed["RotationOverrides"]] == [oid]
    assert (await c.call("ListRotationOverrides", {"RotationId": arn, "StartTime": hi, "EndTime": hi + timedelta(days=1)}))["RotationOverrides"] == []

    shifts = (await c.call("ListRotationShifts", {"RotationId": arn, "StartTime": START,
                                                   "EndTime": START + timedelta(days=1)}))["RotationShifts"]
    assert [(s["ContactIds"], s["StartTime"], s["EndTime"], s["Type"]) for s in shifts] == [
        ([team[0]], START, lo, "REGULAR"),
        ([team[2]], lo, hi, "OVERRIDDEN"),
        ([team[0]], hi, START + timedelta(days=1), "REGULAR"),
    ]
    assert shifts[1]["ShiftDetails"] == {"OverriddenContactIds": [team[0]]}

    for bad, field in [({"StartTime": hi, "EndTime": lo}, "EndTime"),
                       ({"StartTime": START - timedelta(days=2), "EndTime": START - timedelta(days=1)}, "EndTime"),
                       ({"NewContactIds": [team[0].replace("ana", "ghost")]}, "NewContactIds[0]")]:
        params = {"RotationId": arn, "NewContactIds": [team[1]], "StartTime": lo, "EndTime": hi, **bad}
        with pytest.raises(ValidationException) as info:
            await c.call("CreateRotationOverride", params)
        assert names(info.value) == [field]

    await c.call("DeleteRotationOverride", {"RotationId": arn, "RotationOverrideId": oid})
    with pytest.raises(ResourceNotFoundException):
        await c.call("GetRotationOverride", {"RotationId": arn, "RotationOverrideId": oid})
    with pytest.raises(ResourceNotFoundException):
        await c.call("DeleteRotationOverride", {"RotationId": arn, "RotationOverrideId": oid})


async def test_oncall_schedule_resolves_members(contacts, team, core):
    c = contacts.c
    primary = await make_rotation(c, team)
    backup = await make_rotation(c, [team[1], team[2]], name="backup")
    oncall = (await c.call("CreateContact", {"Alias": "payments-oncall", "Type": "ONCALL_SCHEDULE",
                                             "Plan": {"RotationIds": [primary, backup]}}))["ContactArn"]
    assert await resolve(core, oncall, START + timedelta(hours=1)) == [team[0], team[1]]
    assert await resolve(core, oncall, START + timedelta(days=1, hours=1)) == [team[1], team[2]]
    # an override for the primary rotation wins while it lasts; members are not repeated
    await c.call("CreateRotationOverride", {"RotationId": primary, "NewContactIds": [team[1]],
                                            "StartTime": START, "EndTime": START + timedelta(hours=2)})
    assert await resolve(core, oncall, START + timedelta(hours=1)) == [team[1]]
    assert await resolve(core, oncall, START + timedelta(hours=3)) == [team[0], team[1]]
    assert await resolve(core, oncall, START - timedelta(hours=1)) == []
    assert await resolve(core, team[0], START) == [team[0]]

    with pytest.raises(ConflictException) as info:
        await c.call("DeleteRotation", {"RotationId": backup})
    assert info.value.dependent_entities == [{"RelationType": "ONCALL_SCHEDULE", "DependentResourceIds": [oncall]}]
    assert (await c.call("GetRotation", {"RotationId": backup}))["Name"] == "backup"
    await c.call("UpdateContact", {"ContactId": oncall, "Plan": {"RotationIds": [primary]}})
    await c.call("DeleteRotation", {"RotationId": backup})


async def test_preview_shifts(contacts, core):
    c = contacts.c
    out = await c.call("ListPreviewRotationShifts", {
        "RotationStartTime": START, "StartTime": START, "EndTime": START + timedelta(days=14, hours=-1),
        "Members": ["ana", "ben"], "TimeZoneId": "Europe/Berlin",
        "Recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1,
                       "WeeklySettings": [{"DayOfWeek": "MON", "HandOffTime": {"HourOfDay": 9, "MinuteOfHour": 0}}]},
        "Overrides": [{"NewMembers": ["cy"], "StartTime": START + timedelta(days=1), "EndTime": START + timedelta(days=2)}],
    })
    # members that are not ARNs are aliases: the shifts carry their contact ARNs, as the model requires
    ana, ben, cy = (f"arn:aws:ssm-contacts:{core.region}:{core.account_id}:contact/{a}" for a in ("ana", "ben", "cy"))
    assert [(s["ContactIds"], s["Type"]) for s in out["RotationShifts"]] == [
        ([ana], "REGULAR"), ([cy], "OVERRIDDEN"), ([ana], "REGULAR"), ([ben], "REGULAR")]
    # the hand-off is 09:00 in Berlin (08:00 UTC in March, before DST starts)
    assert out["RotationShifts"][3]["StartTime"] == datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    with pytest.raises(ValidationException) as info:
        await c.call("ListPreviewRotationShifts", {"EndTime": START + timedelta(days=1), "Members": ["a", "b"],
                                                   "TimeZoneId": "UTC", "Recurrence": {**DAILY_9, "NumberOfOnCalls": 3}})
    assert names(info.value) == ["Recurrence.NumberOfOnCalls"]
    with pytest.raises(ValidationException) as info:
        await c.call("ListPreviewRotationShifts", {"EndTime": START + timedelta(days=500), "Members": ["a"],
                                                   "TimeZoneId": "UTC", "Recurrence": DAILY_9})
    assert names(info.value) == ["EndTime"]
    with pytest.raises(ValidationException) as info:
        await c.call("ListPreviewRotationShifts", {"EndTime": START, "Members": [], "TimeZoneId": "UTC", "Recurrence": DAILY_9})
    assert names(info.value) == ["Members"]


async def test_unknown_rotation_is_not_found(contacts, core):
    missing = f"arn:aws:ssm-contacts:{core.region}:{core.account_id}:rotation/none"
    for op, extra in [("GetRotation", {}), ("DeleteRotation", {}), ("UpdateRotation", {"Recurrence": DAILY_9}),
                      ("ListRotationShifts", {"EndTime": START}),
                      ("ListRotationOverrides", {"StartTime": START, "EndTime": START}),
                      ("CreateRotationOverride", {"NewContactIds": [], "StartTime": START, "EndTime": START + timedelta(hours=1)})]:
        with pytest.raises(ResourceNotFoundException):
            await contacts.c.call(op, {"RotationId": missing, **extra})
