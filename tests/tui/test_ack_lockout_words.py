"""The accept-code lockout in plain words that fit the flash line at 80 columns: the fifth wrong
code says code entry is now locked, and the next `:ack` says until when (local time), not the
core's whole sentence about principals and origins."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cockpit.build import build_app
from core.errors import ThrottlingException, from_dict
from tests.tui.test_error_words import flash_after


async def test_the_lockout_fits_one_line_and_says_until_when(ready, clock, settings) -> None:
    client, _ = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for i in range(1, 5):
            message = await flash_after(pilot, f"ack 99999{i}")
            assert message.startswith("No open page has that code; "), message
        assert await flash_after(pilot, "ack 999995") == "No open page has that code; code entry is now locked for 15m 00s"
        locked_at = clock.now()
        await clock.advance(minutes=1)
        message = await flash_after(pilot, "ack 999996")
        until = (locked_at + timedelta(minutes=15)).astimezone(app.settings.zone)
        assert message == f"Too many wrong codes: code entry is locked until {until:%H:%M} (in 14m 00s)", message
        assert len(message) <= 76  # 80 columns less the line's padding and mark


async def test_the_lockout_carries_its_retry_after_seconds(ready, clock) -> None:
    client, _ = ready
    for i in range(5):
        try:
            await client.call("AcceptPageByCode", {"acceptCode": f"99999{i}"})
        except Exception:  # noqa: BLE001 (the wrong codes being counted)
            pass
    await clock.advance(seconds=30)
    with pytest.raises(ThrottlingException) as locked:
        await client.call("AcceptPageByCode", {"acceptCode": "999999"})
    assert locked.value.details["RetryAfterSeconds"] == 15 * 60 - 30
    over_the_wire = from_dict(locked.value.to_dict())  # as a RemoteClient rebuilds it
    assert over_the_wire.details["RetryAfterSeconds"] == 15 * 60 - 30
