"""The Audit screen over LookupAuditEvents: every key and every button of the screen and of its
filter form, against a real core on fake time."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Checkbox, Input, Static

from cockpit.audit.filter_form import AuditFilterModal
from cockpit.audit.record_view import AuditRecordView
from cockpit.audit.screen import AuditScreen
from core.security.principals import Principal
from tests.tui_prep.conftest import press_id, settle

EVE = "arn:aws:iam::123456789012:user/eve"


async def _history(core, clock, plan):
    """admin starts A; two hours later eve starts B and raises A; admin reads A."""
    admin = core.client()
    eve = core.client(Principal(arn=EVE, name="eve", allowed_actions=frozenset({"ssm-incidents:*"})))
    a = (await admin.call("StartIncident", {"responsePlanArn": plan, "title": "A"}))["incidentRecordArn"]
    await clock.advance(hours=2)
    b = (await eve.call("StartIncident", {"responsePlanArn": plan, "title": "B"}))["incidentRecordArn"]
    await clock.advance(minutes=5)
    await eve.call("UpdateIncidentRecord", {"arn": a, "impact": 1})
    await admin.call("GetIncidentRecord", {"arn": a})
    return a, b


def _ops(screen: AuditScreen) -> list[str]:
    return [str(screen.table.get_row_at(i)[2]) for i in range(screen.table.row_count)]  # Operation


def _record_text(screen: AuditScreen) -> str:
    return str(screen.query_one("#audit-record", Static).render())


async def _open(app, pilot) -> AuditScreen:
    """Open the Audit area as a person does: `:audit`."""
    await settle(pilot)
    await press_id(pilot, "command-line")
    await pilot.press(*"audit", "enter")
    await settle(pilot)
    assert isinstance(app.screen, AuditScreen)
    return app.screen


async def test_changes_newest_first_with_the_selected_record_in_full(core, clock, ready, make_app):
    client, plan = ready
    a, _ = await _history(core, clock, plan)
    app = make_app(client)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        assert _ops(screen) == ["UpdateIncidentRecord", "StartIncident", "StartIncident",
                                "CreateResponsePlan", "CreateReplicationSet"]
        assert screen.table.get_row_at(0)[1] == "eve"
        record = _record_text(screen)
        assert f"by {EVE} from local, on\n{a}" in record
        await press_id(pilot, "audit-view")  # the record in full, its parameters too
        assert isinstance(app.screen, AuditRecordView)
        assert '"impact": 1' in str(app.screen.query_one("#audit-view-parameters", Static).render())
        await press_id(pilot, "audit-view-close")
        assert app.screen is screen
        assert "changes · any time · 5 shown" in str(screen.query_one("#audit-filters", Static).render())


async def test_pivot_keys_narrow_to_the_selected_records_resource_principal_operation(core, clock, ready, make_app):
    client, plan = ready
    a, b = await _history(core, clock, plan)
    app = make_app(client)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        await press_id(pilot, "audit-same-resource")  # on eve's UpdateIncidentRecord of A
        assert _ops(screen) == ["UpdateIncidentRecord", "StartIncident"]
        assert {r["resourceArn"] for r in screen.records.values()} == {a}
        await press_id(pilot, "audit-reads")
        with_reads = _ops(screen)  # the reads of A, this screen's own lookups of it among them
        assert "GetIncidentRecord" in with_reads and "LookupAuditEvents" in with_reads
        assert with_reads[-2:] == ["UpdateIncidentRecord", "StartIncident"]
        await press_id(pilot, "audit-reads")
        await press_id(pilot, "audit-clear")
        assert len(_ops(screen)) == 5
        await press_id(pilot, "audit-same-principal")
        assert _ops(screen) == ["UpdateIncidentRecord", "StartIncident"]
        assert {r["principal"] for r in screen.records.values()} == {EVE}
        await pilot.press("j")  # eve's StartIncident of B
        await press_id(pilot, "audit-clear")
        await pilot.press("j")
        await press_id(pilot, "audit-same-operation")
        assert _ops(screen) == ["StartIncident", "StartIncident"]
        assert {r["resourceArn"] for r in screen.records.values()} == {a, b}


async def test_time_window_more_and_reload(core, clock, ready, make_app):
    client, plan = ready
    a, _ = await _history(core, clock, plan)
    for n in range(50):
        await client.call("CreateTimelineEvent", {"incidentRecordArn": a, "eventTime": clock.now(),
                                                  "eventType": "Custom Event", "eventData": f'"note {n}"'})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        assert screen.table.row_count == 50 and screen.more_available
        await press_id(pilot, "audit-more")
        assert screen.table.row_count == 55 and not screen.more_available
        assert _ops(screen)[-1] == "CreateReplicationSet"
        await press_id(pilot, "audit-more")
        assert app.last_flash == ("audit: no older records", "info")
        await press_id(pilot, "audit-window")  # the last hour: A's start (2 h ago) drops out
        assert "the last hour" in str(screen.query_one("#audit-filters", Static).render())
        assert screen.table.row_count == 50 and screen.more_available
        for _ in range(3):  # the last 24 h, the last 7 days, any time again
            await press_id(pilot, "audit-window")
        assert screen.filter.window == 0
        # a refused call is audited but publishes no event: `r` brings it in
        assert (await app.client.call("ListIncidentRecords", {}))  # a read: not shown
        try:
            await client.call("StartIncident", {"responsePlanArn": plan, "impact": 9})
        except Exception:  # noqa: BLE001 (the refusal itself is what is audited)
            pass
        await press_id(pilot, "audit-reload")
        assert str(screen.table.get_row_at(0)[2]) == "✗ StartIncident"  # marked: it failed
        assert "StartIncident  ValidationException: " in _record_text(screen)


async def test_filter_form_applies_time_operation_principal_resource(core, clock, ready, make_app):
    client, plan = ready
    a, b = await _history(core, clock, plan)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await press_id(pilot, "audit-filter")
        form = app.screen
        assert isinstance(form, AuditFilterModal)
        await pilot.press(*"yesterday")  # From has focus
        await pilot.click("#submit")
        await settle(pilot)
        assert app.screen is form  # refused locally, the form stays open with what was typed
        assert "From: 'yesterday' is not a time" in str(form.query_one("#form-error", Static).render())
        assert form.query_one("#audit-from", Input).has_class("-invalid")
        form.query_one("#audit-from", Input).value = "3h"
        form.query_one("#audit-operation", Input).value = "StartIncident"
        form.query_one("#audit-principal", Input).value = EVE
        form.query_one("#audit-resource", Input).value = b
        await pilot.click("#submit")
        await settle(pilot)
        assert app.screen is screen
        assert _ops(screen) == ["StartIncident"]
        assert screen.filter.start == clock.now() - timedelta(hours=3)

        await press_id(pilot, "audit-filter")
        app.screen.query_one("#audit-principal", Input).value = ""
        app.screen.query_one("#audit-resource", Input).value = ""
        app.screen.query_one("#audit-from", Input).value = ""
        app.screen.query_one("#audit-changes", Checkbox).value = False
        app.screen.query_one("#audit-operation", Input).value = "GetIncidentRecord"
        await press_id(pilot, "form-submit")  # ctrl+s
        assert set(_ops(screen)) == {"GetIncidentRecord"}  # reads now: mine and the cockpit's own
        assert a in {r["resourceArn"] for r in screen.records.values()}

        await press_id(pilot, "audit-filter")
        app.screen.query_one("#audit-to", Input).value = "2020-01-01"
        await pilot.click("#cancel")
        await settle(pilot)
        await press_id(pilot, "confirm-yes")  # "Discard your changes?"
        assert app.screen is screen and screen.filter.end is None
        await press_id(pilot, "audit-filter")
        await press_id(pilot, "form-cancel")  # escape
        assert app.screen is screen
