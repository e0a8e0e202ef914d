"""RemoteClient: the Client protocol over HTTP, against a core run by `cockpit serve`.

* ``call`` posts the operation's dict to ``POST /v1/{Operation}`` (the native binding) with
  ``Authorization: Bearer KEY:SECRET`` and answers what LocalClient answers: the same dicts
  (aware datetimes for timestamps), and the same ServiceError classes for errors.
* ``events`` reads ``GET /v1/events`` (Server-Sent Events). When the stream breaks, or the core
  refuses it (a disabled user), it yields a ``ConnectionLost`` event (``reason`` says why) and
  reconnects with backoff sending ``Last-Event-ID``, so the core replays what was missed, then
  yields ``ConnectionRestored`` and the missed events in order.
* A call made while the stream is down, or that cannot reach the core, fails at once with
  ``CoreUnreachableException`` saying the call was not sent; a call whose connection broke
  after it was sent says it may have run. No call is ever dropped silently.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
from httpx_sse import SSEError, aconnect_sse

from core import errors
from core.clock import Clock, SystemClock
from core.model.events import CONNECTION_LOST, CONNECTION_RESTORED, EVENTS_MISSED, DomainEvent
from core.timeutil import parse_timestamp

BACKOFF_SECONDS = (0.2, 0.5, 1.0, 2.0, 5.0)
READY = "ready"  # the stream's first frame: {"lastEventId": N}, where it starts
GAP = "gap"  # the core's log no longer holds some of the events missed
CALL_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
STREAM_TIMEOUT = httpx.Timeout(5.0, read=45.0)  # the server sends a keepalive every 15 s
_ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00$")


class CoreUnreachableException(errors.ServiceError):
    """The core could not be reached (or the connection broke during the call)."""

    code = "CoreUnreachableException"
    http_status = 503


def _error(status: int, text: str) -> errors.ServiceError:
    """The error the core answered, as the ServiceError LocalClient would have raised."""
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if not isinstance(body, dict) or "__type" not in body:
        return errors.InternalServerException(f"the core answered HTTP {status}: {text[:200]}")
    code = str(body["__type"]).rsplit("#", 1)[-1]
    return errors.from_dict({**body, "code": code, "message": str(body.get("message") or code)})


def _datetimes(value: Any) -> Any:
    """The native binding sends timestamps as ISO 8601 UTC text; callers get aware datetimes,
    as from LocalClient."""
    if isinstance(value, dict):
        return {k: _datetimes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_datetimes(v) for v in value]
    if isinstance(value, str) and _ISO_UTC.match(value):
        return parse_timestamp(value)
    return value


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be sent to the core")


def _event(data: str) -> DomainEvent:
    raw = json.loads(data)
    return DomainEvent(
        int(raw["seq"]), raw["type"], parse_timestamp(raw["time"]), raw.get("resourceArn"), raw.get("detail") or {}
    )


class RemoteClient:
    def __init__(
        self,
        url: str,
        access_key_id: str,
        secret_access_key: str,
        *,
        clock: Clock | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self._auth = {"Authorization": f"Bearer {access_key_id}:{secret_access_key}"}
        self._clock = clock or SystemClock()
        self._http = httpx.AsyncClient(base_url=self.url, transport=transport, timeout=CALL_TIMEOUT)
        self.connected = True
        """False while the event stream is down and reconnecting (calls then fail at once)."""
        self.last_event_id: int | None = None
        """The id of the last event seen; a reconnect resumes after it (set on first connect)."""

    def _unreachable(self, name: str, why: str, *, sent: bool) -> CoreUnreachableException:
        outcome = (
            f"the connection broke after {name} was sent: it may have run; check before retrying"
            if sent
            else f"{name} was not sent"
        )
        return CoreUnreachableException(f"cannot reach the core at {self.url} ({why}): {outcome}")

    async def call(self, name: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        if not self.connected:
            raise self._unreachable(name, "reconnecting", sent=False)
        body = json.dumps(params or {}, default=_encode)
        headers = {**self._auth, "Content-Type": "application/json"}
        try:
            response = await self._http.post(f"/v1/{name}", content=body, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise self._unreachable(name, type(exc).__name__, sent=False) from None
        except httpx.TransportError as exc:
            raise self._unreachable(name, type(exc).__name__, sent=True) from None
        if response.status_code >= 300:
            raise _error(response.status_code, response.text)
        return _datetimes(response.json()) if response.content else {}

    async def events(self) -> AsyncIterator[DomainEvent]:
        """Events from now on, across reconnects, none lost and none twice."""
        attempt = 0
        lost_at = self.last_event_id or 0
        while True:
            headers = dict(self._auth)
            if self.last_event_id is not None:
                headers["Last-Event-ID"] = str(self.last_event_id)
            try:
                async with aconnect_sse(
                    self._http, "GET", "/v1/events", headers=headers, timeout=STREAM_TIMEOUT
                ) as source:
                    if source.response.status_code >= 300:
                        await source.response.aread()
                        raise _error(source.response.status_code, source.response.text)
                    if not self.connected:
                        self.connected = True
                        attempt = 0
                        yield DomainEvent(lost_at, CONNECTION_RESTORED, self._clock.now(), None, {"url": self.url})
                    async for message in source.aiter_sse():
                        if message.event == READY:  # where this stream starts, and a reconnect resumes
                            self.last_event_id = int(json.loads(message.data)["lastEventId"])
                            continue
                        if message.event == GAP:
                            yield DomainEvent(self.last_event_id, EVENTS_MISSED, self._clock.now(), None,
                                              json.loads(message.data))
                            continue
                        if not message.data or not message.id:
                            continue
                        event = _event(message.data)
                        if self.last_event_id is not None and event.seq <= self.last_event_id:
                            continue
                        self.last_event_id = event.seq
                        yield event
            except (httpx.TransportError, SSEError) as exc:
                why = type(exc).__name__
            except errors.ServiceError as err:  # refused (a disabled user, a deleted key): keep trying
                why = f"{err.code}: {err.message}"
            else:
                why = "the core closed the stream"
            if self.connected:
                self.connected = False
                lost_at = self.last_event_id or 0
                yield DomainEvent(lost_at, CONNECTION_LOST, self._clock.now(), None, {"url": self.url, "reason": why})
            await self._clock.sleep(BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS) - 1)])
            attempt += 1

    async def aclose(self) -> None:
        await self._http.aclose()
