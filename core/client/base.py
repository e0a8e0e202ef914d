"""The Client protocol: the only way the cockpit reaches a core, local or remote."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol, runtime_checkable

from core.model.events import DomainEvent


@runtime_checkable
class Client(Protocol):
    async def call(self, name: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one operation; the dicts are those boto3 would send and receive."""
        ...

    def events(self) -> AsyncIterator[DomainEvent]:
        """Committed domain events from now on, in order."""
        ...

    async def aclose(self) -> None: ...
