"""``GET /v1/events``: the domain events a caller may read, as Server-Sent Events.

The first frame is ``event: ready`` with ``{"lastEventId": N}``: the stream carries every event
after N. If the log no longer holds the events right after N (older than its retention), an
``event: gap`` frame says so before the rest. Then each frame is ``id: <event log id>``, ``event: <type>``,
``data: <DomainEvent.to_dict() JSON>``.
A reconnect with ``Last-Event-ID`` (the header, or ``?lastEventId=`` for clients that cannot
set headers) first replays every logged event after that id, then continues live, so a
client never loses an update. The live subscription starts before the replay reads the log,
and an event already replayed is not sent twice. Every event goes through the caller's view
(core.security.visibility), live or replayed.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from core.errors import ValidationException
from core.events import Subscription
from core.model.events import DomainEvent
from core.security.visibility import visible_to
from core.server.auth import caller
from core.server.wire import error_response
from core.store import event_log

if TYPE_CHECKING:
    from core.runtime import Core

READY = "ready"
GAP = "gap"
KEEPALIVE_SECONDS = 15.0  # a comment line, so proxies and clients see a live connection
RETRY_MS = 1000


FRAME_CACHE = 256
# (seq, id(event)) -> (event, frame); holding the event keeps its id from being reused
_serialized: OrderedDict[tuple[int, int], tuple[DomainEvent, str]] = OrderedDict()


def frame(event: DomainEvent) -> str:
    """The event as an SSE frame, serialized once however many streams carry it (a view
    that returns a changed copy gets a frame of its own)."""
    key = (event.seq, id(event))
    cached = _serialized.get(key)
    if cached is not None:
        return cached[1]
    data = json.dumps(event.to_dict(), separators=(",", ":"), default=str)
    text = f"id: {event.seq}\nevent: {event.type}\ndata: {data}\n\n"
    _serialized[key] = (event, text)
    if len(_serialized) > FRAME_CACHE:
        _serialized.popitem(last=False)
    return text


def _last_event_id(request: Request) -> int | None:
    raw = request.headers.get("last-event-id") or request.query_params.get("lastEventId")
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise ValidationException(
            f"Last-Event-ID must be the id of an event this stream sent, not {raw[:40]!r}",
            fields=[{"name": "Last-Event-ID", "message": "not an event id"}],
        )
    return int(raw)


def ready_frame(after: int) -> str:
    """The first frame: where this stream starts (a client that gave no Last-Event-ID resumes
    from here after a reconnect, instead of from the beginning of the log)."""
    return f"retry: {RETRY_MS}\nevent: {READY}\ndata: {json.dumps({'lastEventId': after})}\n\n"


def gap_frame(after: int, oldest: int) -> str:
    """The log no longer holds what came right after ``after`` (it keeps RETENTION): the
    client missed changes it cannot be sent, and should read its state again."""
    return f"event: {GAP}\ndata: {json.dumps({'lastEventId': after, 'oldestEventId': oldest})}\n\n"


async def _frames(
    core: Core, subscription: Subscription, view, after: int, asked: int | None
) -> AsyncIterator[str]:
    try:
        yield ready_frame(after)
        oldest = await event_log.oldest_id(core.db)
        if asked is not None and asked > after:  # ahead of this log: the database was restored
            yield gap_frame(asked, oldest or after + 1)
        elif oldest is not None and after < oldest - 1:
            yield gap_frame(after, oldest)
        sent = after
        while True:
            batch = await event_log.since(core.db, sent)
            for event in batch:
                sent = event.seq
                shown = view(event)
                if shown is not None:
                    yield frame(shown)
            if len(batch) < event_log.REPLAY_BATCH:
                break
        pending = asyncio.ensure_future(anext(subscription, None))
        try:
            while True:
                done, _ = await asyncio.wait({pending}, timeout=KEEPALIVE_SECONDS)
                if not done:
                    yield ": keepalive\n\n"
                    continue
                event = pending.result()
                if event is None:  # the core is stopping
                    return
                pending = asyncio.ensure_future(anext(subscription, None))
                if event.seq <= sent:  # already replayed from the log
                    continue
                sent = event.seq
                yield frame(event)
        finally:
            pending.cancel()
    finally:
        await subscription.aclose()


def routes(core: Core) -> list[BaseRoute]:
    async def events(request: Request) -> Response:
        try:
            after = _last_event_id(request)
        except ValidationException as err:
            return error_response(err)
        principal = caller(request).principal
        asked = after
        last = await event_log.last_id(core.db)
        if after is None or after > last:  # from now: what the log holds now, and what follows
            after = last

        def view(event: DomainEvent) -> DomainEvent | None:
            return visible_to(principal, event)

        subscription = core.bus.subscribe(view)  # before the replay reads the log: no gap
        return StreamingResponse(
            _frames(core, subscription, view, after, asked),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return [Route("/v1/events", events, methods=["GET"])]
