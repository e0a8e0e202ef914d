"""Every column of the Audit screen reads whole at 80x24 (issue 8 item 14): ARNs as type/name
with generated ids cut short, today's times by the minute, who by name, failures marked on the
operation; the pane below gives the whole ARNs and `enter` opens the record in full."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.widgets import Static

from cockpit.audit.cells import operation_label, resource_label, time_label, who_label
from cockpit.audit.record_view import AuditRecordView
from tests.tui_prep.conftest import press_id
from tests.tui_prep.test_audit_screen import EVE, _history, _open, _record_text

ACCOUNT = "123456789012"


def test_arns_read_as_type_and_name() -> None:
    incident = f"arn:aws:ssm-incidents::{ACCOUNT}:incident-record/payments-down/0f3a9c1b22d84e6fb1c2d3e4f5a6b7c8"
    assert resource_label(incident) == "incident/payments-down/0f3a"
    assert resource_label(f"arn:aws:ssm-incidents::{ACCOUNT}:response-plan/api-outage") == "plan/api-outage"
    assert resource_label(f"arn:aws:ssm-contacts:local:{ACCOUNT}:contact/ana") == "contact/ana"
    page = f"arn:aws:ssm-contacts:local:{ACCOUNT}:page/ana/15f588d8-0695-41af-8abe-d24556802f74"
    assert resource_label(page) == "page/ana/15f5"
    assert resource_label(f"arn:aws:ssm-incidents::{ACCOUNT}:replication-set/9b2c4d6e8f0a1b3c5d7e") == "replication/9b2c"
    assert resource_label("5f0c2e4a-1b3d-4f6a-8c0e-2a4c6e8f0b1d") == "5f0c"  # a bare id (an override's)
    assert resource_label(None) == "–"
    long_name = f"arn:aws:ssm-contacts:local:{ACCOUNT}:rotation/{'x' * 40}"
    assert resource_label(long_name) == f"rotation/{'x' * 40}"  # the table's last column cuts it, with …


def test_times_names_and_failures_are_short() -> None:
    now = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    assert time_label(now - timedelta(minutes=55), now, UTC) == "14:05"
    assert time_label(now - timedelta(days=1), now, UTC) == "03-01"
    assert who_label(EVE) == "eve"
    assert who_label("arn:aws:iam::123456789012:user/a-very-long-user-name") == "a-very-long…"
    assert operation_label("StartIncident", "OK") == "StartIncident"
    assert operation_label("StartIncident", "ValidationException") == "✗ StartIncident"


async def test_every_column_reads_whole_at_80_columns(core, clock, ready, make_app):
    client, plan = ready
    a, _ = await _history(core, clock, plan)
    await client.call("UpdateResponsePlan", {"arn": plan, "displayName": "API outage, the long one"})
    for n in range(30):  # enough rows for the scroll bar to take its columns
        await client.call("CreateTimelineEvent", {"incidentRecordArn": a, "eventTime": clock.now(),
                                                  "eventType": "Custom Event", "eventData": f'"note {n}"'})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        table = screen.table
        room = table.scrollable_content_region.width
        widths = {key.value: column.get_render_width(table) for key, column in table.columns.items()}
        assert sum(widths.values()) <= room, (widths, room)  # nothing runs past the screen's edge
        for key, column in table.columns.items():  # each whole; the last one takes what is left
            if key.value != "resource":
                assert column.get_render_width(table) >= column.content_width + 2 * table.cell_padding, key.value
        assert widths["resource"] - 2 * table.cell_padding >= len("incident/api-outage/0000")
        for i in range(table.row_count):
            row = [str(cell) for cell in table.get_row_at(i)]
            assert not any(cell.endswith("…") for cell in row), row
        table.move_cursor(row=0)
        await pilot.pause()
        assert a in _record_text(screen).replace("\n", "")  # the whole ARN, folded at the edge


async def test_enter_opens_the_record_in_full(core, clock, ready, make_app):
    client, plan = ready
    a, _ = await _history(core, clock, plan)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)  # eve's UpdateIncidentRecord of A is selected
        await press_id(pilot, "audit-view")
        view = app.screen
        assert isinstance(view, AuditRecordView)
        record = str(view.query_one("#audit-view-record", Static).render()).replace("\n", "")
        for whole in (a, EVE, "OK", "local"):
            assert whole in record, whole
        assert "UpdateIncidentRecord" in str(view.query_one(".dialog-title").render())
        parameters = str(view.query_one("#audit-view-parameters", Static).render())
        assert '"impact": 1' in parameters and a in parameters.replace("\n", "")
        await press_id(pilot, "audit-view-close")
        assert app.screen is screen
        await pilot.press("j")
        await press_id(pilot, "audit-view")  # enter on another row: that record
        assert "StartIncident" in str(app.screen.query_one(".dialog-title").render())
