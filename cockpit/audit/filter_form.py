"""The Audit screen's filter form: time window, operation, principal, resource, reads or not."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Label

from cockpit.audit.filters import WHEN_FORMAT, AuditFilter, parse_when
from cockpit.shell.modal import FormError, FormModal, text_of
from widgets.formatting import zone_name


class AuditFilterModal(FormModal[AuditFilter]):
    TITLE = "Filter the audit trail"
    SUBMIT_LABEL = "Apply"
    DEFAULT_CSS = """
    AuditFilterModal .audit-row { height: 3; }
    AuditFilterModal .audit-label { width: 10; padding-top: 1; }
    AuditFilterModal .audit-to-label { width: 4; padding-top: 1; }
    AuditFilterModal .audit-row Input { width: 1fr; }
    """

    def __init__(self, current: AuditFilter, now: datetime, zone: tzinfo | None,
                 operations: Iterable[str] = (), principals: Iterable[str] = ()) -> None:
        super().__init__(self._accept)
        self._current = current
        self._now = now
        self._zone = zone
        self._operations = sorted(set(operations))
        self._principals = sorted(set(principals))

    def compose_fields(self) -> ComposeResult:
        f = self._current
        zone = zone_name(self._zone, self._now)

        def when(value: datetime | None) -> str:
            return value.astimezone(self._zone).strftime(WHEN_FORMAT) if value else ""

        with Horizontal(classes="audit-row"):
            yield Label("From", classes="audit-label")
            yield Input(when(f.start), id="audit-from", placeholder="2h, 7d or YYYY-MM-DD HH:MM")
            yield Label(" to", classes="audit-to-label")
            yield Input(when(f.end), id="audit-to", placeholder=f"now ({zone})")
        with Horizontal(classes="audit-row"):
            yield Label("Operation", classes="audit-label")
            yield Input(f.operation, id="audit-operation", placeholder="any, e.g. UpdateIncidentRecord",
                        suggester=SuggestFromList(self._operations, case_sensitive=False))
        with Horizontal(classes="audit-row"):
            yield Label("Principal", classes="audit-label")
            yield Input(f.principal, id="audit-principal", placeholder="anyone (an ARN)",
                        suggester=SuggestFromList(self._principals, case_sensitive=False))
        with Horizontal(classes="audit-row"):
            yield Label("Resource", classes="audit-label")
            yield Input(f.resource, id="audit-resource", placeholder="any (an incident's, a contact's ARN...)")
        yield Checkbox("Changes only (leave out reads)", f.changes_only, id="audit-changes")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#audit-from", Input).focus()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, field_id in (("start", "audit-from"), ("end", "audit-to")):
            try:
                out[key] = parse_when(text_of(self.query_one(f"#{field_id}", Input)), self._now, self._zone)
            except ValueError as error:
                raise FormError(field_id, f"{'From' if key == 'start' else 'To'}: {error}") from None
        if out["start"] and out["end"] and out["start"] >= out["end"]:
            raise FormError("audit-to", "To must be later than From")
        for key in ("operation", "principal", "resource"):
            out[key] = text_of(self.query_one(f"#audit-{key}", Input))
        out["changes_only"] = self.query_one("#audit-changes", Checkbox).value
        return out

    async def _accept(self, values: dict[str, Any]) -> AuditFilter:
        return AuditFilter(**values)
