"""Durations are written one way (widgets.formatting.format_duration, from core.timeutil):
the runbook step's progress, like the tiles and tables, and the core's own texts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cockpit.incidents.runbook_pane import progress_text
from widgets.formatting import format_duration

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_running_step_says_how_long_in_the_one_style() -> None:
    step = {"status": "InProgress", "action": "aws:executeScript", "startTime": NOW - timedelta(seconds=12)}
    assert progress_text(step, NOW) == "running for 12s"
    step["startTime"] = NOW - timedelta(hours=2, minutes=6)
    assert progress_text(step, NOW) == f"running for {format_duration(timedelta(hours=2, minutes=6))}" == "running for 2h 06m"
    sleeping = {"status": "InProgress", "action": "aws:sleep", "dueTime": NOW + timedelta(seconds=45)}
    assert progress_text(sleeping, NOW) == "sleeping: resumes in 45s"
