"""The shift preview lists exactly what ListRotationShifts returns (issue 8 item 6): the shift
under way, shifts that start at an override's boundary, every page of them. A property test
over rotations and overrides on a real core, and the screen's table itself."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.schedules.shifts import PREVIEW_DAYS, preview_shifts, shift_rows, when
from core import FakeClock, open_core
from core.errors import ServiceError
from tests.conftest import START
from tests.support.contacts import personal_contact
from tests.tui_prep.conftest import press_id, settle
from widgets.formatting import alias_of

MEMBERS = ("alice", "bob", "carol")

override = st.tuples(st.integers(-24, PREVIEW_DAYS * 24), st.integers(1, 48), st.sets(st.sampled_from(MEMBERS)))
rotation = st.fixed_dictionaries({
    "members": st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=3, unique=True),
    "every": st.integers(1, 3),
    "hour": st.integers(0, 23),
    "started_hours_ago": st.integers(0, 24 * 6),
    "overrides": st.lists(override, max_size=4),
    "page_size": st.integers(1, 10),
})


async def all_shifts(client, arn: str, lo, hi) -> list[dict]:
    """ListRotationShifts, every page, as the API returns it (the reference)."""
    out, params = [], {"RotationId": arn, "StartTime": lo, "EndTime": hi}
    while True:
        page = await client.call("ListRotationShifts", params)
        out += page["RotationShifts"]
        if not page.get("NextToken"):
            return out
        params["NextToken"] = page["NextToken"]


async def make_rotation(client, clock, case: dict) -> str:
    people = {}
    for alias in MEMBERS:
        people[alias], _ = await personal_contact(client, alias, [("EMAIL", f"{alias}@example.com")])
    now = clock.now()
    arn = (await client.call("CreateRotation", {
        "Name": "primary", "ContactIds": [people[m] for m in case["members"]],
        "StartTime": now - timedelta(hours=case["started_hours_ago"]), "TimeZoneId": "UTC",
        "Recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": case["every"],
                       "DailySettings": [{"HourOfDay": case["hour"], "MinuteOfHour": 0}]}}))["RotationArn"]
    hour = now.replace(minute=0, second=0, microsecond=0)
    for start, hours, who in case["overrides"]:
        try:
            await client.call("CreateRotationOverride", {
                "RotationId": arn, "NewContactIds": [people[m] for m in sorted(who)],
                "StartTime": hour + timedelta(hours=start), "EndTime": hour + timedelta(hours=start + hours)})
        except ServiceError:
            pass  # an override the core refuses (overlapping...) is simply not there
    return arn


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=rotation)
def test_the_preview_lists_exactly_the_shifts_the_api_returns(tmp_path_factory, case) -> None:
    async def check() -> None:
        clock = FakeClock(START + timedelta(minutes=17))
        data_dir = Path(tmp_path_factory.mktemp("shifts")) / "workspace"
        async with open_core(data_dir, clock=clock) as core:
            client = core.client()
            await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
            arn = await make_rotation(client, clock, case)
            now = clock.now()
            expected = await all_shifts(client, arn, now, now + timedelta(days=PREVIEW_DAYS))
            shown = shift_rows(await preview_shifts(client.call, arn, now, page_size=case["page_size"]))
            assert len({key for key, _ in shown}) == len(shown)  # no two rows share a key
            assert [cells for _, cells in shown] == [
                (when(s["StartTime"]), when(s["EndTime"]),
                 ", ".join(alias_of(c) for c in s.get("ContactIds", [])) or "nobody", s["Type"].lower())
                for s in expected]
            assert expected and expected[0]["StartTime"] <= now  # the shift under way is there

    asyncio.run(check())


async def test_the_table_keeps_every_shift_in_order_as_overrides_and_time_change_it(client, clock, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    case = {"members": ["alice", "bob"], "every": 1, "hour": 9, "started_hours_ago": 30,
            "overrides": [(48, 5, {"alice"})], "page_size": 100}
    arn = await make_rotation(client, clock, case)
    app = make_app(client)
    async with app.run_test(size=(100, 30)) as pilot:
        app.switch_mode("schedules")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#shifts")

        async def matches_the_api() -> None:
            now = clock.now()
            expected = await all_shifts(client, arn, now, now + timedelta(days=PREVIEW_DAYS))
            shown = [tuple(table.get_row_at(i)) for i in range(table.row_count)]
            assert shown == [cells for _, cells in shift_rows(expected)]

        await matches_the_api()
        carol = next(c["ContactArn"] for c in (await client.call("ListContacts", {}))["Contacts"] if c["Alias"] == "carol")
        hour = clock.now().replace(minute=0, second=0, microsecond=0)
        await client.call("CreateRotationOverride", {  # splits the shift under way and tomorrow's
            "RotationId": arn, "NewContactIds": [carol],
            "StartTime": hour + timedelta(hours=1), "EndTime": hour + timedelta(hours=26)})
        await settle(pilot)  # the screen reloads on the RotationChanged event
        await matches_the_api()
        await clock.advance(hours=2)  # the shift under way now starts later in the window
        screen.load_shifts(screen.selected)
        await settle(pilot)
        await matches_the_api()
        await press_id(pilot, "rotation-edit")
        await press_id(pilot, "rotation-save")  # saved again: still every shift, in order
        await matches_the_api()
