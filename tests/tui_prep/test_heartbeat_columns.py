"""The Heartbeats table reads whole at 80x24: a missed heartbeat's open incident is never cut off,
today's times are shown by the minute and another day's with its date, and the plan (the last
column) keeps a readable name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.tui_prep.test_heartbeat_forms import _open_area, _plans
from widgets.formatting import near_time


def test_times_today_by_the_minute_another_day_with_its_date() -> None:
    now = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    assert near_time(now - timedelta(minutes=55), now, UTC) == "14:05"
    assert near_time(now + timedelta(days=1), now, UTC) == "03-03 15:00"
    assert near_time(None, now, UTC) == "–"


async def test_every_column_reads_whole_at_80_columns(client, make_app, clock) -> None:
    plan, _ = await _plans(client)
    await client.call("UpdateResponsePlan", {"arn": plan, "displayName": "API outage"})
    await client.call("CreateHeartbeat", {"name": "nightly-backup", "intervalSeconds": 86400,
                                          "responsePlanArn": plan, "impact": 2})
    await client.call("CreateHeartbeat", {"name": "billing-export", "intervalSeconds": 900,
                                          "responsePlanArn": plan, "impact": 3})
    await clock.advance(seconds=901)  # billing-export misses: an open incident
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_area(pilot)
        table = screen.table
        room = table.scrollable_content_region.width
        widths = {key.value: column.get_render_width(table) for key, column in table.columns.items()}
        assert sum(widths.values()) <= room, (widths, room)
        for key, column in table.columns.items():  # each whole; the last one takes what is left
            if key.value != "plan":
                assert column.get_render_width(table) >= column.content_width + 2 * table.cell_padding, key.value
        assert widths["plan"] - 2 * table.cell_padding >= len("api-outage")
        missed = [str(cell) for cell in table.get_row("billing-export")]
        assert missed[1:3] == ["MISSED", "open"] and missed[-1] == "api-outage", missed
