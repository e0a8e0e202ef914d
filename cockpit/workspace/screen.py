"""Settings: the replication set, deletion protection, and each paging provider's status (from
``DescribeWorkspace``) with its latest delivery from the outbox."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from cockpit.feedback import describe_error
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.screen import CockpitScreen
from cockpit.workspace.region_forms import AddRegionModal, DeleteRegionModal
from cockpit.workspace.replication import create_replication_set
from core.errors import ServiceError
from core.model import events as ev
from widgets.formatting import local_time


class SettingsScreen(CockpitScreen):
    CRUMB = "Settings"
    MUTATING_ACTIONS = frozenset({"create_set", "protection", "add_region", "delete_region", "delete_set"})
    DEFAULT_CSS = """
    SettingsScreen #settings-body { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("c", "create_set", "Create set", id="replication-create", tooltip="Create the replication set (this site)"),
        Binding("p", "protection", "Protection", id="deletion-protection", tooltip="Turn deletion protection on or off"),
        Binding("a", "add_region", "Add region", id="region-add",
                tooltip="Add a replica region (one the configuration names)"),
        Binding("x", "delete_region", "Drop region", id="region-delete", tooltip="Delete a replica region"),
        Binding("D", "delete_set", "Delete set", id="replication-delete",
                tooltip="Delete the replication set and every incident record (asks first; refused while protected)"),
        Binding("r", "reload", "Reload", id="settings-reload", tooltip="Read the settings again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.replication_set: dict[str, Any] | None = None
        self.workspace: dict[str, Any] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("Loading…", id="settings-body")

    def on_mount(self) -> None:
        super().on_mount()
        self.action_reload()

    def reload_data(self) -> None:
        self.action_reload()

    def on_domain_event(self, event) -> None:
        if event.type in (ev.REPLICATION_SET_CHANGED, ev.OUTBOX_MESSAGE_CHANGED):
            self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "create_set" and self.replication_set is not None:
            return False
        if action in ("protection", "add_region", "delete_region", "delete_set") and self.replication_set is None:
            return False
        return super().check_action(action, parameters)

    @work(exclusive=True, group="settings-load")
    async def action_reload(self) -> None:
        workspace = await self.call("DescribeWorkspace", {})
        if workspace is None:
            return
        self.workspace = workspace
        arn = workspace.get("replicationSetArn")
        got = await self.call("GetReplicationSet", {"arn": arn}) if arn else None
        self.replication_set = (got or {}).get("replicationSet")
        outbox = await self.call("ListOutboxMessages", {"maxResults": 100}) or {}
        self.query_one("#settings-body", Static).update(self.render_settings(outbox.get("messages", [])))
        self.refresh_bindings()

    def render_settings(self, messages: list[dict[str, Any]]) -> str:
        zone = self.app.settings.zone
        ws = self.workspace
        replicas = ", ".join(ws.get("replicaRegions") or []) or "none configured"
        lines = ["[b]Replication set[/]", f"  this site's region {ws.get('region', '?')} · replica regions: {replicas}"]
        rs = self.replication_set
        if rs is None:
            lines.append("  none yet: press c to create it (or run the Get prepared wizard, :prepare)")
        else:
            lines.append(f"  created {local_time(rs.get('createdTime'), zone)}")
            lines.append(f"  status {rs['status']} · deletion protection "
                         f"{'[b]on[/]' if rs.get('deletionProtected') else 'off'} (p toggles)")
            lines.append("  a adds a replica region, x deletes one · D deletes the whole set")
            for region, info in rs.get("regionMap", {}).items():
                lines.append(f"  region {region}: {info.get('status')}")
        lines += ["", "[b]Paging providers[/]"]
        latest: dict[str, dict[str, Any]] = {}
        for m in messages:
            latest.setdefault(m["channelType"], m)
        for kind, provider in (ws.get("providers") or {}).items():
            status = "[b]configured[/]" if provider.get("configured") else "not configured"
            m = latest.get(kind)
            if m is None:
                last = "no delivery yet"
            else:
                error = f" · {m['lastError']}" if m.get("lastError") else ""
                last = f"last {m['status']} {local_time(m.get('sentTime') or m.get('createdTime'), zone)}{error}"
            lines.append(f"  {kind:<7} {provider.get('name', '?')} ({status}) · {last}")
            lines.append(f"          [dim]→ {provider.get('target', '?')}[/]")
        return "\n".join(lines)

    @work(exclusive=True, group="settings-change")
    async def action_create_set(self) -> None:
        try:
            await create_replication_set(self.app.client)
        except ServiceError as error:
            self.flash(describe_error(error), "error")
            return
        self.flash("replication set created", "success")
        self.action_reload()

    def action_protection(self) -> None:
        rs = self.replication_set
        if rs is None:
            return
        turning_off = bool(rs.get("deletionProtected"))
        if turning_off:
            self.app.push_screen(ConfirmModal("Deletion protection", "Turn deletion protection off? The replication set could then be deleted.", "Turn off"),
                                 lambda yes: yes and self.set_protection(rs["arn"], False))
        else:
            self.set_protection(rs["arn"], True)

    def _regions_in_set(self) -> list[str]:
        return sorted((self.replication_set or {}).get("regionMap", {}))

    def action_add_region(self) -> None:
        rs = self.replication_set
        if rs is None:
            return
        addable = [r for r in self.workspace.get("replicaRegions") or [] if r not in self._regions_in_set()]
        if not addable:
            self.flash("no region left to add: config.yaml's replicas: lists "
                       + (", ".join(self.workspace.get("replicaRegions") or []) or "none"), "warning")
            return

        async def add(values: dict[str, Any]) -> str:
            action = {"regionName": values["region"], **({"sseKmsKeyId": values["sseKmsKeyId"]}
                                                         if "sseKmsKeyId" in values else {})}
            await self.app.client.call("UpdateReplicationSet", {"arn": rs["arn"], "actions": [{"addRegionAction": action}]})
            return values["region"]

        self.app.push_screen(AddRegionModal(addable, add), self._region_changed("added"))

    def action_delete_region(self) -> None:
        rs = self.replication_set
        if rs is None:
            return
        deletable = [r for r in self._regions_in_set() if r != self.workspace.get("region")]
        if not deletable:
            self.flash("no replica region to delete: this site's region stays (D deletes the set)", "warning")
            return

        async def delete(values: dict[str, Any]) -> str:
            await self.app.client.call("UpdateReplicationSet", {
                "arn": rs["arn"], "actions": [{"deleteRegionAction": {"regionName": values["region"]}}]})
            return values["region"]

        self.app.push_screen(DeleteRegionModal(deletable, delete), self._region_changed("deleted"))

    def _region_changed(self, what: str):
        def done(region: str | None) -> None:
            if region:
                self.flash(f"replica region {region} {what}", "success")
                self.action_reload()
        return done

    def action_delete_set(self) -> None:
        rs = self.replication_set
        if rs is None:
            return
        if rs.get("deletionProtected"):
            self.flash("deletion protection is on: p turns it off, then D deletes", "error")
            return
        self.app.push_screen(ConfirmModal(
            "Delete the replication set",
            "Delete the replication set, and with it every incident, timeline, related item and response "
            "plan of this workspace? The audit trail stays. This cannot be undone.", "Delete everything"),
            lambda yes: yes and self.delete_set(rs["arn"]))

    @work(exclusive=True, group="settings-change")
    async def delete_set(self, arn: str) -> None:
        if await self.call("DeleteReplicationSet", {"arn": arn}) is not None:
            self.flash("replication set deleted: :prepare sets the workspace up again", "success")
            self.action_reload()

    @work(exclusive=True, group="settings-change")
    async def set_protection(self, arn: str, on: bool) -> None:
        if await self.call("UpdateDeletionProtection", {"arn": arn, "deletionProtected": on}) is not None:
            self.flash(f"deletion protection {'on' if on else 'off'}", "success")
            self.action_reload()
