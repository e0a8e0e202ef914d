"""Input checks for rotations and overrides, answering ``ValidationException`` with field paths.

Limits come from the ssm-contacts model (1-30 members, ``RecurrenceMultiplier`` 1-100,
``DayOfMonth`` 1-31, hours 0-23, minutes 0-59, 0-30 override members). Our own rules on top:
``NumberOfOnCalls`` may not exceed the member count; members are distinct; exactly one of
Daily/Weekly/MonthlySettings, non-empty and without duplicates; time zones must be IANA
region names (or ``UTC``), so abbreviations such as ``PST`` or ``EST`` are refused as AWS
refuses them; a coverage window ends after it starts, where an ``End`` of 00:00 means the
following midnight; the windows of one day do not overlap; and ``StartTime`` lies between
1970 and ten years after ``now`` (when ``now`` is given).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.engine.rotation_calendar import (
    DAY_KEYS,
    MINUTES_PER_DAY,
    HandOff,
    RecurrenceSpec,
    RotationSpec,
)
from core.errors import ValidationException

MAX_MEMBERS = 30
MAX_MULTIPLIER = 100
MAX_START_AHEAD = timedelta(days=3653)
EARLIEST_START = datetime(1970, 1, 1, tzinfo=UTC)
_SETTINGS = ("DailySettings", "WeeklySettings", "MonthlySettings")


class _Problems:
    def __init__(self, what: str = "rotation") -> None:
        self.what = what
        self.fields: list[dict[str, str]] = []

    def add(self, name: str, message: str) -> None:
        self.fields.append({"name": name, "message": f"{name} {message}"})

    def raise_any(self) -> None:
        if self.fields:
            text = "; ".join(f["message"] for f in self.fields)
            raise ValidationException(f"Invalid {self.what}: {text}", fields=self.fields)


def _int(problems: _Problems, value: Any, name: str, lo: int, hi: int | None) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(name, "must be an integer")
        return None
    if value < lo or (hi is not None and value > hi):
        bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        problems.add(name, f"must be {bound}, got {value}")
        return None
    return value


def _clock(problems: _Problems, value: Any, name: str) -> int | None:
    """A ``HandOffTime``-shaped dict as minutes past midnight."""
    if not isinstance(value, Mapping):
        problems.add(name, "must be an object with HourOfDay and MinuteOfHour")
        return None
    hour = _int(problems, value.get("HourOfDay"), f"{name}.HourOfDay", 0, 23)
    minute = _int(problems, value.get("MinuteOfHour"), f"{name}.MinuteOfHour", 0, 59)
    return None if hour is None or minute is None else hour * 60 + minute


def _aware(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def _zone(problems: _Problems, value: Any, name: str) -> ZoneInfo | None:
    if not isinstance(value, str) or not value.strip():
        problems.add(name, "must be an IANA time zone name such as America/New_York")
        return None
    if value != "UTC" and "/" not in value:
        problems.add(name, f"must be an IANA region name, not the designator {value!r}")
        return None
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        problems.add(name, f"is not a known IANA time zone: {value!r}")
        return None


def _members(problems: _Problems, members: Any, name: str) -> tuple[str, ...]:
    if not isinstance(members, list | tuple) or not members:
        problems.add(name, "must list at least one contact")
        return ()
    if len(members) > MAX_MEMBERS:
        problems.add(name, f"may list at most {MAX_MEMBERS} contacts, got {len(members)}")
    seen: set[str] = set()
    for i, member in enumerate(members):
        if not isinstance(member, str) or not member.strip():
            problems.add(f"{name}[{i}]", "must be a contact ARN")
        elif member in seen:
            problems.add(f"{name}[{i}]", f"repeats {member}")
        else:
            seen.add(member)
    return tuple(members)


def _points(problems: _Problems, rec: Mapping[str, Any], key: str) -> list[HandOff]:
    items = rec.get(key)
    path = f"Recurrence.{key}"
    if not isinstance(items, list | tuple) or not items:
        problems.add(path, "must list at least one hand-off")
        return []
    out: list[HandOff] = []
    for i, item in enumerate(items):
        at = f"{path}[{i}]"
        if key == "DailySettings":
            day: int | None = 0
            minute = _clock(problems, item, at)
        elif not isinstance(item, Mapping):
            problems.add(at, "must be an object")
            continue
        elif key == "WeeklySettings":
            dow = item.get("DayOfWeek")
            day = DAY_KEYS.index(dow) if dow in DAY_KEYS else None
            if day is None:
                problems.add(f"{at}.DayOfWeek", f"must be one of {', '.join(DAY_KEYS)}")
            minute = _clock(problems, item.get("HandOffTime"), f"{at}.HandOffTime")
        else:
            day = _int(problems, item.get("DayOfMonth"), f"{at}.DayOfMonth", 1, 31)
            minute = _clock(problems, item.get("HandOffTime"), f"{at}.HandOffTime")
        if day is None or minute is None:
            continue
        point = HandOff(day, minute)
        if point in out:
            problems.add(at, "repeats an earlier hand-off")
        else:
            out.append(point)
    return sorted(out, key=lambda p: (p.day, p.minute))


def _coverage(problems: _Problems, value: Any) -> dict[int, tuple[tuple[int, int], ...]] | None:
    if value is None or (isinstance(value, Mapping) and not value):
        return None  # absent or empty: on call around the clock
    path = "Recurrence.ShiftCoverages"
    if not isinstance(value, Mapping):
        problems.add(path, "must map MON..SUN to coverage times")
        return None
    out: dict[int, tuple[tuple[int, int], ...]] = {}
    for key, windows in value.items():
        at = f"{path}.{key}"
        if key not in DAY_KEYS:
            problems.add(at, f"is not a day; use one of {', '.join(DAY_KEYS)}")
            continue
        if not isinstance(windows, list | tuple):
            problems.add(at, "must be a list of coverage times")
            continue
        spans: list[tuple[int, int]] = []
        for i, window in enumerate(windows):
            if not isinstance(window, Mapping):
                problems.add(f"{at}[{i}]", "must be an object with Start and End")
                continue
            start = _clock(problems, window.get("Start"), f"{at}[{i}].Start")
            end = _clock(problems, window.get("End"), f"{at}[{i}].End")
            if start is None or end is None:
                continue
            end = end or MINUTES_PER_DAY  # End 00:00 is the midnight that closes the day
            if end <= start:
                problems.add(f"{at}[{i}].End", "must be after Start")
            else:
                spans.append((start, end))
        spans.sort()
        for (_, prev_end), (start, _) in zip(spans, spans[1:], strict=False):
            if start < prev_end:
                problems.add(at, "has coverage times that overlap")
                break
        out[DAY_KEYS.index(key)] = tuple(spans)
    return out


def _recurrence(problems: _Problems, rec: Any, members: int) -> RecurrenceSpec | None:
    if not isinstance(rec, Mapping):
        problems.add("Recurrence", "must be an object")
        return None
    on_calls = _int(problems, rec.get("NumberOfOnCalls"), "Recurrence.NumberOfOnCalls", 1, None)
    if on_calls is not None and members and on_calls > members:
        problems.add(
            "Recurrence.NumberOfOnCalls", f"({on_calls}) exceeds the {members} rotation members"
        )
    multiplier = _int(
        problems,
        rec.get("RecurrenceMultiplier"),
        "Recurrence.RecurrenceMultiplier",
        1,
        MAX_MULTIPLIER,
    )
    given = [key for key in _SETTINGS if rec.get(key) is not None]
    points: list[HandOff] = []
    if len(given) != 1:
        names = ", ".join(given) if given else "none"
        problems.add(
            "Recurrence",
            f"needs exactly one of DailySettings, WeeklySettings or MonthlySettings (got {names})",
        )
    else:
        points = _points(problems, rec, given[0])
    coverage = _coverage(problems, rec.get("ShiftCoverages"))
    if on_calls is None or multiplier is None or not points:
        return None
    unit = {"DailySettings": "DAILY", "WeeklySettings": "WEEKLY", "MonthlySettings": "MONTHLY"}
    return RecurrenceSpec(unit[given[0]], multiplier, on_calls, tuple(points), coverage)  # type: ignore[arg-type]


def validate_rotation(
    *,
    members: list[str],
    start_time: datetime,
    time_zone_id: str,
    recurrence: Mapping[str, Any],
    now: datetime | None = None,
    members_field: str = "ContactIds",
    start_field: str = "StartTime",
) -> RotationSpec:
    """Check a rotation and answer its parsed form; raise ``ValidationException`` naming every bad field.

    ``members_field`` and ``start_field`` name the inputs as the calling operation spells them
    (``ContactIds``/``StartTime`` for CreateRotation, ``Members``/``RotationStartTime`` for
    ListPreviewRotationShifts).
    """
    problems = _Problems()
    member_list = _members(problems, members, members_field)
    start = _aware(start_time)
    if start is None:
        problems.add(start_field, "must be a timestamp")
    elif start < EARLIEST_START:
        problems.add(start_field, "must not be before 1970-01-01")
    elif now is not None and start > _aware(now) + MAX_START_AHEAD:  # type: ignore[operator]
        problems.add(start_field, "must be within ten years from now")
    zone = _zone(problems, time_zone_id, "TimeZoneId")
    rec = _recurrence(problems, recurrence, len(member_list))
    problems.raise_any()
    assert start is not None and zone is not None and rec is not None
    return RotationSpec(member_list, start, zone, rec)


def validate_overrides(
    overrides: Iterable[Mapping[str, Any]],
) -> list[tuple[datetime, datetime, tuple[str, ...]]]:
    """Check overrides (``NewMembers`` or ``NewContactIds``, ``StartTime``, ``EndTime``)."""
    problems = _Problems("rotation override")
    out: list[tuple[datetime, datetime, tuple[str, ...]]] = []
    for i, override in enumerate(overrides):
        at = f"Overrides[{i}]"
        if not isinstance(override, Mapping):
            problems.add(at, "must be an object")
            continue
        key = "NewMembers" if "NewMembers" in override else "NewContactIds"
        new = override.get(key, [])
        if not isinstance(new, list | tuple) or len(new) > MAX_MEMBERS:
            problems.add(f"{at}.{key}", f"must list at most {MAX_MEMBERS} contacts")
            new = ()
        elif len(set(new)) != len(new):
            problems.add(f"{at}.{key}", "repeats a contact")
        start, end = _aware(override.get("StartTime")), _aware(override.get("EndTime"))
        if start is None:
            problems.add(f"{at}.StartTime", "must be a timestamp")
        if end is None:
            problems.add(f"{at}.EndTime", "must be a timestamp")
        elif start is not None and end <= start:
            problems.add(f"{at}.EndTime", "must be after StartTime")
        if start is not None and end is not None and end > start:
            out.append((start, end, tuple(new)))
    problems.raise_any()
    return out
