"""A rotation's recurrence as the rotation editor edits it: hand off every N days, weeks or
months (ssm-contacts DailySettings, WeeklySettings, MonthlySettings), on a weekday or a day of
the month, at a time. What the editor does not show (NumberOfOnCalls, ShiftCoverages, further
hand-offs of the same kind) is kept as it was. Pure: no Textual, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["daily", "weekly", "monthly"]
SETTINGS = {"daily": "DailySettings", "weekly": "WeeklySettings", "monthly": "MonthlySettings"}
UNITS: dict[Kind, tuple[str, str]] = {"daily": ("day", "days"), "weekly": ("week", "weeks"),
                                      "monthly": ("month", "months")}


def kinds(every: int) -> tuple[tuple[str, Kind], ...]:
    """The editor's choice, read as a sentence with its number: hand off every 1 [week],
    every 2 [weeks] on Mon at 09:00."""
    return tuple((one if every == 1 else many, kind) for kind, (one, many) in UNITS.items())
WEEKDAYS = (("Mon", "MON"), ("Tue", "TUE"), ("Wed", "WED"), ("Thu", "THU"), ("Fri", "FRI"), ("Sat", "SAT"),
            ("Sun", "SUN"))
KEPT = ("NumberOfOnCalls", "ShiftCoverages")


@dataclass
class HandOff:
    kind: Kind = "daily"
    every: int = 1
    """RecurrenceMultiplier: every ``every`` days, weeks or months."""
    weekday: str = "MON"
    """Weekly: the day of the week (MON..SUN)."""
    day_of_month: int = 1
    """Monthly: the day of the month (1-31)."""
    at: str = "09:00"
    """HH:MM in the rotation's time zone."""
    kept: dict[str, Any] = field(default_factory=dict)
    """The recurrence's members the editor does not edit, sent back unchanged."""
    more: list[dict[str, Any]] = field(default_factory=list)
    """Further hand-offs of ``kind`` (after the first), sent back unchanged while the kind is."""
    more_kind: Kind | None = None

    def request(self) -> dict[str, Any]:
        """The ``Recurrence`` member of CreateRotation, UpdateRotation and ListPreviewRotationShifts."""
        hour, _, minute = self.at.partition(":")
        clock = {"HourOfDay": int(hour or 0), "MinuteOfHour": int(minute or 0)}
        first: dict[str, Any] = {
            "daily": clock,
            "weekly": {"DayOfWeek": self.weekday, "HandOffTime": clock},
            "monthly": {"DayOfMonth": self.day_of_month, "HandOffTime": clock},
        }[self.kind]
        more = self.more if self.more_kind == self.kind else []
        return {"NumberOfOnCalls": 1, **self.kept, "RecurrenceMultiplier": self.every,
                SETTINGS[self.kind]: [first, *more]}


def _clock(value: dict[str, Any]) -> str:
    return f"{value.get('HourOfDay', 0):02d}:{value.get('MinuteOfHour', 0):02d}"


def hand_off_of(recurrence: dict[str, Any]) -> HandOff:
    """The editor's view of a stored ``Recurrence`` (its first hand-off; the rest kept)."""
    kind: Kind = next((k for k, key in SETTINGS.items() if recurrence.get(key)), "daily")
    items = recurrence.get(SETTINGS[kind]) or [{}]
    first = items[0]
    out = HandOff(kind, int(recurrence.get("RecurrenceMultiplier", 1)),
                  kept={k: recurrence[k] for k in KEPT if recurrence.get(k) is not None},
                  more=list(items[1:]), more_kind=kind)
    if kind == "daily":
        out.at = _clock(first)
    else:
        out.at = _clock(first.get("HandOffTime", {}))
        out.weekday = first.get("DayOfWeek", "MON")
        out.day_of_month = int(first.get("DayOfMonth", 1))
    return out


def describe(recurrence: dict[str, Any]) -> str:
    """One cell for the rotations list: ``every day at 09:00``, ``every 2 weeks, Mon 09:00``,
    ``every month, day 1 09:00`` (and ``+N`` when it hands off more than once a period)."""
    h = hand_off_of(recurrence)
    one, many = UNITS[h.kind]
    every = f"every {one}" if h.every == 1 else f"every {h.every} {many}"
    where = {"daily": f" at {h.at}", "weekly": f", {h.weekday.title()} {h.at}",
             "monthly": f", day {h.day_of_month} {h.at}"}[h.kind]
    return every + where + (f" +{len(h.more)}" if h.more else "")
