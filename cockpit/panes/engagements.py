"""The incident detail's Engagements tab: who was engaged, through which escalation plan, when,
and who acknowledged. `k` acknowledges a page with its code; `g` engages someone else."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from cockpit.feedback import describe_error
from cockpit.modals.prep_code import PrepCodeEntry
from cockpit.modals.prep_engage import PrepEngageForm
from cockpit.screens.prep_list import Row, apply_rows, selected_key
from core.errors import ServiceError
from widgets.formatting import EMPTY


def short_time(value: Any, zone: Any) -> str:
    return EMPTY if value is None else value.astimezone(zone).strftime("%m-%d %H:%M")

COLUMNS = ["name", "via", "when", "ack", "state"]
LABELS = {"name": "Name", "via": "Escalation plan", "when": "Engaged", "ack": "Acknowledged",
          "state": "State"}
REFRESH_ON = {"EngagementStarted", "EngagementStopped", "PageAccepted", "IncidentUpdated"}


class EngagementTable(DataTable):
    """`k` is the acknowledge key here, so only `j` and the arrows move."""

    BINDINGS = [Binding("j", "cursor_down", "Down", show=False, id="engagements-down", tooltip="Next row")]


def engagement_key(e: dict[str, Any]) -> str:
    return e.get("engagementArn") or f"waiting:{e.get('via')}:{e.get('stageIndex')}:{e['contactArn']}"


class EngagementsPane(Vertical):
    DEFAULT_CSS = """
    EngagementsPane { height: 1fr; }
    EngagementsPane EngagementTable { height: 1fr; }
    EngagementsPane #engagements-empty { height: auto; color: $text-muted; padding: 0 1; }
    """
    BINDINGS = [
        Binding("k", "acknowledge", "Acknowledge", id="engagement-ack", tooltip="Acknowledge the selected page with its code"),
        Binding("g", "engage", "Engage", id="engagement-start", tooltip="Engage another contact or escalation plan"),
    ]

    def __init__(self, incident_arn: str, title: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.incident_arn = incident_arn
        self.incident_title = title
        self.engagements: dict[str, dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        table = EngagementTable(id="engagements-table", cursor_type="row")
        for key in COLUMNS:
            table.add_column(LABELS[key], key=key)
        yield table
        yield Static("Nobody is engaged yet. Press g to engage a contact or escalation plan.", id="engagements-empty")

    def on_mount(self) -> None:
        self.app.domain_events.subscribe(self, self._on_event)  # type: ignore[attr-defined]
        self.reload()

    def _on_event(self, event: Any) -> None:
        if event.type in REFRESH_ON and (event.resource_arn == self.incident_arn
                                         or event.detail.get("incidentId") == self.incident_arn):
            self.reload()

    async def _call(self, operation: str, params: dict[str, Any]) -> dict[str, Any] | None:
        try:
            return await self.app.client.call(operation, params)  # type: ignore[attr-defined]
        except ServiceError as error:
            self.app.flash(describe_error(error), "error")  # type: ignore[attr-defined]
            return None

    @work(exclusive=True, group="engagements-load")
    async def reload(self) -> None:
        found = await self._call("ListIncidentEngagements", {"incidentRecordArn": self.incident_arn})
        if found is None:
            return
        zone = self.app.settings.zone  # type: ignore[attr-defined]
        rows: list[Row] = []
        self.engagements = {}
        for e in found.get("engagements", []):
            key = engagement_key(e)
            self.engagements[key] = e
            when = e.get("engagedTime") or e.get("willEngageTime")
            prefix = "at " if e["state"] == "waiting" else ""
            rows.append((key, (e["contactName"], e.get("via") or EMPTY, prefix + short_time(when, zone),
                               short_time(e.get("acknowledgedTime"), zone), e["state"])))
        with self.app.batch_update():
            apply_rows(self.query_one(EngagementTable), rows, COLUMNS)
            self.query_one("#engagements-empty").display = not rows

    # ---- acknowledge ------------------------------------------------------------------------
    def action_acknowledge(self) -> None:
        key = selected_key(self.query_one(EngagementTable))
        engagement = self.engagements.get(key or "")
        if engagement is None or not engagement.get("pageArn"):
            self.app.flash("select a paged engagement to acknowledge (waiting ones have no page yet)", "warning")  # type: ignore[attr-defined]
            return
        if engagement["state"] == "acknowledged":
            self.app.flash(f"{engagement['contactName']} already acknowledged", "info")  # type: ignore[attr-defined]
            return
        self.app.push_screen(PrepCodeEntry(f"Accept code sent to [b]{engagement['contactName']}[/]"),
                             lambda code: code and self.acknowledge(engagement, code))

    @work(exclusive=True, group="engagements-ack")
    async def acknowledge(self, engagement: dict[str, Any], code: str) -> None:
        if await self._call("AcceptPage", {"PageId": engagement["pageArn"], "AcceptType": "READ",
                                           "AcceptCode": code, "AcceptCodeValidation": "ENFORCE"}) is not None:
            self.app.flash(f"{engagement['contactName']} acknowledged", "success")  # type: ignore[attr-defined]
            self.reload()

    # ---- engage -----------------------------------------------------------------------------
    @work(exclusive=True, group="engagements-engage")
    async def action_engage(self) -> None:
        listed = await self._call("ListContacts", {"MaxResults": 100})
        if listed is None:
            return
        contacts = [(f"{c['Alias']} ({c['Type'].lower().replace('_', ' ')})", c["ContactArn"])
                    for c in listed.get("Contacts", [])]
        self.app.push_screen(PrepEngageForm(contacts, self.incident_title), lambda r: r and self.engage(r))

    @work(exclusive=True, group="engagements-engage-send")
    async def engage(self, request: dict[str, Any]) -> None:
        if await self._call("StartEngagement", {**request, "Sender": "Incident Cockpit",
                                                "IncidentId": self.incident_arn}) is not None:
            self.app.flash("engaged", "success")  # type: ignore[attr-defined]
            self.reload()
