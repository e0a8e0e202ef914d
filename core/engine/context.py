"""The unit of work an operation handler or timer handler runs in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.model.events import DomainEvent
from core.security.principals import Principal
from core.store import event_log
from core.store.db import Tx

if TYPE_CHECKING:
    from core.runtime import Core


@dataclass
class Context:
    core: Core
    tx: Tx
    principal: Principal
    origin: str = "local"
    source_ip: str | None = None
    now: datetime = field(init=False)  # the clock's time when the unit of work began
    resource_arn: str | None = field(default=None, init=False)
    _events: list[tuple[str, str | None, dict[str, Any]]] = field(default_factory=list, init=False)
    failure_writes: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list, init=False)
    _logged: list[DomainEvent] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.now = self.core.clock.now()
        self.tx.before_commit(self._log_events)
        self.tx.after_commit(self._publish)

    def emit(self, event_type: str, resource_arn: str | None = None, **detail: Any) -> None:
        """Queue a domain event: written to the event log in this transaction, published once
        it commits."""
        self._events.append((event_type, resource_arn, detail))

    def discard_events(self) -> None:
        """Forget the events queued so far: their writes were rolled back (to a savepoint)."""
        self._events.clear()

    def write_even_if_refused(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        """A statement that must commit even though the operation then answers an error
        (a wrong activation code still counts toward the lockout). It runs, after the
        rollback, in the transaction that audits the failure."""
        self.failure_writes.append((sql, params))

    async def _log_events(self) -> None:
        for event_type, arn, detail in self._events:
            self._logged.append(await event_log.append(self.tx, event_type, self.now, arn, detail))

    def _publish(self) -> None:
        for event in self._logged:
            self.core.bus.publish(event)

    @property
    def where(self) -> str:
        """The binding and, for a remote call, the address it came from: ``native 203.0.113.7``."""
        return f"{self.origin} {self.source_ip}" if self.source_ip else self.origin

    @property
    def account_id(self) -> str:
        return self.core.account_id

    @property
    def region(self) -> str:
        return self.core.region
