"""Rotations hand off daily, weekly or monthly (issue 8 item 10), and the editor previews the
shifts before saving: exactly what ListPreviewRotationShifts returns for the form's values,
which is what ListRotationShifts returns once they are saved. A real core, the real app."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, Select, SelectionList

from cockpit.schedules.preview_modal import ShiftPreviewModal
from cockpit.schedules.recurrence import HandOff, describe, hand_off_of
from cockpit.schedules.rotation_editor import PrepRotationEditor, RotationForm
from cockpit.schedules.shifts import PREVIEW_DAYS, preview_unsaved, shift_rows
from core import FakeClock, open_core
from core.errors import ServiceError
from tests.conftest import START
from tests.support.contacts import personal_contact
from tests.tui_prep.conftest import press_id, settle
from tests.tui_prep.test_forms_keep_work import error_text, open_form, prepared
from tests.tui_prep.test_prep_snapshots import fixed_codes, snapshot_app  # noqa: F401 (fixture)
from tests.tui_prep.test_shift_preview import MEMBERS, all_shifts

WEEKDAY_KEYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


# ---- the recurrence the form edits ------------------------------------------------------------
def test_each_kind_makes_its_own_settings_and_reads_back_the_same() -> None:
    for hand_off, settings_key, first in (
        (HandOff("daily", 2, at="07:30"), "DailySettings", {"HourOfDay": 7, "MinuteOfHour": 30}),
        (HandOff("weekly", 1, "FRI", at="17:00"), "WeeklySettings",
         {"DayOfWeek": "FRI", "HandOffTime": {"HourOfDay": 17, "MinuteOfHour": 0}}),
        (HandOff("monthly", 3, day_of_month=15, at="09:05"), "MonthlySettings",
         {"DayOfMonth": 15, "HandOffTime": {"HourOfDay": 9, "MinuteOfHour": 5}}),
    ):
        request = hand_off.request()
        assert request == {"NumberOfOnCalls": 1, "RecurrenceMultiplier": hand_off.every, settings_key: [first]}
        back = hand_off_of(request)
        assert back.request() == request
        assert (back.kind, back.every, back.at) == (hand_off.kind, hand_off.every, hand_off.at)
    assert describe(HandOff("daily").request()) == "every day at 09:00"
    assert describe(HandOff("weekly", 2, "TUE", at="08:00").request()) == "every 2 weeks, Tue 08:00"
    assert describe(HandOff("monthly", 1, day_of_month=1).request()) == "every month, day 1 09:00"


def test_what_the_form_does_not_show_is_kept() -> None:
    stored = {"NumberOfOnCalls": 2, "RecurrenceMultiplier": 1,
              "ShiftCoverages": {"MON": [{"Start": {"HourOfDay": 9, "MinuteOfHour": 0},
                                          "End": {"HourOfDay": 17, "MinuteOfHour": 0}}]},
              "WeeklySettings": [{"DayOfWeek": "MON", "HandOffTime": {"HourOfDay": 9, "MinuteOfHour": 0}},
                                 {"DayOfWeek": "THU", "HandOffTime": {"HourOfDay": 9, "MinuteOfHour": 0}}]}
    hand_off = hand_off_of(stored)
    assert hand_off.request() == stored  # unchanged: nothing lost
    assert describe(stored) == "every week, Mon 09:00 +1"
    hand_off.kind = "daily"  # another kind: the weekly hand-offs cannot carry over
    assert hand_off.request()["DailySettings"] == [{"HourOfDay": 9, "MinuteOfHour": 0}]
    assert hand_off.request()["ShiftCoverages"] == stored["ShiftCoverages"]


# ---- the unsaved preview is what saving makes ---------------------------------------------------
hand_offs = st.builds(
    HandOff, kind=st.sampled_from(["daily", "weekly", "monthly"]), every=st.integers(1, 3),
    weekday=st.sampled_from(WEEKDAY_KEYS), day_of_month=st.integers(1, 31),
    at=st.tuples(st.integers(0, 23), st.sampled_from([0, 15, 30])).map(lambda t: f"{t[0]:02d}:{t[1]:02d}"))
case = st.fixed_dictionaries({
    "members": st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=3, unique=True),
    "hand_off": hand_offs,
    "zone": st.sampled_from(["UTC", "Europe/Paris", "America/New_York"]),
    "start_hours": st.integers(-24 * 40, 24 * 5),
    "existing": st.booleans(),
    "overrides": st.lists(st.tuples(st.integers(-12, PREVIEW_DAYS * 24), st.integers(1, 60),
                                    st.sets(st.sampled_from(MEMBERS))), max_size=3),
    "page_size": st.integers(1, 12),
})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=case)
def test_the_unsaved_preview_is_what_list_rotation_shifts_returns_once_saved(tmp_path_factory, case) -> None:
    async def check() -> None:
        clock = FakeClock(START + timedelta(minutes=17))
        async with open_core(Path(tmp_path_factory.mktemp("preview")) / "ws", clock=clock) as core:
            client = core.client()
            await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
            people = {m: (await personal_contact(client, m, [("EMAIL", f"{m}@example.com")]))[0] for m in MEMBERS}
            now = clock.now()
            form = RotationForm("primary", [people[m] for m in case["members"]],
                                now + timedelta(hours=case["start_hours"]), case["zone"], case["hand_off"])
            arn = None
            if case["existing"]:  # an edit: the rotation exists, as it was, with its overrides
                arn = (await client.call("CreateRotation", {
                    "Name": "primary", "ContactIds": [people[MEMBERS[0]]], "StartTime": now - timedelta(days=3),
                    "TimeZoneId": "UTC", "Recurrence": HandOff("daily").request()}))["RotationArn"]
                hour = now.replace(minute=0, second=0, microsecond=0)
                for start, hours, who in case["overrides"]:
                    try:
                        await client.call("CreateRotationOverride", {
                            "RotationId": arn, "NewContactIds": [people[m] for m in sorted(who)],
                            "StartTime": hour + timedelta(hours=start), "EndTime": hour + timedelta(hours=start + hours)})
                    except ServiceError:
                        pass  # one the core refuses is not there
                    await clock.advance(seconds=1)  # overrides made one after another: later ones win
                now = clock.now()
            preview = await preview_unsaved(client.call, arn, form.body(), now, page_size=case["page_size"])
            if arn is None:
                arn = (await client.call("CreateRotation", {"Name": "primary", **form.body()}))["RotationArn"]
            else:
                await client.call("UpdateRotation", {"RotationId": arn, **form.body()})
            saved = await all_shifts(client, arn, now, now + timedelta(days=PREVIEW_DAYS))
            assert preview == saved
            assert saved and saved[0]["StartTime"] <= max(now, form.start)

    asyncio.run(check())


# ---- the editor ---------------------------------------------------------------------------------
async def test_weekly_and_monthly_rotations_are_saved_as_chosen(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "schedules", "rotation-new", PrepRotationEditor)
        assert form.query_one("#kind", Select).value == "weekly"
        assert form.query_one("#weekday").display and not form.query_one("#day").display
        form.query_one("#name", Input).value = "weekend"
        form.query_one("#every", Input).value = "2"
        form.query_one("#weekday", Select).value = "SAT"
        form.query_one("#hand-off", Input).value = "18:00"
        form.query_one("#members", SelectionList).select_all()
        await press_id(pilot, "rotation-save")
        assert app.screen is not form, error_text(form)
        weekend = next(r for r in (await client.call("ListRotations", {}))["Rotations"] if r["Name"] == "weekend")
        assert weekend["Recurrence"]["RecurrenceMultiplier"] == 2
        assert weekend["Recurrence"]["WeeklySettings"] == [
            {"DayOfWeek": "SAT", "HandOffTime": {"HourOfDay": 18, "MinuteOfHour": 0}}]
        assert "every 2 weeks, Sat 18:00" in [str(app.screen.table.get_row(k)[2]) for k in app.screen.table.rows]

        app.screen.table.move_cursor(row=[k.value for k in app.screen.table.rows].index(weekend["RotationArn"]))
        form = await open_form(pilot, "schedules", "rotation-edit", PrepRotationEditor)
        assert (form.query_one("#kind", Select).value, form.query_one("#weekday", Select).value) == ("weekly", "SAT")
        form.query_one("#kind", Select).value = "monthly"
        await settle(pilot)
        assert form.query_one("#day").display and not form.query_one("#weekday").display
        assert str(form.query_one("#on-label").render()) == "on day"
        form.query_one("#day", Input).value = "15"
        await press_id(pilot, "rotation-save")
        assert app.screen is not form, error_text(form)
        got = (await client.call("GetRotation", {"RotationId": weekend["RotationArn"]}))["Recurrence"]
        assert got["MonthlySettings"] == [{"DayOfMonth": 15, "HandOffTime": {"HourOfDay": 18, "MinuteOfHour": 0}}]
        assert "WeeklySettings" not in got

        form = await open_form(pilot, "schedules", "rotation-edit", PrepRotationEditor)
        form.query_one("#kind", Select).value = "daily"
        await settle(pilot)
        assert not any(form.query_one(f"#{w}").display for w in ("on-label", "weekday", "day"))


async def test_the_preview_lists_what_the_api_previews_and_saving_keeps_it(client, clock, make_app):
    await prepared(client, clock)
    arn = (await client.call("ListRotations", {}))["Rotations"][0]["RotationArn"]
    hour = clock.now().replace(minute=0, second=0, microsecond=0)
    nobody = {"StartTime": hour + timedelta(days=2), "EndTime": hour + timedelta(days=2, hours=6)}
    await client.call("CreateRotationOverride", {"RotationId": arn, "NewContactIds": [], **nobody})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "schedules", "rotation-edit", PrepRotationEditor)
        form.query_one("#kind", Select).value = "monthly"
        form.query_one("#day", Input).value = "3"
        form.query_one("#hand-off", Input).value = "10:30"
        for press in ("key", "button"):
            if press == "key":
                await press_id(pilot, "rotation-preview")
            else:
                await pilot.click("#preview")
                await settle(pilot)
            preview = app.screen
            assert isinstance(preview, ShiftPreviewModal), error_text(form)
            now = clock.now()
            body = form.form().body()
            expected = (await client.call("ListPreviewRotationShifts", {
                "Members": body["ContactIds"], "RotationStartTime": body["StartTime"],
                "TimeZoneId": body["TimeZoneId"], "Recurrence": body["Recurrence"],
                "Overrides": [{"NewMembers": [], **nobody}], "StartTime": now, "EndTime": now + timedelta(days=PREVIEW_DAYS)}))["RotationShifts"]
            table = preview.query_one("#preview-shifts")
            shown = [tuple(table.get_row_at(i)) for i in range(table.row_count)]
            assert shown == [cells for _, cells in shift_rows(expected)]
            assert ("nobody", "overridden") in {row[2:] for row in shown}  # the rotation's override applied
            if press == "key":
                await press_id(pilot, "preview-close")
            else:
                await pilot.click("#preview-back")
                await settle(pilot)
            assert app.screen is form  # back to the form, with what was typed
            assert form.query_one("#day", Input).value == "3"
        stored = await client.call("GetRotation", {"RotationId": arn})
        assert "DailySettings" in stored["Recurrence"]  # previewing saved nothing
        await press_id(pilot, "rotation-save")
        shifts = app.screen.query_one("#shifts")
        assert [tuple(shifts.get_row_at(i)) for i in range(shifts.row_count)] == shown


async def test_a_preview_the_core_refuses_is_shown_on_the_field_in_the_forms_words(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "schedules", "rotation-new", PrepRotationEditor)
        form.query_one("#name", Input).value = "ancient"
        form.query_one("#start", Input).value = "1969-12-31 09:00"
        form.query_one("#members", SelectionList).select_all()
        for action in ("rotation-preview", "rotation-save"):
            await press_id(pilot, action)
            assert app.screen is form
            assert error_text(form) == "Starts (UTC): must not be before 1970-01-01", error_text(form)
            assert form.query_one("#start", Input).has_class("-invalid")
            assert form.query_one("#start", Input).value == "1969-12-31 09:00"
            assert form.query_one("#name", Input).value == "ancient"
        assert [r["Name"] for r in (await client.call("ListRotations", {}))["Rotations"]] == ["day"]


async def test_hand_off_numbers_out_of_range_are_refused_on_their_field(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "schedules", "rotation-new", PrepRotationEditor)
        form.query_one("#name", Input).value = "night"
        form.query_one("#members", SelectionList).select_all()
        form.query_one("#every", Input).value = "0"
        await press_id(pilot, "rotation-preview")
        assert error_text(form) == "every: hand off every 1 to 99 weeks"
        assert form.query_one("#every", Input).has_class("-invalid")
        form.query_one("#every", Input).value = "1"
        form.query_one("#kind", Select).value = "monthly"
        form.query_one("#day", Input).value = "32"
        await press_id(pilot, "rotation-save")
        assert app.screen is form
        assert error_text(form) == "on day: a day of the month, 1 to 31"
        assert form.query_one("#day", Input).has_class("-invalid")


async def test_an_edit_keeps_how_many_are_on_call_at_once(client, clock, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    people = [(await personal_contact(client, n, [("EMAIL", f"{n}@example.com")]))[0] for n in ("ana", "ben", "cy")]
    recurrence = {"NumberOfOnCalls": 2, "RecurrenceMultiplier": 1,
                  "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}, {"HourOfDay": 21, "MinuteOfHour": 0}]}
    arn = (await client.call("CreateRotation", {"Name": "pair", "ContactIds": people, "StartTime": clock.now(),
                                                "TimeZoneId": "UTC", "Recurrence": recurrence}))["RotationArn"]
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "schedules", "rotation-edit", PrepRotationEditor)
        members = form.query_one("#members", SelectionList)
        members.deselect(people[1])
        members.deselect(people[2])
        await press_id(pilot, "rotation-save")
        assert app.screen is form
        assert error_text(form) == "Members: 2 are on call at once in this rotation; choose at least 2"
        members.select(people[2])
        form.query_one("#hand-off", Input).value = "08:00"
        await press_id(pilot, "rotation-save")
        assert app.screen is not form, error_text(form)
        got = (await client.call("GetRotation", {"RotationId": arn}))["Recurrence"]
        assert got["NumberOfOnCalls"] == 2
        assert got["DailySettings"] == [{"HourOfDay": 8, "MinuteOfHour": 0}, {"HourOfDay": 21, "MinuteOfHour": 0}]


def test_the_preview_with_a_weekly_rotation_typed_in(snap_compare, tmp_path):
    app, seed = snapshot_app(tmp_path, "schedules")

    async def run_before(pilot) -> None:
        await seed(pilot)
        await press_id(pilot, "rotation-new")
        form = pilot.app.screen
        form.query_one("#name", Input).focus()
        await pilot.press(*"weekend")
        form.query_one("#every", Input).value = ""
        form.query_one("#every", Input).focus()
        await pilot.press("2")
        form.query_one("#weekday", Select).value = "SAT"
        form.query_one("#members", SelectionList).select_all()
        await settle(pilot)
        await press_id(pilot, "rotation-preview")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_the_editor_with_a_monthly_hand_off_typed_in(snap_compare, tmp_path):
    app, seed = snapshot_app(tmp_path, "schedules")

    async def run_before(pilot) -> None:
        await seed(pilot)
        await press_id(pilot, "rotation-new")
        form = pilot.app.screen
        form.query_one("#name", Input).focus()
        await pilot.press(*"month-end")
        form.query_one("#kind", Select).value = "monthly"
        await settle(pilot)
        form.query_one("#day", Input).value = ""
        form.query_one("#day", Input).focus()
        await pilot.press(*"28")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
