"""On-call shifts of an ssm-contacts rotation: pure computation, no store, no clock.

Semantics (ours where AWS leaves them open; see also ``rotation_calendar``):

* **Shifts.** A shift runs from one hand-off to the next. The shift in effect at
  ``StartTime`` is step 0 and nothing is on call before ``StartTime``. Every configured
  hand-off advances the member order by one step, also when the hand-off falls outside the
  shift coverage.
* **NumberOfOnCalls k.** Step ``n`` puts ``k`` consecutive members on call, starting at
  member ``n * k`` (mod the member count) and wrapping: with members A B C D E and k = 2
  the teams are AB, CD, EA, BC, DE, AB... Each member serves the same share of time.
* **Recurrence.** Hand-offs happen at the listed local times, in every
  ``RecurrenceMultiplier``-th day, week or month counted from ``StartTime``'s date, week
  (Monday) or month. Local times stay local across DST; a time in the spring-forward gap
  moves forward by the gap (02:30 -> 03:30), an ambiguous fall-back time is its first
  occurrence. A ``DayOfMonth`` past a short month's end is that month's last day.
* **Coverage.** With ``ShiftCoverages`` only the listed local windows of each weekday are
  on call; shifts are cut to them and windows that touch (23:00-00:00 then 00:00-06:00)
  join into one shift. Absent or empty coverage means around the clock.
* **Overrides** replace the members of the shifts they cross (coverage still applies: an
  override creates no on-call time of its own). Later overrides in the list win where they
  overlap. An overridden piece is ``Type: OVERRIDDEN`` with the replaced members in
  ``ShiftDetails.OverriddenContactIds``.
* Results are clipped to ``[window_start, window_end)``, sorted by ``StartTime``, in UTC.
  Naive datetimes are read as UTC. Nothing is computed past ``LAST_INSTANT`` (year 9000).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from core.engine.rotation_calendar import Grid, RotationSpec, coverage_intervals
from core.engine.rotation_validation import validate_overrides, validate_rotation
from core.errors import ValidationException

__all__ = [
    "compute_shifts",
    "members_for_step",
    "next_change",
    "on_call_at",
    "validate_overrides",
    "validate_rotation",
]

# shifts are computed up to here and no further (keeps calendar arithmetic clear of year 9999)
LAST_INSTANT = datetime(9000, 1, 1, tzinfo=UTC)

_Piece = tuple[datetime, datetime, tuple[str, ...]]
_Override = tuple[datetime, datetime, tuple[str, ...]]


def members_for_step(members: tuple[str, ...] | list[str], on_calls: int, step: int) -> list[str]:
    """The ``on_calls`` members on call in shift ``step`` (0 = the shift at ``StartTime``)."""
    count = len(members)
    first = step * on_calls
    return [members[(first + i) % count] for i in range(on_calls)]


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def _regular(spec: RotationSpec, lo: datetime, hi: datetime) -> list[_Piece]:
    """Regular shifts cut to ``[lo, hi)`` and to coverage; ``lo >= StartTime``."""
    grid = Grid(spec)
    on_calls = spec.recurrence.on_calls
    raw: list[_Piece] = []
    handoffs = grid.handoffs_from(lo)
    step, start = next(handoffs)
    for next_step, next_start in handoffs:
        a, b = max(start, lo), min(next_start, hi)
        if a < b:
            team = members_for_step(spec.members, on_calls, step - grid.step0)
            raw.append((a, b, tuple(team)))
        if next_start >= hi:
            break
        step, start = next_step, next_start
    else:  # the calendar ran out: the last shift runs to the window's end
        if start < hi:
            team = members_for_step(spec.members, on_calls, step - grid.step0)
            raw.append((max(start, lo), hi, tuple(team)))
    covered = coverage_intervals(spec, lo, hi)
    if covered is None:
        return raw
    out: list[_Piece] = []
    j = 0
    for a, b, team in raw:
        while j < len(covered) and covered[j][1] <= a:
            j += 1
        k = j
        while k < len(covered) and covered[k][0] < b:
            out.append((max(a, covered[k][0]), min(b, covered[k][1]), team))
            k += 1
    return out


def _apply_overrides(pieces: list[_Piece], overrides: list[_Override]) -> list[dict[str, Any]]:
    shifts: list[dict[str, Any]] = []
    for a, b, team in pieces:
        crossing = [(i, o) for i, o in enumerate(overrides) if o[0] < b and o[1] > a]
        if not crossing:
            shifts.append(_shift(a, b, team, None))
            continue
        cuts = sorted({a, b, *(t for _, o in crossing for t in o[:2] if a < t < b)})
        run: tuple[datetime, int | None] | None = None  # (start, winning override)
        for s, e in zip(cuts, cuts[1:], strict=False):
            winner = max((i for i, o in crossing if o[0] <= s and o[1] >= e), default=None)
            if run is None:
                run = (s, winner)
            elif run[1] != winner:
                shifts.append(_piece(run, s, team, overrides))
                run = (s, winner)
        assert run is not None
        shifts.append(_piece(run, b, team, overrides))
    return shifts


def _piece(
    run: tuple[datetime, int | None],
    end: datetime,
    team: tuple[str, ...],
    overrides: list[_Override],
) -> dict[str, Any]:
    start, winner = run
    return _shift(start, end, team, None if winner is None else overrides[winner][2])


def _shift(
    start: datetime, end: datetime, team: tuple[str, ...], new: tuple[str, ...] | None
) -> dict[str, Any]:
    if new is None:
        return {"ContactIds": list(team), "StartTime": start, "EndTime": end, "Type": "REGULAR"}
    return {
        "ContactIds": list(new),
        "StartTime": start,
        "EndTime": end,
        "Type": "OVERRIDDEN",
        "ShiftDetails": {"OverriddenContactIds": list(team)},
    }


def compute_shifts(
    *,
    members: list[str],
    start_time: datetime,
    time_zone_id: str,
    recurrence: Mapping[str, Any],
    window_start: datetime,
    window_end: datetime,
    overrides: Iterable[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    """AWS ``RotationShift`` dicts meeting ``[window_start, window_end)``, clipped to it.

    ``overrides`` are ``{"NewMembers" | "NewContactIds", "StartTime", "EndTime"}`` in creation
    order. Raises ``ValidationException`` on a bad rotation, override or window.
    """
    spec = validate_rotation(
        members=members, start_time=start_time, time_zone_id=time_zone_id, recurrence=recurrence
    )
    checked = validate_overrides(overrides)
    lo, hi = _utc(window_start), _utc(window_end)
    if hi < lo:
        raise ValidationException(
            "EndTime must not be before StartTime",
            fields=[{"name": "EndTime", "message": "EndTime must not be before StartTime"}],
        )
    lo, hi = max(lo, spec.start_time), min(hi, LAST_INSTANT)
    if lo >= hi:
        return []
    return _apply_overrides(_regular(spec, lo, hi), checked)


def on_call_at(
    *,
    members: list[str],
    start_time: datetime,
    time_zone_id: str,
    recurrence: Mapping[str, Any],
    at: datetime,
    overrides: Iterable[Mapping[str, Any]] = (),
) -> list[str]:
    """Contact ARNs on call at ``at`` (overrides included); empty outside coverage or before start."""
    at = _utc(at)
    shifts = compute_shifts(
        members=members,
        start_time=start_time,
        time_zone_id=time_zone_id,
        recurrence=recurrence,
        window_start=at,
        window_end=at + timedelta(microseconds=1),
        overrides=overrides,
    )
    return shifts[0]["ContactIds"] if shifts else []


def next_change(
    *,
    members: list[str],
    start_time: datetime,
    time_zone_id: str,
    recurrence: Mapping[str, Any],
    after: datetime,
    overrides: Iterable[Mapping[str, Any]] = (),
    horizon: timedelta = timedelta(days=3100),
) -> datetime | None:
    """The first instant after ``after`` where a shift starts or ends (a hand-off timer's due time).

    Searches from ``max(after, StartTime)`` at most ``horizon`` ahead (the default exceeds the
    longest period, 100 months); answers None if nothing starts or ends within it.
    """
    overrides = list(overrides)
    after = _utc(after)
    base = max(after, _utc(start_time))
    span = timedelta(days=2)
    while True:
        end = base + min(span, horizon)
        shifts = compute_shifts(
            members=members,
            start_time=start_time,
            time_zone_id=time_zone_id,
            recurrence=recurrence,
            window_start=after,
            window_end=end,
            overrides=overrides,
        )
        edges = sorted(t for s in shifts for t in (s["StartTime"], s["EndTime"]) if after < t < end)
        if edges:
            return edges[0]
        if span >= horizon:
            return None
        span *= 4
