"""Error flashes lead with words, not an exception class, and fit one line at 80 columns."""

from __future__ import annotations

import pytest

from cockpit.build import build_app
from cockpit.feedback import describe_error
from tests.tui.helpers import press_binding, settle
from widgets.flash_line import FlashLine


async def flash_after(pilot, command: str) -> str:
    await press_binding(pilot, "command-line")
    await pilot.press(*command, "enter")
    await settle(pilot)
    await pilot.app.workers_idle()
    await settle(pilot)
    line = pilot.app.screen.query_one(FlashLine)
    shown = line.render_line(0).text.rstrip()
    assert not shown.endswith("…"), f"cut at {line.size.width} columns: {shown!r}"
    return line.message


@pytest.mark.parametrize(("command", "words"), [
    ("ack 12345", "An accept code has 6 digits"),
    ("ack 999999", "No open page has that code; 4 more wrong codes lock code entry for 15m 00s"),
])
async def test_ack_says_what_is_wrong_in_one_line(ready, clock, settings, command, words) -> None:
    client, _ = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        message = await flash_after(pilot, command)
        assert message.startswith(words), message
        assert "Exception" not in message and "pattern" not in message


async def test_a_validator_summary_becomes_each_field_in_words(client) -> None:
    with pytest.raises(Exception) as refused:
        await client.call("CreateRotation", {"Name": "r", "ContactIds": [], "TimeZoneId": "UTC",
                                             "Recurrence": {"RecurrenceMultiplier": 1,
                                                            "NumberOfOnCalls": 1, "DailySettings": []}})
    text = describe_error(refused.value)
    assert text.startswith("Contact ids: choose at least one"), text
    assert "Exception" not in describe_error(refused.value)
