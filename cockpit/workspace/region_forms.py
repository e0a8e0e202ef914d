"""Settings' replica-region forms: add a region (one the configuration names) and delete one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label, Select, Static

from cockpit.shell.modal import FormModal, text_of

ADD_FIELD = "actions[0].addRegionAction"
DELETE_FIELD = "actions[0].deleteRegionAction.regionName"


class AddRegionModal(FormModal[str]):
    """Adds a replica region through ``submit`` ({"region", "sseKmsKeyId"?}); closes with it."""

    TITLE = "Add a replica region"
    SUBMIT_LABEL = "Add region"
    FIELD_IDS = {f"{ADD_FIELD}.regionName": "region", f"{ADD_FIELD}.sseKmsKeyId": "kms-key"}

    def __init__(self, regions: list[str], submit: Callable[[dict[str, Any]], Awaitable[str]]) -> None:
        super().__init__(submit)
        self.regions = regions

    def compose_fields(self) -> ComposeResult:
        yield Label("Region (the replica regions this site's configuration names)", classes="field-label")
        yield Select([(r, r) for r in self.regions], value=self.regions[0], allow_blank=False, id="region")
        yield Label("Encryption key, by name in the key directory (empty: the workspace's own)",
                    classes="field-label")
        yield Input(id="kms-key", placeholder="empty: the owned key")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#region", Select).focus()

    def values(self) -> dict[str, Any]:
        key = text_of(self.query_one("#kms-key", Input))
        return {"region": self.query_one("#region", Select).value, **({"sseKmsKeyId": key} if key else {})}


class DeleteRegionModal(FormModal[str]):
    """Deletes a replica region through ``submit`` ({"region"}); its red button is the question."""

    TITLE = "Delete a replica region"
    SUBMIT_LABEL = "Delete region"
    FIELD_IDS = {DELETE_FIELD: "region"}

    def __init__(self, regions: list[str], submit: Callable[[dict[str, Any]], Awaitable[str]]) -> None:
        super().__init__(submit)
        self.regions = regions

    def compose_fields(self) -> ComposeResult:
        yield Label("Region", classes="field-label")
        yield Select([(r, r) for r in self.regions], value=self.regions[0], allow_blank=False, id="region")
        yield Static("The region stops receiving copies of this workspace; the copy it holds is left "
                     "where it is. A region can be deleted 24 hours after it was added.", classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#submit").variant = "error"
        self.query_one("#region", Select).focus()

    def values(self) -> dict[str, Any]:
        return {"region": self.query_one("#region", Select).value}
