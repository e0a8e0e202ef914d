"""Chart axes of the Reports screen: round ticks, short labels, as many as the width has room for."""

from __future__ import annotations

from cockpit.reports import axes
from widgets.formatting import counted, shorten


def test_time_axes_step_by_round_durations_and_say_them_shortly() -> None:
    assert axes.duration_ticks(2880, 5) == ([0, 720, 1440, 2160, 2880], ["0", "12h", "1d", "36h", "2d"])
    assert axes.duration_ticks(2880, 3) == ([0, 1440, 2880], ["0", "1d", "2d"])
    assert axes.duration_ticks(20, 5) == ([0, 5, 10, 15, 20], ["0", "5m", "10m", "15m", "20m"])
    assert axes.duration_ticks(0, 5) == ([0], ["0"])
    assert axes.duration_ticks(95, 4)[1] == ["0", "30m", "1h", "90m"]


def test_count_axes_are_whole_numbers() -> None:
    assert axes.count_ticks(8, 5) == ([0, 2, 4, 6, 8], ["0", "2", "4", "6", "8"])
    assert axes.count_ticks(3, 5)[1] == ["0", "1", "2", "3"]
    assert axes.count_ticks(1234, 4)[1] == ["0", "500", "1000"]


def test_labels_fit_the_width() -> None:
    assert axes.room(40, 3) == 8 and axes.room(5, 6) == 2  # never fewer than two
    assert axes.every_nth(53, 6) == [0, 9, 18, 27, 36, 45]
    assert axes.hour_ticks(10) == [0, 3, 6, 9, 12, 15, 18, 21] and axes.hour_ticks(4) == [0, 6, 12, 18]
    assert axes.week_label("2026-11-02") == "2 Nov"
    assert shorten("database-degraded", 12) == "database-de…" and shorten("api", 12) == "api"


def test_counts_read_with_their_noun_in_the_right_number() -> None:
    assert [counted(n, "shift") for n in (0, 1, 2, 1200)] == ["0 shifts", "1 shift", "2 shifts", "1,200 shifts"]
    assert counted(1, "entry", "entries") == "1 entry" and counted(3, "entry", "entries") == "3 entries"
