"""Rotation shift computation: explicit examples (DST, month ends, coverage, overrides, validation)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.engine.rotation import (
    compute_shifts,
    members_for_step,
    next_change,
    on_call_at,
    validate_overrides,
    validate_rotation,
)
from core.errors import ValidationException

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
A, B, C, D, E = (f"arn:aws:ssm-contacts:us-east-1:111122223333:contact/{n}" for n in "abcde")
FIVE = [A, B, C, D, E]


def at(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)


def hm(hour: int, minute: int = 0) -> dict[str, int]:
    return {"HourOfDay": hour, "MinuteOfHour": minute}


def daily(*times: tuple[int, int], k: int = 1, every: int = 1, **extra) -> dict:
    return {
        "NumberOfOnCalls": k,
        "RecurrenceMultiplier": every,
        "DailySettings": [hm(h, m) for h, m in times],
        **extra,
    }


def weekly(day: str, hour: int, minute: int = 0, *, k: int = 1, every: int = 1, **extra) -> dict:
    return {
        "NumberOfOnCalls": k,
        "RecurrenceMultiplier": every,
        "WeeklySettings": [{"DayOfWeek": day, "HandOffTime": hm(hour, minute)}],
        **extra,
    }


def monthly(dom: int, hour: int, *, k: int = 1, every: int = 1) -> dict:
    return {
        "NumberOfOnCalls": k,
        "RecurrenceMultiplier": every,
        "MonthlySettings": [{"DayOfMonth": dom, "HandOffTime": hm(hour)}],
    }


def shifts(rec, start, ws, we, *, zone="America/New_York", members=FIVE, overrides=()):
    return compute_shifts(
        members=members,
        start_time=start,
        time_zone_id=zone,
        recurrence=rec,
        window_start=ws,
        window_end=we,
        overrides=overrides,
    )


def local_starts(result, zone):
    return [s["StartTime"].astimezone(zone).replace(tzinfo=None) for s in result]


def names(result):
    return ["".join(c.rsplit("/", 1)[1] for c in s["ContactIds"]) for s in result]


# --- DST -------------------------------------------------------------------------------------


def test_daily_handoff_stays_local_across_new_york_spring_forward():
    start = at(NY, 2024, 3, 8, 9)
    out = shifts(daily((9, 0)), start, start, at(NY, 2024, 3, 12, 9))
    assert local_starts(out, NY) == [datetime(2024, 3, d, 9) for d in (8, 9, 10, 11)]
    assert [s["StartTime"].hour for s in out] == [14, 14, 13, 13]  # EST then EDT, in UTC
    assert [s["EndTime"] - s["StartTime"] for s in out] == [
        timedelta(hours=24),
        timedelta(hours=23),
        timedelta(hours=24),
        timedelta(hours=24),
    ]
    assert names(out) == ["a", "b", "c", "d"]


def test_weekly_monday_0900_new_york_across_march_and_november():
    start = at(NY, 2024, 3, 4, 9)
    out = shifts(weekly("MON", 9), start, start, at(NY, 2024, 3, 25, 9))
    assert local_starts(out, NY) == [datetime(2024, 3, d, 9) for d in (4, 11, 18)]
    assert [s["StartTime"] for s in out] == [
        datetime(2024, 3, 4, 14, tzinfo=UTC),
        datetime(2024, 3, 11, 13, tzinfo=UTC),
        datetime(2024, 3, 18, 13, tzinfo=UTC),
    ]
    assert out[0]["EndTime"] - out[0]["StartTime"] == timedelta(days=7, hours=-1)
    nov = shifts(weekly("MON", 9), start, at(NY, 2024, 10, 28, 9), at(NY, 2024, 11, 11, 9))
    assert local_starts(nov, NY) == [datetime(2024, 10, 28, 9), datetime(2024, 11, 4, 9)]
    assert nov[0]["EndTime"] - nov[0]["StartTime"] == timedelta(days=7, hours=1)
    assert [s["StartTime"].hour for s in nov] == [13, 14]


def test_weekly_monday_0900_berlin_across_march_and_october():
    start = at(BERLIN, 2024, 3, 25, 9)
    out = shifts(weekly("MON", 9), start, start, at(BERLIN, 2024, 4, 8, 9), zone="Europe/Berlin")
    assert local_starts(out, BERLIN) == [datetime(2024, 3, 25, 9), datetime(2024, 4, 1, 9)]
    assert [s["StartTime"] for s in out] == [
        datetime(2024, 3, 25, 8, tzinfo=UTC),
        datetime(2024, 4, 1, 7, tzinfo=UTC),
    ]
    octo = shifts(
        weekly("MON", 9),
        start,
        at(BERLIN, 2024, 10, 21, 9),
        at(BERLIN, 2024, 11, 4, 9),
        zone="Europe/Berlin",
    )
    assert local_starts(octo, BERLIN) == [datetime(2024, 10, 21, 9), datetime(2024, 10, 28, 9)]
    assert [s["StartTime"].hour for s in octo] == [7, 8]
    assert octo[0]["EndTime"] - octo[0]["StartTime"] == timedelta(days=7, hours=1)


def test_handoff_in_spring_forward_gap_moves_forward_by_the_gap():
    start = at(NY, 2024, 3, 8, 12)
    out = shifts(daily((2, 30)), start, at(NY, 2024, 3, 9, 12), at(NY, 2024, 3, 11, 12))
    # 02:30 does not exist on 10 March: that hand-off is at 03:30 EDT (07:30 UTC)
    assert [s["StartTime"] for s in out][1:] == [
        datetime(2024, 3, 10, 7, 30, tzinfo=UTC),
        datetime(2024, 3, 11, 6, 30, tzinfo=UTC),
    ]
    assert out[1]["StartTime"].astimezone(NY).replace(tzinfo=None) == datetime(2024, 3, 10, 3, 30)


def test_ambiguous_fall_back_handoff_is_the_first_occurrence():
    start = at(NY, 2024, 11, 1, 12)
    out = shifts(daily((1, 30)), start, at(NY, 2024, 11, 2, 12), at(NY, 2024, 11, 4, 12))
    assert out[1]["StartTime"] == datetime(2024, 11, 3, 5, 30, tzinfo=UTC)  # 01:30 EDT
    assert out[1]["StartTime"].astimezone(NY).utcoffset() == timedelta(hours=-4)
    assert out[2]["StartTime"] == datetime(2024, 11, 4, 6, 30, tzinfo=UTC)  # 01:30 EST
    assert out[1]["EndTime"] - out[1]["StartTime"] == timedelta(hours=25)


def test_berlin_gap_and_fold_rules():
    start = at(BERLIN, 2024, 3, 1)
    gap = shifts(
        daily((2, 15)),
        start,
        at(BERLIN, 2024, 3, 31),
        at(BERLIN, 2024, 3, 31, 12),
        zone="Europe/Berlin",
    )
    assert gap[1]["StartTime"] == datetime(2024, 3, 31, 1, 15, tzinfo=UTC)  # 03:15 CEST
    fold = shifts(
        daily((2, 15)),
        start,
        at(BERLIN, 2024, 10, 27),
        at(BERLIN, 2024, 10, 27, 12),
        zone="Europe/Berlin",
    )
    assert fold[1]["StartTime"] == datetime(2024, 10, 27, 0, 15, tzinfo=UTC)  # 02:15 CEST


# --- recurrence shapes ----------------------------------------------------------------------


def test_monthly_on_the_31st_falls_on_the_last_day_of_short_months():
    start = at(NY, 2024, 1, 31, 9)
    out = shifts(monthly(31, 9), start, start, at(NY, 2024, 7, 1))
    assert local_starts(out, NY) == [
        datetime(2024, 1, 31, 9),
        datetime(2024, 2, 29, 9),
        datetime(2024, 3, 31, 9),
        datetime(2024, 4, 30, 9),
        datetime(2024, 5, 31, 9),
        datetime(2024, 6, 30, 9),
    ]
    assert names(out) == ["a", "b", "c", "d", "e", "a"]
    feb = shifts(monthly(30, 9), at(NY, 2023, 1, 30, 9), at(NY, 2023, 2, 1), at(NY, 2023, 3, 31))
    assert local_starts(feb, NY)[1:] == [datetime(2023, 2, 28, 9), datetime(2023, 3, 30, 9)]


def test_monthly_every_second_month():
    start = at(NY, 2024, 1, 15, 9)
    out = shifts(monthly(15, 9, every=2), start, start, at(NY, 2024, 8, 1))
    assert local_starts(out, NY) == [datetime(2024, m, 15, 9) for m in (1, 3, 5, 7)]


def test_start_between_handoffs_first_member_serves_until_next_handoff():
    start = at(NY, 2024, 5, 8, 15)  # a Wednesday
    out = shifts(weekly("MON", 9), start, start, at(NY, 2024, 5, 21))
    assert out[0]["StartTime"] == start.astimezone(UTC)
    assert local_starts(out, NY)[1:] == [datetime(2024, 5, 13, 9), datetime(2024, 5, 20, 9)]
    assert names(out) == ["a", "b", "c"]


def test_daily_every_three_days_and_two_handoffs_a_day():
    start = at(NY, 2024, 5, 1, 9)
    out = shifts(daily((9, 0), every=3), start, start, at(NY, 2024, 5, 10, 9))
    assert local_starts(out, NY) == [datetime(2024, 5, d, 9) for d in (1, 4, 7)]
    twice = shifts(daily((21, 0), (9, 0)), start, start, at(NY, 2024, 5, 3, 9))
    assert local_starts(twice, NY) == [
        datetime(2024, 5, 1, 9),
        datetime(2024, 5, 1, 21),
        datetime(2024, 5, 2, 9),
        datetime(2024, 5, 2, 21),
    ]
    assert names(twice) == ["a", "b", "c", "d"]


def test_number_of_on_calls_takes_consecutive_teams_and_advances_by_k():
    start = at(NY, 2024, 5, 1, 9)
    out = shifts(daily((9, 0), k=2), start, start, at(NY, 2024, 5, 7, 9))
    assert names(out) == ["ab", "cd", "ea", "bc", "de", "ab"]
    assert members_for_step(FIVE, 5, 3) == FIVE


def test_member_order_counts_from_start_time_not_from_window():
    start = at(NY, 2024, 5, 1, 9)
    later = shifts(daily((9, 0)), start, at(NY, 2024, 5, 8, 12), at(NY, 2024, 5, 10, 9))
    assert names(later) == ["c", "d"]  # 1 May is step 0 -> 8 May is step 7 -> member 7 % 5
    assert later[0]["StartTime"] == at(NY, 2024, 5, 8, 12).astimezone(UTC)  # clipped


def test_nothing_before_start_time_and_window_before_start_is_empty():
    start = at(NY, 2024, 5, 1, 9)
    out = shifts(daily((9, 0)), start, at(NY, 2024, 4, 1), at(NY, 2024, 5, 2, 9))
    assert [(s["StartTime"], s["EndTime"]) for s in out] == [
        (start.astimezone(UTC), at(NY, 2024, 5, 2, 9).astimezone(UTC))
    ]
    assert shifts(daily((9, 0)), start, at(NY, 2024, 4, 1), start) == []


# --- coverage -------------------------------------------------------------------------------

WEEKDAYS_9_TO_5 = {
    d: [{"Start": hm(9), "End": hm(17)}] for d in ("MON", "TUE", "WED", "THU", "FRI")
}


def test_coverage_cuts_shifts_to_business_hours_and_rotation_keeps_advancing():
    start = at(NY, 2024, 5, 6, 9)  # Monday
    out = shifts(daily((9, 0), ShiftCoverages=WEEKDAYS_9_TO_5), start, start, at(NY, 2024, 5, 14))
    assert [
        (
            s["StartTime"].astimezone(NY).replace(tzinfo=None),
            s["EndTime"].astimezone(NY).replace(tzinfo=None),
        )
        for s in out
    ] == [(datetime(2024, 5, d, 9), datetime(2024, 5, d, 17)) for d in (6, 7, 8, 9, 10, 13)]
    # Saturday and Sunday still hand off (members a and b), outside coverage
    assert names(out) == ["a", "b", "c", "d", "e", "c"]


def test_coverage_windows_that_touch_across_midnight_form_one_shift():
    cov = {"MON": [{"Start": hm(22), "End": hm(0)}], "TUE": [{"Start": hm(0), "End": hm(6)}]}
    start = at(NY, 2024, 5, 6, 12)
    out = shifts(weekly("WED", 12, ShiftCoverages=cov), start, start, at(NY, 2024, 5, 9))
    assert len(out) == 1
    assert (out[0]["StartTime"], out[0]["EndTime"]) == (
        at(NY, 2024, 5, 6, 22).astimezone(UTC),
        at(NY, 2024, 5, 7, 6).astimezone(UTC),
    )


def test_handoff_inside_coverage_splits_it_and_coverage_follows_dst():
    cov = {d: [{"Start": hm(8), "End": hm(20)}] for d in ("SAT", "SUN", "MON")}
    start = at(BERLIN, 2024, 3, 30, 0)
    out = shifts(
        daily((12, 0), ShiftCoverages=cov),
        start,
        start,
        at(BERLIN, 2024, 4, 2),
        zone="Europe/Berlin",
    )
    assert [(s["StartTime"].hour, s["EndTime"].hour) for s in out] == [
        (7, 11),
        (11, 19),
        (6, 10),
        (10, 18),
        (6, 10),
        (10, 18),
    ]
    assert names(out) == ["a", "b", "b", "c", "c", "d"]


def test_day_with_empty_coverage_list_is_not_covered():
    cov = {"MON": [{"Start": hm(9), "End": hm(17)}], "TUE": []}
    start = at(NY, 2024, 5, 6, 0)
    out = shifts(daily((0, 0), ShiftCoverages=cov), start, start, at(NY, 2024, 5, 13))
    assert len(out) == 1 and names(out) == ["a"]


# --- overrides ------------------------------------------------------------------------------


def ov(members, start, end):
    return {"NewMembers": members, "StartTime": start, "EndTime": end}


def test_override_splits_a_shift_and_records_whom_it_replaced():
    start = at(NY, 2024, 5, 1, 9)
    o = ov([E], at(NY, 2024, 5, 1, 12), at(NY, 2024, 5, 1, 15))
    out = shifts(daily((9, 0)), start, start, at(NY, 2024, 5, 2, 9), overrides=[o])
    assert [s["Type"] for s in out] == ["REGULAR", "OVERRIDDEN", "REGULAR"]
    assert names(out) == ["a", "e", "a"]
    assert out[1]["ShiftDetails"] == {"OverriddenContactIds": [A]}
    assert "ShiftDetails" not in out[0]
    assert out[1]["StartTime"] == o["StartTime"].astimezone(UTC)


def test_override_across_a_handoff_gives_one_overridden_piece_per_shift():
    start = at(NY, 2024, 5, 1, 9)
    o = ov([D, E], at(NY, 2024, 5, 1, 20), at(NY, 2024, 5, 2, 12))
    out = shifts(daily((9, 0)), start, start, at(NY, 2024, 5, 3, 9), overrides=[o])
    assert names(out) == ["a", "de", "de", "b"]
    assert [s["ShiftDetails"]["OverriddenContactIds"] for s in out[1:3]] == [[A], [B]]


def test_later_override_wins_where_overrides_overlap():
    start = at(NY, 2024, 5, 1, 9)
    first = ov([C], at(NY, 2024, 5, 1, 10), at(NY, 2024, 5, 1, 18))
    second = ov([D], at(NY, 2024, 5, 1, 12), at(NY, 2024, 5, 1, 14))
    out = shifts(daily((9, 0)), start, start, at(NY, 2024, 5, 2, 9), overrides=[first, second])
    assert names(out) == ["a", "c", "d", "c", "a"]
    swapped = shifts(daily((9, 0)), start, start, at(NY, 2024, 5, 2, 9), overrides=[second, first])
    assert names(swapped) == ["a", "c", "a"]


def test_override_does_not_create_coverage_and_may_empty_a_shift():
    start = at(NY, 2024, 5, 6, 9)
    rec = daily((9, 0), ShiftCoverages=WEEKDAYS_9_TO_5)
    night = ov([E], at(NY, 2024, 5, 6, 18), at(NY, 2024, 5, 7, 8))
    assert names(shifts(rec, start, start, at(NY, 2024, 5, 7, 9), overrides=[night])) == ["a"]
    nobody = ov([], at(NY, 2024, 5, 6, 10), at(NY, 2024, 5, 6, 11))
    out = shifts(rec, start, start, at(NY, 2024, 5, 7, 9), overrides=[nobody])
    assert [s["ContactIds"] for s in out] == [[A], [], [A]]
    assert (
        on_call_at(
            members=FIVE,
            start_time=start,
            time_zone_id="America/New_York",
            recurrence=rec,
            at=at(NY, 2024, 5, 6, 10, 30),
            overrides=[nobody],
        )
        == []
    )


def test_on_call_at():
    start = at(NY, 2024, 5, 6, 9)
    rec = daily((9, 0), k=2, ShiftCoverages=WEEKDAYS_9_TO_5)
    kw = dict(members=FIVE, start_time=start, time_zone_id="America/New_York", recurrence=rec)
    assert on_call_at(**kw, at=at(NY, 2024, 5, 7, 12)) == [C, D]
    assert on_call_at(**kw, at=at(NY, 2024, 5, 7, 17)) == []  # coverage ended
    assert on_call_at(**kw, at=at(NY, 2024, 5, 11, 12)) == []  # Saturday
    assert on_call_at(**kw, at=at(NY, 2024, 5, 1, 12)) == []  # before StartTime
    o = ov([E], at(NY, 2024, 5, 7, 11), at(NY, 2024, 5, 7, 13))
    assert on_call_at(**kw, at=at(NY, 2024, 5, 7, 12), overrides=[o]) == [E]


def test_next_change_finds_the_next_edge():
    start = at(NY, 2024, 5, 6, 9)
    kw = dict(members=FIVE, start_time=start, time_zone_id="America/New_York")
    assert next_change(
        **kw,
        recurrence=daily((9, 0), ShiftCoverages=WEEKDAYS_9_TO_5),
        after=at(NY, 2024, 5, 10, 17),
    ) == at(NY, 2024, 5, 13, 9).astimezone(UTC)
    assert next_change(**kw, recurrence=monthly(6, 9, every=12), after=at(NY, 2024, 5, 6, 9)) == at(
        NY, 2025, 5, 6, 9
    ).astimezone(UTC)
    assert next_change(
        **kw, recurrence=daily((9, 0)), after=at(NY, 2024, 1, 1)
    ) == start.astimezone(UTC)


def test_daily_every_second_day_with_a_handoff_just_before_local_midnight():
    # 23:30 in New York is 03:30 UTC the next day: the days counted are New York's
    start = at(NY, 2024, 5, 1, 23, 30)
    out = shifts(daily((23, 30), every=2), start, start, at(NY, 2024, 5, 9))
    assert local_starts(out, NY) == [datetime(2024, 5, d, 23, 30) for d in (1, 3, 5, 7)]
    assert [s["EndTime"] - s["StartTime"] for s in out[:3]] == [timedelta(days=2)] * 3
    assert names(out) == ["a", "b", "c", "d"]


def test_weekly_every_second_week_with_a_handoff_just_after_local_midnight():
    # Monday 00:15 in Berlin is Sunday 22:15 UTC (summer). Periods are Berlin weeks from the
    # Monday of the start's week (May 27), so from a start late on Sunday June 2 the next
    # hand-offs are every other Berlin Monday: June 10, June 24, July 8
    start = at(BERLIN, 2024, 6, 2, 23, 50)
    out = shifts(weekly("MON", 0, 15, every=2), start, start, at(BERLIN, 2024, 7, 15), zone="Europe/Berlin")
    assert local_starts(out, BERLIN) == [
        datetime(2024, 6, 2, 23, 50), datetime(2024, 6, 10, 0, 15), datetime(2024, 6, 24, 0, 15),
        datetime(2024, 7, 8, 0, 15),
    ]
    assert [s["StartTime"].astimezone(UTC).weekday() for s in out[1:]] == [6, 6, 6]  # Sundays in UTC
    assert names(out) == ["a", "b", "c", "d"]


def test_daily_every_third_day_at_midnight_across_spring_forward():
    start = at(NY, 2024, 3, 6, 0, 0)
    out = shifts(daily((0, 0), every=3), start, start, at(NY, 2024, 3, 19))
    assert local_starts(out, NY) == [datetime(2024, 3, d) for d in (6, 9, 12, 15, 18)]
    assert out[1]["EndTime"] - out[1]["StartTime"] == timedelta(hours=71)  # the 10th has 23 hours


# --- validation -----------------------------------------------------------------------------

GOOD = dict(
    members=FIVE,
    start_time=at(NY, 2024, 5, 1),
    time_zone_id="America/New_York",
    recurrence=daily((9, 0)),
)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"members": []}, "ContactIds"),
        ({"members": [A, A]}, "ContactIds[1]"),
        ({"members": [f"{A}{i}" for i in range(31)]}, "ContactIds"),
        ({"time_zone_id": "Mars/Olympus"}, "TimeZoneId"),
        ({"time_zone_id": "PST"}, "TimeZoneId"),
        ({"time_zone_id": ""}, "TimeZoneId"),
        ({"start_time": "yesterday"}, "StartTime"),
        ({"start_time": datetime(1960, 1, 1, tzinfo=UTC)}, "StartTime"),
        ({"start_time": datetime(2040, 1, 1, tzinfo=UTC)}, "StartTime"),
        ({"recurrence": daily((9, 0), k=0)}, "Recurrence.NumberOfOnCalls"),
        ({"recurrence": daily((9, 0), k=6)}, "Recurrence.NumberOfOnCalls"),
        ({"recurrence": daily((9, 0), every=0)}, "Recurrence.RecurrenceMultiplier"),
        ({"recurrence": daily((9, 0), every=101)}, "Recurrence.RecurrenceMultiplier"),
        ({"recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1}}, "Recurrence"),
        ({"recurrence": {**daily((9, 0)), **weekly("MON", 9)}}, "Recurrence"),
        ({"recurrence": daily((24, 0))}, "Recurrence.DailySettings[0].HourOfDay"),
        ({"recurrence": daily((9, 60))}, "Recurrence.DailySettings[0].MinuteOfHour"),
        ({"recurrence": daily((9, 0), (9, 0))}, "Recurrence.DailySettings[1]"),
        ({"recurrence": {**daily((9, 0)), "DailySettings": []}}, "Recurrence.DailySettings"),
        ({"recurrence": weekly("MONDAY", 9)}, "Recurrence.WeeklySettings[0].DayOfWeek"),
        ({"recurrence": monthly(32, 9)}, "Recurrence.MonthlySettings[0].DayOfMonth"),
        ({"recurrence": monthly(0, 9)}, "Recurrence.MonthlySettings[0].DayOfMonth"),
        (
            {
                "recurrence": daily(
                    (9, 0), ShiftCoverages={"MON": [{"Start": hm(17), "End": hm(9)}]}
                )
            },
            "Recurrence.ShiftCoverages.MON[0].End",
        ),
        (
            {"recurrence": daily((9, 0), ShiftCoverages={"MON": [{"Start": hm(9), "End": hm(9)}]})},
            "Recurrence.ShiftCoverages.MON[0].End",
        ),
        (
            {
                "recurrence": daily(
                    (9, 0), ShiftCoverages={"FUN": [{"Start": hm(9), "End": hm(10)}]}
                )
            },
            "Recurrence.ShiftCoverages.FUN",
        ),
        (
            {
                "recurrence": daily(
                    (9, 0), ShiftCoverages={"TUE": [{"Start": hm(9, 75), "End": hm(10)}]}
                )
            },
            "Recurrence.ShiftCoverages.TUE[0].Start.MinuteOfHour",
        ),
        (
            {
                "recurrence": daily(
                    (9, 0),
                    ShiftCoverages={
                        "TUE": [{"Start": hm(9), "End": hm(12)}, {"Start": hm(11), "End": hm(13)}]
                    },
                )
            },
            "Recurrence.ShiftCoverages.TUE",
        ),
    ],
)
def test_bad_rotation_raises_validation_naming_the_field(change, field):
    with pytest.raises(ValidationException) as info:
        validate_rotation(**{**GOOD, **change}, now=datetime(2024, 5, 1, tzinfo=UTC))
    assert field in [f["name"] for f in info.value.fields]
    assert field in info.value.message
    assert all(f["name"] in f["message"] for f in info.value.fields)


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValidationException) as info:
        validate_rotation(
            members=[],
            start_time=GOOD["start_time"],
            time_zone_id="Nope/Zone",
            recurrence=daily((25, 0), k=0),
        )
    assert {f["name"] for f in info.value.fields} == {
        "ContactIds",
        "TimeZoneId",
        "Recurrence.NumberOfOnCalls",
        "Recurrence.DailySettings[0].HourOfDay",
    }


def test_preview_field_names_and_compute_validates():
    with pytest.raises(ValidationException) as info:
        validate_rotation(**{**GOOD, "members": []}, members_field="Members")
    assert info.value.fields[0]["name"] == "Members"
    with pytest.raises(ValidationException):
        compute_shifts(
            **{**GOOD, "time_zone_id": "Nowhere"},
            window_start=GOOD["start_time"],
            window_end=GOOD["start_time"] + timedelta(days=1),
        )
    with pytest.raises(ValidationException) as info:
        compute_shifts(
            **GOOD,
            window_start=GOOD["start_time"],
            window_end=GOOD["start_time"] - timedelta(days=1),
        )
    assert info.value.fields[0]["name"] == "EndTime"


def test_bad_overrides_name_the_field():
    t = datetime(2024, 5, 1, tzinfo=UTC)
    with pytest.raises(ValidationException) as info:
        validate_overrides(
            [
                ov([A], t, t - timedelta(hours=1)),
                {"NewMembers": [A, A], "StartTime": t, "EndTime": None},
            ]
        )
    assert {f["name"] for f in info.value.fields} == {
        "Overrides[0].EndTime",
        "Overrides[1].NewMembers",
        "Overrides[1].EndTime",
    }
    assert validate_overrides(
        [{"NewContactIds": [B], "StartTime": t, "EndTime": t + timedelta(hours=1)}]
    )[0][2] == (B,)


def test_valid_rotation_parses_and_accepts_utc_and_naive_start():
    spec = validate_rotation(
        **{**GOOD, "time_zone_id": "UTC", "start_time": datetime(2024, 5, 1, 9)}
    )
    assert spec.start_time == datetime(2024, 5, 1, 9, tzinfo=UTC)
    assert spec.recurrence.unit == "DAILY" and spec.recurrence.coverage is None
