"""On-call schedules: rotations, a 14-day shift preview with overrides applied, and overrides."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from cockpit.contacts.calls import people
from cockpit.schedules.recurrence import describe, hand_off_of
from cockpit.schedules.rotation_editor import (
    OverrideForm,
    PrepOverrideEditor,
    PrepRotationEditor,
    RotationForm,
    SavedRotation,
)
from cockpit.schedules.shifts import (
    PREVIEW_DAYS,
    SHIFT_COLUMNS,
    preview_shifts,
    preview_unsaved,
    shift_rows,
    when,
)
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.list_screen import PrepListScreen, Row
from core.errors import ServiceError
from core.model import events as ev
from widgets.formatting import alias_of
from widgets.key_table import KeyTable


class SchedulesScreen(PrepListScreen):
    CRUMB = "On-call schedules"
    COLUMNS = (("name", "Rotation"), ("members", "Members"), ("every", "Hand-off"), ("zone", "Zone"))
    EMPTY = "No rotations yet. Press n to create one."
    REFRESH_ON = frozenset({ev.ROTATION_CHANGED, ev.CONTACT_CHANGED})
    MUTATING_ACTIONS = frozenset({"new", "edit", "override", "delete", "drop_override"})
    DEFAULT_CSS = """
    SchedulesScreen #prep-table { height: 8; }
    SchedulesScreen #shifts { height: 1fr; }
    """
    BINDINGS = [
        Binding("n", "new", "New", id="rotation-new", tooltip="Create a rotation (and its on-call schedule)"),
        Binding("e", "edit", "Edit", id="rotation-edit", tooltip="Edit members, start and hand-off"),
        Binding("o", "override", "Override", id="rotation-override", tooltip="Put someone else on call for a while"),
        Binding("d", "delete", "Delete", id="rotation-delete", tooltip="Delete the rotation and its overrides"),
        Binding("x", "drop_override", "Drop override", id="override-delete",
                tooltip="Delete the override behind the selected overridden shift (asks first)"),
    ]

    def compose_extra(self) -> ComposeResult:
        yield Static(f"Shifts, next {PREVIEW_DAYS} days (UTC)", classes="prep-subtitle")
        table = KeyTable(id="shifts")
        for key in SHIFT_COLUMNS:
            table.add_column({"who": "On call"}.get(key, key.title()), key=key)
        yield table

    async def load_rows(self) -> list[Row] | None:
        page = await self.call("ListRotations", {"MaxResults": 100})
        if page is None:
            return None
        rows: list[Row] = []
        for r in page.get("Rotations", []):
            rows.append((r["RotationArn"], (r["Name"], ", ".join(alias_of(c) for c in r.get("ContactIds", [])),
                                            describe(r.get("Recurrence", {})), r.get("TimeZoneId", ""))))
        return rows

    def rows_loaded(self) -> None:
        self.load_shifts(self.selected)

    @on(DataTable.RowHighlighted, "#prep-table")
    def _rotation_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.load_shifts(event.row_key.value)

    @work(exclusive=True, group="schedules-shifts")
    async def load_shifts(self, rotation: str | None) -> None:
        rows: list[Row] = []
        if rotation:
            shifts = await preview_shifts(self.call, rotation, self.app.now())
            if shifts is None:
                return
            rows = shift_rows(shifts)
        with self.app.batch_update():
            self.query_one("#shifts", KeyTable).sync_rows(rows, ordered=True)

    # ---- actions ----------------------------------------------------------------------------
    @work(exclusive=True, group="schedules-edit")
    async def action_new(self) -> None:
        members = await people(self.call)
        if members is not None:
            self.app.push_screen(PrepRotationEditor(partial(self._save, None), members, self.app.now(),
                                                    preview=partial(self._preview, None)), self._saved)

    @work(exclusive=True, group="schedules-edit")
    async def action_edit(self) -> None:
        arn = self.selected
        members = await people(self.call)
        rotation = await self.call("GetRotation", {"RotationId": arn}) if arn else None
        if members is None or rotation is None:
            return
        form = RotationForm(rotation["Name"], rotation["ContactIds"], _parse(rotation["StartTime"]),
                            rotation["TimeZoneId"], hand_off_of(rotation["Recurrence"]))
        self.app.push_screen(PrepRotationEditor(partial(self._save, arn), members, self.app.now(), form,
                                                preview=partial(self._preview, arn)), self._saved)

    async def _preview(self, arn: str | None, form: RotationForm) -> list[dict[str, Any]]:
        """The shifts ``form`` would make; a refusal raises (the editor shows it on the field)."""
        return await preview_unsaved(self.app.client.call, arn, form.body(), self.app.now()) or []

    async def _save(self, arn: str | None, form: RotationForm) -> SavedRotation:
        """Create (with its on-call schedule contact, if named) or update; all or nothing."""
        call = self.app.client.call
        body = form.body()
        if arn is not None:
            await call("UpdateRotation", {"RotationId": arn, **body})
            return form.name, arn
        made = await call("CreateRotation", {"Name": form.name, **body})
        if form.schedule_alias:
            try:
                await call("CreateContact", {
                    "Alias": form.schedule_alias, "DisplayName": form.schedule_alias, "Type": "ONCALL_SCHEDULE",
                    "Plan": {"Stages": [], "RotationIds": [made["RotationArn"]]}})
            except ServiceError:
                with suppress(ServiceError):
                    await call("DeleteRotation", {"RotationId": made["RotationArn"]})
                raise
        return form.name, made["RotationArn"]

    @work(exclusive=True, group="schedules-edit")
    async def action_drop_override(self) -> None:
        rotation, shift = self.selected, self.query_one("#shifts", KeyTable).selected_key
        start, end, kind = (shift or "||").split("|")
        if rotation is None or kind != "OVERRIDDEN":
            self.flash("select an overridden shift in the list of shifts to delete its override", "warning")
            return
        start_at, end_at = datetime.fromisoformat(start), datetime.fromisoformat(end)
        found = await self.call("ListRotationOverrides", {"RotationId": rotation, "StartTime": start_at,
                                                          "EndTime": end_at})
        if found is None:
            return
        override = next((o for o in found.get("RotationOverrides", [])
                         if _parse(o["StartTime"]) <= start_at < _parse(o["EndTime"])), None)
        if override is None:
            self.flash("no override covers that shift any more", "warning")
            self.load_shifts(rotation)
            return
        who = ", ".join(alias_of(c) for c in override.get("NewContactIds", [])) or "nobody"
        question = (f"Delete the override that puts {who} on call from {when(override['StartTime'])} "
                    f"to {when(override['EndTime'])} (UTC)? The regular shifts come back.")
        self.app.push_screen(ConfirmModal("Delete override", question, "Delete"),
                             lambda yes: yes and self.drop_override(rotation, override["RotationOverrideId"]))

    @work(exclusive=True, group="schedules-change")
    async def drop_override(self, rotation: str, override_id: str) -> None:
        if await self.call("DeleteRotationOverride", {"RotationId": rotation, "RotationOverrideId": override_id}) is not None:
            self.flash("override deleted", "success")
            self.load_shifts(rotation)

    def _saved(self, saved: SavedRotation | None) -> None:
        if saved is not None:
            name, arn = saved
            self.flash(f"saved rotation {name}", "success")
            self.show_saved(arn)

    @work(exclusive=True, group="schedules-edit")
    async def action_override(self) -> None:
        arn = self.selected
        members = await people(self.call)
        if arn is None or members is None:
            self.flash("no rotation selected", "warning") if arn is None else None
            return
        start = self.app.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        self.app.push_screen(PrepOverrideEditor(partial(self._add_override, arn), members, start,
                                                start + timedelta(hours=8)),
                             lambda saved: self._override_added(arn) if saved else None)

    async def _add_override(self, arn: str, form: OverrideForm) -> str:
        await self.app.client.call("CreateRotationOverride", {"RotationId": arn, "NewContactIds": form.members,
                                                              "StartTime": form.start, "EndTime": form.end})
        return arn

    def _override_added(self, arn: str) -> None:
        self.flash("override added", "success")
        self.load_shifts(arn)

    def action_delete(self) -> None:
        arn = self.selected
        if arn is not None:
            self.app.push_screen(ConfirmModal("Delete rotation", f"Delete rotation {self.table.get_row(arn)[0]} and its overrides?", "Delete"),
                                 lambda yes: yes and self.delete(arn))

    @work(exclusive=True, group="schedules-delete")
    async def delete(self, arn: str) -> None:
        if await self.call("DeleteRotation", {"RotationId": arn}) is not None:
            self.flash("rotation deleted", "success")
            self.reload()


def _parse(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
