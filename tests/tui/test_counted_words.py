"""Counts on screen are in words that agree with them: 1 shift, 2 shifts; 1 problem; 1 step
(never "1 problem(s)" or "1 shifts"). Pilot on the app, and the texts the screens show."""

from __future__ import annotations

from textual.widgets import Static

from cockpit.analyses.templates_screen import detail_text
from cockpit.build import build_app
from cockpit.schedules.preview_modal import ShiftPreviewModal
from tests.tui.helpers import drawn, settle

SHIFT = {"StartTime": "2026-03-02T09:00:00+00:00", "EndTime": "2026-03-03T09:00:00+00:00",
         "ContactIds": ["arn:aws:ssm-contacts:local:111122223333:contact/ann"], "Type": "REGULAR"}


def later(shift: dict, days: int) -> dict:
    return {**shift, "StartTime": shift["StartTime"].replace("02T", f"0{2 + days}T"),
            "EndTime": shift["EndTime"].replace("03T", f"0{3 + days}T")}


async def preview_hint(ready, clock, settings, shifts: list[dict]) -> str:
    app = build_app(ready[0], settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(ShiftPreviewModal("day", shifts))
        await settle(pilot)
        return drawn(app.screen.query_one(".hint", Static))


async def test_the_shift_preview_counts_its_shifts_in_words(ready, clock, settings) -> None:
    assert (await preview_hint(ready, clock, settings, [SHIFT])).startswith("1 shift, overrides applied.")
    two = await preview_hint(ready, clock, settings, [SHIFT, later(SHIFT, 1)])
    assert two.startswith("2 shifts, overrides applied."), two


def test_a_templates_checklist_is_counted_in_words() -> None:
    template = {"name": "t", "description": "", "sections": [{"title": "Overview"}], "questions": []}
    assert detail_text({**template, "checklist": ["one"]}).endswith("Checklist: 1 item")
    assert detail_text({**template, "checklist": ["one", "two"]}).endswith("Checklist: 2 items")
