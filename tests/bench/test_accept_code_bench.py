"""Accept-code benchmark (``make bench``; figures printed, never asserted).

AcceptPageByCode compares the code with every open page's salted hash (no index can find a
salted hash), so its cost grows with the number of open pages: measured here with 500.
"""

from __future__ import annotations

import re
import time

from tests.support.contacts import personal_contact

OPEN_PAGES = 500


async def test_accept_by_code_among_many_open_pages(ready, clock):
    client, _ = ready
    dana, _ = await personal_contact(client, "dana", [("EMAIL", "dana@example.com")])
    started = time.perf_counter()
    for i in range(OPEN_PAGES):
        await client.call("StartEngagement", {"ContactId": dana, "Sender": "ops", "Subject": f"s{i}", "Content": "c"})
    engaged = time.perf_counter() - started
    await clock.advance(seconds=1)
    [message] = (await client.call("ListOutboxMessages", {"maxResults": 1, "channelType": "EMAIL"}))["messages"]
    code = re.search(r"Accept code: (\d{6})", message["body"]).group(1)
    started = time.perf_counter()
    await client.call("AcceptPageByCode", {"acceptCode": code})
    accepted = time.perf_counter() - started
    print(f"\nStartEngagement with up to {OPEN_PAGES} open pages: {engaged / OPEN_PAGES * 1000:.1f} ms each; "
          f"AcceptPageByCode among {OPEN_PAGES} open pages: {accepted * 1000:.1f} ms")
