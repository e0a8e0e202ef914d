"""LocalClient: the in-process binding of the operation registry."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from core.model.events import DomainEvent
from core.ops.dispatch import dispatch
from core.security.principals import Principal
from core.security.visibility import visible_to

if TYPE_CHECKING:
    from core.runtime import Core


class LocalClient:
    def __init__(self, core: Core, principal: Principal, origin: str = "local") -> None:
        self._core = core
        self.principal = principal
        self.origin = origin

    async def call(self, name: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return await dispatch(self._core, self.principal, name, params or {}, self.origin)

    def events(self) -> AsyncIterator[DomainEvent]:
        """Committed events of the resources this client's principal may read."""
        principal = self.principal
        return self._core.bus.subscribe(lambda event: visible_to(principal, event))

    async def aclose(self) -> None:
        pass
