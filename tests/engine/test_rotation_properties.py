"""Rotation shift computation: properties over generated rotations, windows and overrides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.engine.rotation import compute_shifts, members_for_step, on_call_at

DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
DST_ZONES = ("America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago")
FIXED_ZONES = ("UTC", "Asia/Kolkata", "Asia/Tokyo")
MEMBERS = [f"arn:aws:ssm-contacts:us-east-1:111122223333:contact/c{i}" for i in range(8)]
PROPS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

clock = st.builds(
    lambda h, m: {"HourOfDay": h, "MinuteOfHour": m},
    st.integers(0, 23),
    st.sampled_from([0, 15, 30, 45]),
)
daily = st.lists(clock, min_size=1, max_size=3, unique_by=lambda c: tuple(c.values())).map(
    lambda xs: {"DailySettings": xs}
)
weekly = st.lists(
    st.builds(lambda d, c: {"DayOfWeek": d, "HandOffTime": c}, st.sampled_from(DAYS), clock),
    min_size=1,
    max_size=3,
    unique_by=lambda w: (w["DayOfWeek"], *w["HandOffTime"].values()),
).map(lambda xs: {"WeeklySettings": xs})
monthly = st.lists(
    st.builds(lambda d, c: {"DayOfMonth": d, "HandOffTime": c}, st.integers(1, 31), clock),
    min_size=1,
    max_size=2,
    unique_by=lambda m: (m["DayOfMonth"], *m["HandOffTime"].values()),
).map(lambda xs: {"MonthlySettings": xs})


@st.composite
def day_windows(draw):
    cuts = sorted(draw(st.lists(st.integers(0, 96), min_size=2, max_size=4, unique=True)))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]

    def hm(q):
        q %= 96
        return {"HourOfDay": q // 4, "MinuteOfHour": q % 4 * 15}

    return [{"Start": hm(a), "End": hm(b)} for a, b in spans]


coverage = st.none() | st.dictionaries(st.sampled_from(DAYS), day_windows(), min_size=1)


@st.composite
def rotations(draw, zones=DST_ZONES + FIXED_ZONES, with_coverage=True):
    n = draw(st.integers(1, len(MEMBERS)))
    rec = {
        "NumberOfOnCalls": draw(st.integers(1, n)),
        "RecurrenceMultiplier": draw(st.integers(1, 3)),
        **draw(daily | weekly | monthly),
    }
    cov = draw(coverage) if with_coverage else None
    if cov:
        rec["ShiftCoverages"] = cov
    start = datetime(2023, 1, 1, tzinfo=UTC) + timedelta(minutes=15 * draw(st.integers(0, 70000)))
    ws = start + timedelta(minutes=15 * draw(st.integers(-2000, 30000)))
    we = ws + timedelta(minutes=15 * draw(st.integers(0, 4000)))
    return dict(
        members=MEMBERS[:n],
        start_time=start,
        time_zone_id=draw(st.sampled_from(zones)),
        recurrence=rec,
        window_start=ws,
        window_end=we,
    )


overrides = st.lists(
    st.builds(
        lambda a, length, m: (a, length, m),
        st.integers(-100, 4000),
        st.integers(1, 800),
        st.lists(st.sampled_from(MEMBERS), max_size=3, unique=True),
    ),
    max_size=4,
)


def _as_overrides(kw, raw):
    return [
        {
            "NewMembers": m,
            "StartTime": kw["window_start"] + timedelta(minutes=15 * a),
            "EndTime": kw["window_start"] + timedelta(minutes=15 * (a + n)),
        }
        for a, n, m in raw
    ]


def _bounds(kw):
    return max(kw["window_start"], kw["start_time"]), kw["window_end"]


@PROPS
@given(rotations())
def test_shifts_are_sorted_disjoint_inside_the_window_with_full_teams(kw):
    out = compute_shifts(**kw)
    lo, hi = _bounds(kw)
    k = kw["recurrence"]["NumberOfOnCalls"]
    for s in out:
        assert lo <= s["StartTime"] < s["EndTime"] <= hi
        assert s["StartTime"].tzinfo is not None and s["StartTime"].utcoffset() == timedelta(0)
        assert s["Type"] == "REGULAR" and "ShiftDetails" not in s
        assert len(s["ContactIds"]) == len(set(s["ContactIds"])) == k
        assert set(s["ContactIds"]) <= set(kw["members"])
    for prev, nxt in zip(out, out[1:], strict=False):
        assert prev["EndTime"] <= nxt["StartTime"]


@PROPS
@given(rotations(with_coverage=False))
def test_without_coverage_shifts_tile_the_window_and_follow_member_order(kw):
    out = compute_shifts(**kw)
    lo, hi = _bounds(kw)
    if lo >= hi:
        assert out == []
        return
    assert out[0]["StartTime"] == lo and out[-1]["EndTime"] == hi
    for prev, nxt in zip(out, out[1:], strict=False):
        assert prev["EndTime"] == nxt["StartTime"]
    members, k = kw["members"], kw["recurrence"]["NumberOfOnCalls"]
    teams = [members_for_step(members, k, step) for step in range(len(members) + 1)]
    if kw["window_start"] <= kw["start_time"]:
        assert out[0]["ContactIds"] == teams[0]
    for prev, nxt in zip(out, out[1:], strict=False):  # each hand-off moves one step (mod cycle)
        i = teams.index(prev["ContactIds"])
        assert (
            nxt["ContactIds"] == teams[(i + 1) % len(members)]
            or len(members) == k
            or (
                # a step collapsed by the DST gap rule or a clamped month end skips one more
                nxt["ContactIds"] == teams[(i + 2) % len(members)]
            )
        )


@PROPS
@given(rotations(zones=FIXED_ZONES))
def test_on_call_exactly_inside_local_coverage_windows(kw):
    """In zones without DST, an instant is covered iff its wall time is in that day's windows."""
    cov = kw["recurrence"].get("ShiftCoverages")
    out = compute_shifts(**kw)
    lo, hi = _bounds(kw)
    zone = ZoneInfo(kw["time_zone_id"])
    step = max((hi - lo) / 37, timedelta(minutes=1))
    t = lo
    while t < hi:
        inside = any(s["StartTime"] <= t < s["EndTime"] for s in out)
        if cov is None:
            assert inside
        else:
            local = t.astimezone(zone)
            minute = local.hour * 60 + local.minute
            wanted = any(
                w["Start"]["HourOfDay"] * 60 + w["Start"]["MinuteOfHour"]
                <= minute
                < ((w["End"]["HourOfDay"] * 60 + w["End"]["MinuteOfHour"]) or 1440)
                for w in cov.get(DAYS[local.weekday()], [])
            )
            assert inside == wanted, t
        t += step


@PROPS
@given(rotations(), st.data())
def test_splitting_the_window_does_not_change_the_shifts(kw, data):
    lo, hi = kw["window_start"], kw["window_end"]
    cut = lo + (hi - lo) * data.draw(st.floats(0, 1))
    cut = cut.replace(microsecond=0) if lo <= cut.replace(microsecond=0) else lo
    whole = compute_shifts(**kw)
    parts = compute_shifts(**{**kw, "window_end": cut}) + compute_shifts(
        **{**kw, "window_start": cut}
    )
    assert _joined(parts) == _joined(whole)


def _joined(shifts: list[dict]) -> list[dict]:
    """Shifts with touching neighbours of the same team and type joined into one."""
    out: list[dict] = []
    for s in shifts:
        prev = out[-1] if out else None
        if (
            prev
            and prev["EndTime"] == s["StartTime"]
            and {**prev, "StartTime": 0, "EndTime": 0} == {**s, "StartTime": 0, "EndTime": 0}
        ):
            out[-1] = {**prev, "EndTime": s["EndTime"]}
        else:
            out.append(s)
    return out


@PROPS
@given(rotations(), overrides, st.data())
def test_latest_override_wins_and_overrides_never_change_coverage(kw, raw, data):
    ovs = _as_overrides(kw, raw)
    plain = compute_shifts(**kw)
    out = compute_shifts(**kw, overrides=ovs)
    for prev, nxt in zip(out, out[1:], strict=False):
        assert prev["EndTime"] <= nxt["StartTime"]

    def union(shifts):
        spans: list[list[datetime]] = []
        for s in shifts:
            if spans and spans[-1][1] == s["StartTime"]:
                spans[-1][1] = s["EndTime"]
            else:
                spans.append([s["StartTime"], s["EndTime"]])
        return spans

    assert union(out) == union(plain)
    lo, hi = _bounds(kw)
    if lo >= hi:
        return
    probes = data.draw(st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=6))
    for f in probes:
        t = lo + (hi - lo) * f
        regular = [s for s in plain if s["StartTime"] <= t < s["EndTime"]]
        shift = [s for s in out if s["StartTime"] <= t < s["EndTime"]]
        assert len(shift) == len(regular) <= 1
        if not regular:
            continue
        winners = [o for o in ovs if o["StartTime"] <= t < o["EndTime"]]
        if winners:
            assert shift[0]["Type"] == "OVERRIDDEN"
            assert shift[0]["ContactIds"] == winners[-1]["NewMembers"]
            assert shift[0]["ShiftDetails"]["OverriddenContactIds"] == regular[0]["ContactIds"]
        else:
            assert shift[0] == {
                **regular[0],
                "StartTime": shift[0]["StartTime"],
                "EndTime": shift[0]["EndTime"],
            }
        at_kw = {k: v for k, v in kw.items() if k not in ("window_start", "window_end")}
        assert on_call_at(**at_kw, at=t, overrides=ovs) == shift[0]["ContactIds"]


@PROPS
@given(rotations(zones=DST_ZONES, with_coverage=False))
def test_handoffs_keep_their_local_wall_time_across_dst(kw):
    out = compute_shifts(**kw)
    zone = ZoneInfo(kw["time_zone_id"])
    rec = kw["recurrence"]
    settings_ = rec.get("DailySettings") or [
        x["HandOffTime"] for x in rec.get("WeeklySettings") or rec["MonthlySettings"]
    ]
    wall = {(c["HourOfDay"], c["MinuteOfHour"]) for c in settings_}
    lo, _ = _bounds(kw)
    for s in out:
        if s["StartTime"] == lo:
            continue  # clipped, not a hand-off
        local = s["StartTime"].astimezone(zone)
        if (local.hour, local.minute) in wall:
            continue
        # otherwise the configured time did not exist that day: it moved forward past the gap
        before = (s["StartTime"] - timedelta(hours=3)).astimezone(zone)
        assert before.utcoffset() != local.utcoffset(), (s, local)
