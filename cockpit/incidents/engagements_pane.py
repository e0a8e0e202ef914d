"""The incident detail's Engagements tab: who was engaged, through which escalation plan, when,
and who acknowledged. Your own engagements (your user's linked contact) are marked "you"; `k`
acknowledges the selected page directly, as you (no code to hunt for; `:ack CODE` takes a code
read off a phone). Only an administrator may acknowledge someone else's page, and is asked first:
for anyone else `k` on it says whose it is instead of calling. A stopped engagement, and a row
with no page, say what to do instead. `g` engages someone else."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from cockpit.contacts.calls import contact_choices
from cockpit.feedback import describe_error
from cockpit.incidents.engage_form import PrepEngageForm
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.list_screen import Row
from core.errors import ServiceError
from core.model import events as ev
from core.model.incidents import impact_label
from widgets.formatting import EMPTY
from widgets.key_table import KeyTable


def short_time(value: Any, zone: Any) -> str:
    return EMPTY if value is None else value.astimezone(zone).strftime("%m-%d %H:%M")

COLUMNS = ["name", "via", "when", "ack", "state"]
LABELS = {"name": "Name", "via": "Escalation plan", "when": "Engaged", "ack": "Acknowledged",
          "state": "State"}
REFRESH_ON = frozenset({ev.ENGAGEMENT_STARTED, ev.ENGAGEMENT_STOPPED, ev.PAGE_ACCEPTED, ev.INCIDENT_UPDATED})


class EngagementTable(KeyTable):
    """`k` is the acknowledge key here, so only `j` and the arrows move."""

    K_MOVES_UP = False


def engagement_key(e: dict[str, Any]) -> str:
    return e.get("engagementArn") or f"waiting:{e.get('via')}:{e.get('stageIndex')}:{e['contactArn']}"


class EngagementsPane(Vertical):
    DEFAULT_CSS = """
    EngagementsPane { height: 1fr; }
    EngagementsPane EngagementTable { height: 1fr; }
    EngagementsPane #engagements-empty { height: auto; color: $text-muted; padding: 0 1; }
    """
    BINDINGS = [
        Binding("k", "acknowledge", "Acknowledge", id="engagement-ack",
                tooltip="Acknowledge the selected page as you: its escalation stops"),
        Binding("k", "not_yours", "Acknowledge", id="engagement-ack-not-yours", show=False,
                tooltip="Someone else's page: only they or an administrator may acknowledge it"),
        Binding("g", "engage", "Engage", id="engagement-start", tooltip="Engage another contact or escalation plan"),
    ]

    def __init__(self, incident_arn: str, title: str = "", impact: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.incident_arn = incident_arn
        self.incident_title = title
        self.incident_impact = impact
        self.engagements: dict[str, dict[str, Any]] = {}
        self.me: dict[str, Any] | None = None
        """GetCallerIdentity, asked once (None until it answers, or if it failed)."""

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
        if self.me is None:
            self.me = await self._call("GetCallerIdentity", {})
        found = await self._call("ListIncidentEngagements", {"incidentRecordArn": self.incident_arn})
        if found is None or self.screen.is_closing:  # type: ignore[attr-defined]
            return
        zone = self.app.settings.zone  # type: ignore[attr-defined]
        rows: list[Row] = []
        self.engagements = {}
        for e in found.get("engagements", []):
            key = engagement_key(e)
            self.engagements[key] = e
            when = e.get("engagedTime") or e.get("willEngageTime")
            prefix = "at " if e["state"] == "waiting" else ""
            name = f"{e['contactName']} (you)" if self.is_mine(e) else e["contactName"]
            rows.append((key, (name, e.get("via") or EMPTY, prefix + short_time(when, zone),
                               short_time(e.get("acknowledgedTime"), zone), e["state"])))
        with self.app.batch_update():
            self.query_one(EngagementTable).sync_rows(rows)
            self.query_one("#engagements-empty").display = not rows
        self.refresh_bindings()

    def is_mine(self, engagement: dict[str, Any]) -> bool:
        return self.me is not None and engagement["contactArn"] == self.me.get("contactArn")

    def _selected(self) -> dict[str, Any] | None:
        return self.engagements.get(self.query_one(EngagementTable).selected_key or "")

    def _refused(self) -> dict[str, Any] | None:
        """The selected engagement if it is someone else's and you may not acknowledge it (an
        administrator may acknowledge any page; an unknown identity is left to the core)."""
        engagement = self._selected()
        if (engagement is None or not engagement.get("pageArn") or engagement["state"] == "acknowledged"
                or self.me is None or self.me.get("role") == "admin" or self.is_mine(engagement)):
            return None
        return engagement

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "acknowledge":
            return None if self._refused() is not None else True  # shown dimmed: not yours
        if action == "not_yours":
            return self._refused() is not None
        return True

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    # ---- acknowledge ------------------------------------------------------------------------
    def action_acknowledge(self) -> None:
        engagement = self._selected()
        if engagement is not None and engagement["state"] == "acknowledged":
            self.app.flash(f"{engagement['contactName']} already acknowledged", "info")  # type: ignore[attr-defined]
            return
        if engagement is not None and engagement["state"] == "stopped":
            self.app.flash(f"{engagement['contactName']}'s engagement was stopped: there is nothing to "  # type: ignore[attr-defined]
                           "acknowledge", "warning")
            return
        if engagement is None or not engagement.get("pageArn"):
            self.app.flash(self._no_page(engagement), "warning")  # type: ignore[attr-defined]
            return
        if self.is_mine(engagement) or self.me is None:
            self.acknowledge(engagement)
            return
        # someone else's page, which only an administrator gets this far with: ask first
        name = engagement["contactName"]

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.acknowledge(engagement)

        self.app.push_screen(ConfirmModal(
            "Acknowledge someone else's page", f"Acknowledge {name}'s page as {self.me.get('name')}? "
            "Their escalation stops here.", "Acknowledge"), confirmed)

    @staticmethod
    def _no_page(engagement: dict[str, Any] | None) -> str:
        """What to do when the selected row has no page for k to acknowledge."""
        if engagement is None:
            return "select a row with state paged, then press k"
        if engagement.get("contactType") == "ESCALATION":
            return (f"{engagement['contactName']} is an escalation plan: it pages the people in its stages; "
                    "select one of their rows (state paged) and press k")
        if engagement["state"] == "waiting":
            return f"{engagement['contactName']} is not paged yet: press k on their row once it says paged"
        return f"{engagement['contactName']}'s page is not sent yet: press k once their row says paged"

    def action_not_yours(self) -> None:
        engagement = self._refused()
        if engagement is not None:
            self.app.flash(f"not yours: this is {engagement['contactName']}'s page; only they or an "  # type: ignore[attr-defined]
                           "administrator may acknowledge it", "warning")

    @work(exclusive=True, group="engagements-ack")
    async def acknowledge(self, engagement: dict[str, Any]) -> None:
        out = await self._call("AcknowledgePage", {"pageId": engagement["pageArn"]})
        if out is not None:
            self.app.flash(f"acknowledged {engagement['contactName']}'s page: their escalation stops here",  # type: ignore[attr-defined]
                           "success")
            self.reload()

    # ---- engage -----------------------------------------------------------------------------
    @work(exclusive=True, group="engagements-engage")
    async def action_engage(self) -> None:
        contacts = await contact_choices(self._call)
        if contacts is None:
            return
        self.app.push_screen(PrepEngageForm(self._engage, contacts, self.subject), self._engaged)

    async def _engage(self, request: dict[str, Any]) -> dict[str, Any]:
        return await self.app.client.call("StartEngagement", {  # type: ignore[attr-defined]
            **request, "Sender": "Incident Cockpit", "IncidentId": self.incident_arn})

    @property
    def subject(self) -> str:
        """An engagement's subject names the incident as a page does: ``2 High incident: title``."""
        if self.incident_impact is None:
            return self.incident_title
        return f"{impact_label(self.incident_impact)} incident: {self.incident_title}"

    def _engaged(self, engagement: dict[str, Any] | None) -> None:
        if engagement is not None:
            self.app.flash("engaged", "success")  # type: ignore[attr-defined]
            self.reload()
