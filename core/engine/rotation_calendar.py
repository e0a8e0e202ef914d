"""The local-time calendar of a rotation: hand-off instants and shift-coverage intervals.

Everything here works in the rotation's IANA zone and answers in aware UTC datetimes.

Wall-clock rule (the only place local times become instants, see ``local_instant``): a local
time is read with ``fold=0`` (PEP 495). A time that does not exist (the spring-forward gap)
therefore lands as far past the gap's start as it was written: 02:30 on a New York
spring-forward day becomes 03:30 EDT. A time that happens twice (fall-back) is the first
time, still on summer time: 01:30 on a New York fall-back day is 01:30 EDT.

Hand-off grid: the rotation's periods are counted from the local calendar of ``StartTime``.
A daily period starts on that date, a weekly one on the Monday of that week, a monthly one
on the first of that month; period ``p`` begins ``p * RecurrenceMultiplier`` days, weeks or
months later. Every configured hand-off of the period happens in the period's first day,
week or month. A monthly ``DayOfMonth`` past the end of a short month falls on that month's
last day (31 -> 30 April, 28 or 29 February). Every configured hand-off counts as one step
of the member order, so the step number of a hand-off is ``p * len(points) + position``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Unit = Literal["DAILY", "WEEKLY", "MONTHLY"]
DAY_KEYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class HandOff:
    """One configured hand-off: ``day`` is 0 (daily), 0-6 from MON (weekly) or 1-31 (monthly)."""

    day: int
    minute: int


@dataclass(frozen=True, slots=True)
class RecurrenceSpec:
    unit: Unit
    multiplier: int
    on_calls: int
    points: tuple[HandOff, ...]  # sorted, distinct
    # weekday (0 = MON) -> sorted, disjoint (start_minute, end_minute); None = always covered
    coverage: dict[int, tuple[tuple[int, int], ...]] | None


@dataclass(frozen=True, slots=True)
class RotationSpec:
    members: tuple[str, ...]
    start_time: datetime  # aware, UTC
    zone: ZoneInfo
    recurrence: RecurrenceSpec


def local_instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """``minute`` past local midnight of ``day`` (1440 = next midnight) as an aware UTC instant."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minute)
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


class Grid:
    """The hand-off instants of one rotation, addressable by period without walking from the start."""

    def __init__(self, spec: RotationSpec) -> None:
        self.rec = spec.recurrence
        self.zone = spec.zone
        self.per_period = len(self.rec.points)
        anchor = spec.start_time.astimezone(self.zone).date()
        if self.rec.unit == "WEEKLY":
            anchor -= timedelta(days=anchor.weekday())
        self.anchor = anchor
        self.step0 = 0
        self.step0 = self.step_at(spec.start_time)

    def period_of(self, day: date) -> int:
        n = self.rec.multiplier
        if self.rec.unit == "DAILY":
            return (day - self.anchor).days // n
        if self.rec.unit == "WEEKLY":
            return (day - self.anchor).days // (7 * n)
        return (_month_index(day) - _month_index(self.anchor)) // n

    def _local_points(self, period: int) -> list[tuple[date, int]]:
        n = self.rec.multiplier
        if self.rec.unit == "MONTHLY":
            year, month0 = divmod(_month_index(self.anchor) + period * n, 12)
            last = calendar.monthrange(year, month0 + 1)[1]
            return [(date(year, month0 + 1, min(p.day, last)), p.minute) for p in self.rec.points]
        days = n if self.rec.unit == "DAILY" else 7 * n
        first = self.anchor + timedelta(days=period * days)
        return [(first + timedelta(days=p.day), p.minute) for p in self.rec.points]

    def handoffs_from(self, instant: datetime) -> Iterator[tuple[int, datetime]]:
        """``(step, instant)`` pairs in order: the last hand-off at or before ``instant``, then on.

        Steps are raw (not yet relative to ``StartTime``). Instants never go backwards: when
        the gap rule moves one hand-off past the next, the later one is held at the earlier.
        """
        period = self.period_of(instant.astimezone(self.zone).date()) - 2
        latest: datetime | None = None
        pending: tuple[int, datetime] | None = None
        while True:
            try:
                points = self._local_points(period)
            except (OverflowError, ValueError):  # ran off the calendar (year 9999)
                if pending is not None:
                    yield pending
                return
            for pos, (day, minute) in enumerate(points):
                at = local_instant(day, minute, self.zone)
                if latest is not None and at < latest:
                    at = latest
                latest = at
                step = period * self.per_period + pos
                if at <= instant:
                    pending = (step, at)
                    continue
                if pending is not None:
                    yield pending
                    pending = None
                yield step, at
            period += 1

    def step_at(self, instant: datetime) -> int:
        """Steps since ``StartTime`` of the shift in effect at ``instant``."""
        return next(self.handoffs_from(instant))[0] - self.step0


def coverage_intervals(
    spec: RotationSpec, lo: datetime, hi: datetime
) -> list[tuple[datetime, datetime]] | None:
    """Covered UTC intervals meeting ``[lo, hi)``, merged where they touch; None = all covered."""
    coverage = spec.recurrence.coverage
    if coverage is None:
        return None
    zone = spec.zone
    day = lo.astimezone(zone).date() - timedelta(days=1)
    last = hi.astimezone(zone).date() + timedelta(days=1)
    out: list[tuple[datetime, datetime]] = []
    while day <= last:
        for start, end in coverage.get(day.weekday(), ()):
            a, b = local_instant(day, start, zone), local_instant(day, end, zone)
            if a >= b or b <= lo or a >= hi:
                continue
            if out and a <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], b))
            else:
                out.append((a, b))
        day += timedelta(days=1)
    return out
