"""Chart axes that stay readable in a narrow terminal: a few ticks at round values, with short
labels (durations as 30m, 6h, 2d; weeks as 2 Nov), as many as the chart's width has room for."""

from __future__ import annotations

import math
from datetime import date

# round durations in minutes a time axis steps by
DURATION_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 7 * 1440, 14 * 1440, 28 * 1440)
GAP = 2  # columns at least between two labels


def room(width: int, label: int) -> int:
    """How many labels of ``label`` columns fit side by side in ``width`` columns (at least 2)."""
    return max(2, width // (label + GAP))


def minutes_label(minutes: float) -> str:
    m = round(minutes)
    if m == 0:
        return "0"
    if m % 1440 == 0:
        return f"{m // 1440}d"
    if m % 60 == 0:
        return f"{m // 60}h"
    return f"{m}m"


def _steps(top: float, most: int, steps: tuple[int, ...] | None) -> int:
    """The smallest step (from ``steps``, else 1, 2, 5, 10, 20, 50...) that puts at most ``most``
    ticks from 0 up to ``top``."""
    if steps is None:
        steps = tuple(m * 10**e for e in range(max(1, int(math.log10(max(top, 1))) + 2)) for m in (1, 2, 5))
    return next((s for s in steps if math.floor(top / s) + 1 <= most), steps[-1])


def duration_ticks(top_minutes: float, most: int) -> tuple[list[float], list[str]]:
    """Ticks for a time axis from 0 to ``top_minutes``: positions (minutes) and labels."""
    step = _steps(top_minutes, most, DURATION_STEPS)
    ticks = [float(step * i) for i in range(math.floor(top_minutes / step) + 1)]
    return ticks, [minutes_label(t) for t in ticks]


def count_ticks(top: float, most: int) -> tuple[list[float], list[str]]:
    """Whole-number ticks for a count axis from 0 to ``top``."""
    step = _steps(top, most, None)
    ticks = [float(step * i) for i in range(math.floor(top / step) + 1)]
    return ticks, [str(int(t)) for t in ticks]


def week_label(monday: str) -> str:
    day = date.fromisoformat(monday)
    return f"{day.day} {day:%b}"


def every_nth(count: int, most: int) -> list[int]:
    """Indexes of ``count`` evenly spaced items, at most ``most`` of them, the first included."""
    return list(range(0, count, max(1, math.ceil(count / most))))


def hour_ticks(most: int) -> list[int]:
    """Hours of the day 0..23 at a step that divides the day, at most ``most`` of them."""
    step = _steps(23, most, (1, 2, 3, 4, 6, 12))
    return list(range(0, 24, step))
