"""The rotation editor's hand-off reads as a sentence with its number: "every 1 week",
"every 2 weeks", "every 1 day" (it said "every 1 days"); changing the number keeps the kind."""

from __future__ import annotations

from textual.widgets import Input, Select

from cockpit.schedules.recurrence import describe, kinds
from cockpit.schedules.rotation_editor import PrepRotationEditor
from tests.tui_prep.conftest import settle
from tests.tui_prep.test_forms_keep_work import open_form, prepared


def test_the_units_are_singular_for_one_and_plural_otherwise() -> None:
    assert kinds(1) == (("day", "daily"), ("week", "weekly"), ("month", "monthly"))
    assert [unit for unit, _ in kinds(2)] == ["days", "weeks", "months"]
    assert describe({"RecurrenceMultiplier": 1, "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]}) == \
        "every day at 09:00"
    assert describe({"RecurrenceMultiplier": 3, "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]}) == \
        "every 3 days at 09:00"


def shown(choice: Select) -> str:
    return str(choice.query_one("SelectCurrent #label").render())


async def test_the_unit_follows_the_number_typed(client, clock, make_app) -> None:
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "schedules", "rotation-new", PrepRotationEditor)
        kind, every = form.query_one("#kind", Select), form.query_one("#every", Input)
        assert (every.value, kind.value) == ("1", "weekly")
        assert shown(kind) == "week"

        every.value = "2"
        await settle(pilot)
        assert (shown(kind), kind.value) == ("weeks", "weekly")

        kind.value = "daily"
        every.value = "1"
        await settle(pilot)
        assert (shown(kind), kind.value) == ("day", "daily")
        every.value = "12"
        await settle(pilot)
        assert (shown(kind), kind.value) == ("days", "daily")
