"""Every preparation dialog with text typed into it, at 80x24 (and the `:` command line at both
sizes): what a responder sees while typing, on deterministic data (fake clock, fixed codes)."""

from __future__ import annotations

import pytest

from tests.tui_prep.conftest import press_id, settle
from tests.tui_prep.test_prep_snapshots import fixed_codes, snapshot_app  # noqa: F401 (fixture)

# scene -> (area, binding that opens the dialog, the field to type into (None: the focused one), keys)
DIALOGS = {
    "contact-editor": ("contacts", "contact-new", "#display-name", "Dana Scully"),
    "code-entry": ("contacts", "channel-activate", None, "1234"),
    "stage-editor": ("plans", "plan-new", "#alias", "night-escalation"),
    "rotation-editor": ("schedules", "rotation-new", "#name", "weekend"),
    "override-editor": ("schedules", "rotation-override", "#end", ("end", *["backspace"] * 5, *"18:30")),
    "schedule-contact-editor": ("contacts", "contact-edit", "#tags", "team=payments"),
    "response-plan-form": ("responseplans", "response-plan-new", "#name", "checkout-down"),
    "response-plan-runbook": ("responseplans", "response-plan-new", "#chat", "arn:aws:sns:us-east-1:111122223333:war-room"),
}


async def code_sent_again(pilot) -> None:
    """The demo's channels are activated, and an activated channel takes no code: the first one
    is deactivated and sent a new code, as after a changed address."""
    client = pilot.app.client
    contact = (await client.call("ListContacts", {"Type": "PERSONAL"}))["Contacts"][0]["ContactArn"]
    channel = (await client.call("ListContactChannels", {"ContactId": contact}))["ContactChannels"][0]
    await client.call("DeactivateContactChannel", {"ContactChannelId": channel["ContactChannelArn"]})
    await client.call("SendActivationCode", {"ContactChannelId": channel["ContactChannelArn"]})
    await settle(pilot)


async def schedule_selected(pilot) -> None:
    """The on-call schedule contact is the selected row (e opens its own form)."""
    table = pilot.app.screen.table
    table.move_cursor(row=next(i for i in range(table.row_count) if table.get_row_at(i)[2] == "oncall_schedule"))
    await settle(pilot)


PREPARE = {"code-entry": code_sent_again, "schedule-contact-editor": schedule_selected}
"""scene -> what the scene needs the seeded workspace to hold before the dialog opens."""


def typed(area: str, opener: str, field: str | None, keys, tmp_path, prepare=None):
    app, seed = snapshot_app(tmp_path, area)

    async def run_before(pilot) -> None:
        await seed(pilot)
        if prepare is not None:
            await prepare(pilot)
        await press_id(pilot, opener)
        if field is not None:
            pilot.app.screen.query_one(field).focus()
            await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return app, run_before


@pytest.mark.parametrize("scene", list(DIALOGS))
def test_dialog_with_text_typed(snap_compare, tmp_path, scene):
    app, run_before = typed(*DIALOGS[scene], tmp_path, PREPARE.get(scene))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_command_line_with_text_typed(snap_compare, tmp_path, size):
    app, seed = snapshot_app(tmp_path, "contacts")

    async def run_before(pilot) -> None:
        await seed(pilot)
        await press_id(pilot, "command-line")
        await pilot.press(*"ack 123456 on it")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
