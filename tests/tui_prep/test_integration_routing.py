"""Routing rules in the cockpit (issue 10): add, edit, reorder and delete an integration's rules
(EventBridge event patterns, each naming a response plan) and choose its default plan, each
saved at once through UpdateIntegration; a pattern the core's matcher refuses keeps the rule's
dialog open with what was typed and the error, naming the pattern's field, on the pattern."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from textual.widgets import Button, Select, Static, TextArea

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.integrations.forms import IntegrationForm
from cockpit.integrations.routing_form import RoutingModal, RuleForm
from cockpit.shell.confirm import ConfirmModal
from core import FakeClock
from core.ops import integrations
from tests.conftest import START
from tests.tui_prep.conftest import press_id, settings, settle


async def _prepared(client) -> dict[str, str]:
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    plans = {}
    for name in ("api", "db", "sec"):
        plans[name] = (await client.call("CreateResponsePlan", {
            "name": name, "incidentTemplate": {"title": f"{name} down", "impact": 3}}))["arn"]
    made = await client.call("CreateIntegration", {"name": "hub", "type": "eventbridge",
                                                   "responsePlanArn": plans["api"]})
    plans["integration"] = made["integration"]["integrationId"]
    return plans


async def _routing(client, plans) -> dict:
    return (await client.call("GetIntegration", {"integrationId": plans["integration"]}))["integration"]["routing"]


async def _open_routing(pilot) -> RoutingModal:
    app = pilot.app
    while len(app.screen_stack) > 1:
        app.pop_screen()
    app.switch_mode("integrations")
    await settle(pilot)
    await press_id(pilot, "integration-routing")
    assert isinstance(app.screen, RoutingModal), app.last_flash
    return app.screen


async def _fill_rule(pilot, pattern: str, plan: str | None) -> RuleForm:
    form = pilot.app.screen
    assert isinstance(form, RuleForm)
    form.query_one("#rule-pattern", TextArea).text = pattern
    if plan is not None:
        form.query_one("#rule-plan", Select).value = plan
    await settle(pilot)
    return form


def _error(screen) -> str:
    return str(screen.query_one("#form-error", Static).render())


async def test_add_edit_reorder_delete_rules_and_choose_the_default(client, clock, make_app):
    plans = await _prepared(client)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        routing = await _open_routing(pilot)
        await press_id(pilot, "routing-add")
        await _fill_rule(pilot, '{"source": ["aws.securityhub"]}', plans["sec"])
        await press_id(pilot, "form-submit")
        assert app.screen is routing, _error(app.screen)
        assert await _routing(client, plans) == {
            "rules": [{"pattern": {"source": ["aws.securityhub"]}, "responsePlanArn": plans["sec"]}],
            "defaultResponsePlanArn": plans["api"]}
        assert app.last_flash == ("rule 1 added", "success")

        await pilot.click("#rule-add")  # the button does the same as n
        await settle(pilot)
        form = await _fill_rule(pilot, '{"detail-type": "EC2 Instance State-change"}', plans["db"])
        await press_id(pilot, "form-submit")
        assert app.screen is form  # refused by the core's matcher: still open, with what was typed
        assert _error(form) == ("Event pattern: detail-type: a field's values are given as a list, "
                                'e.g. ["value"]'), _error(form)
        assert form.query_one("#rule-pattern", TextArea).has_class("-invalid")
        assert form.query_one("#rule-pattern", TextArea).text == '{"detail-type": "EC2 Instance State-change"}'
        assert len((await _routing(client, plans))["rules"]) == 1  # nothing half-saved
        form.query_one("#rule-pattern", TextArea).text = '{"detail-type": ["EC2 Instance State-change"]}'
        await press_id(pilot, "form-submit")
        assert app.screen is routing
        rules = (await _routing(client, plans))["rules"]
        assert [r["responsePlanArn"] for r in rules] == [plans["sec"], plans["db"]]
        table = routing.query_one("#rules")
        assert table.row_count == 2 and table.cursor_row == 1  # the new rule is selected

        await press_id(pilot, "routing-up")  # tried first now
        assert [r["responsePlanArn"] for r in (await _routing(client, plans))["rules"]] == [plans["db"], plans["sec"]]
        assert table.cursor_row == 0 and str(table.get_row_at(0)[2]) == "db"
        await press_id(pilot, "routing-down")
        assert [r["responsePlanArn"] for r in (await _routing(client, plans))["rules"]] == [plans["sec"], plans["db"]]
        await pilot.click("#rule-up")
        await settle(pilot)
        await pilot.click("#rule-down")
        await settle(pilot)
        assert [r["responsePlanArn"] for r in (await _routing(client, plans))["rules"]] == [plans["sec"], plans["db"]]

        table.move_cursor(row=0)
        await press_id(pilot, "routing-edit")
        form = app.screen
        assert isinstance(form, RuleForm)
        assert '"aws.securityhub"' in form.query_one("#rule-pattern", TextArea).text
        form.query_one("#rule-plan", Select).value = plans["api"]
        await press_id(pilot, "form-submit")
        assert (await _routing(client, plans))["rules"][0]["responsePlanArn"] == plans["api"]

        routing.query_one("#routing-default", Select).value = plans["db"]
        await settle(pilot)
        assert (await _routing(client, plans))["defaultResponsePlanArn"] == plans["db"]

        await press_id(pilot, "routing-delete")
        assert isinstance(app.screen, ConfirmModal)
        await press_id(pilot, "confirm-no")
        assert len((await _routing(client, plans))["rules"]) == 2
        await press_id(pilot, "routing-delete")
        await press_id(pilot, "confirm-yes")
        assert (await _routing(client, plans))["rules"] == [
            {"pattern": {"detail-type": ["EC2 Instance State-change"]}, "responsePlanArn": plans["db"]}]
        await pilot.click("#rule-delete")
        await settle(pilot)
        await press_id(pilot, "confirm-yes")
        assert await _routing(client, plans) == {"responsePlanArn": plans["db"]}  # no rules: the one plan
        assert table.row_count == 0
        await press_id(pilot, "routing-edit")
        assert _error(routing) == "No rule to edit: press n to add one."
        await press_id(pilot, "routing-close")
        assert app.screen is not routing


async def test_a_pattern_that_is_not_json_is_refused_in_the_dialog(client, clock, make_app):
    plans = await _prepared(client)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_routing(pilot)
        await press_id(pilot, "routing-add")
        form = await _fill_rule(pilot, '{"source": ["a"', plans["sec"])
        await press_id(pilot, "form-submit")
        assert _error(form).startswith("Event pattern: not JSON ("), _error(form)
        form = await _fill_rule(pilot, '{"source": ["a"]}', None)
        form.query_one("#rule-plan", Select).clear()
        await press_id(pilot, "form-submit")
        assert _error(form) == "Response plan: choose the plan this rule starts"
        assert form.query_one("#rule-plan", Select).has_class("-invalid")
        await press_id(pilot, "form-cancel")
        await press_id(pilot, "confirm-yes")  # "Discard your changes?"
        assert isinstance(app.screen, RoutingModal)
        assert await _routing(client, plans) == {"responsePlanArn": plans["api"]}


async def test_editing_the_integration_keeps_its_rules(client, clock, make_app):
    plans = await _prepared(client)
    rule = {"pattern": {"source": ["aws.securityhub"]}, "responsePlanArn": plans["sec"]}
    await client.call("UpdateIntegration", {"integrationId": plans["integration"],
                                            "routing": {"rules": [rule], "defaultResponsePlanArn": plans["api"]}})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        app.switch_mode("integrations")
        await settle(pilot)
        await press_id(pilot, "integration-edit")
        form = app.screen
        assert isinstance(form, IntegrationForm)
        assert form.query_one("#integration-plan", Select).value == plans["api"]  # the default plan
        form.query_one("#integration-plan", Select).value = plans["db"]
        await press_id(pilot, "form-submit")
        assert app.screen is not form
        assert await _routing(client, plans) == {"rules": [rule], "defaultResponsePlanArn": plans["db"]}


async def test_every_button_and_key_of_the_routing_dialogs(client, clock, make_app):
    plans = await _prepared(client)
    rule = {"pattern": {"source": ["x"]}, "responsePlanArn": plans["sec"]}
    await client.call("UpdateIntegration", {"integrationId": plans["integration"],
                                            "routing": {"rules": [rule, rule], "defaultResponsePlanArn": plans["api"]}})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        for dialog in (RoutingModal, RuleForm):

            async def opened(dialog=dialog):
                await _open_routing(pilot)
                if dialog is RuleForm:
                    await press_id(pilot, "routing-edit")
                assert isinstance(app.screen, dialog)
                return app.screen

            form = await opened()
            buttons = [b.id for b in form.query(Button) if b.id]
            assert buttons
            for binding_id in [b.id for b in dialog.BINDINGS if b.id]:
                await opened()
                await press_id(pilot, binding_id)  # a crash fails the test here
                assert app.return_code is None
            for button in buttons:
                form = await opened()
                form.query_one(f"#{button}").scroll_visible(animate=False)
                await settle(pilot)
                await pilot.click(f"#{button}")
                await settle(pilot)
                assert app.return_code is None


def _snapshot_app(tmp_path: Path, typed: str | None):
    clock = FakeClock(START)
    app = build_app(lambda: embedded_client(tmp_path / "ws", clock=clock), settings(), clock=clock)

    async def run_before(pilot) -> None:
        client = pilot.app.client
        await settle(pilot)
        pilot.app.flash("")
        plans = await _prepared(client)
        rules = [{"pattern": {"source": ["aws.securityhub"], "detail": {"findings": {"Severity": {"Label": [
            "CRITICAL", "HIGH"]}}}}, "responsePlanArn": plans["sec"]},
                 {"pattern": {"labels": {"severity": ["critical"]}}, "responsePlanArn": plans["db"]}]
        await client.call("UpdateIntegration", {"integrationId": plans["integration"],
                                                "routing": {"rules": rules, "defaultResponsePlanArn": plans["api"]}})
        await _open_routing(pilot)
        if typed is not None:
            await press_id(pilot, "routing-add")
            pilot.app.screen.query_one("#rule-pattern", TextArea).focus()
            await pilot.press(*typed)
            pilot.app.screen.query_one("#rule-plan", Select).value = plans["db"]
            await press_id(pilot, "form-submit")
        await settle(pilot)

    return app, run_before


@pytest.fixture
def stable_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """The intake URL (shown behind the dialog) holds the integration's id: stable ids, stable pictures."""
    ids = (f"snap{n:04d}" for n in itertools.count(1))
    monkeypatch.setattr(integrations, "_new_integration_id", lambda: next(ids))


def test_the_routing_dialog_snapshot(snap_compare, tmp_path, stable_ids):
    app, run_before = _snapshot_app(tmp_path, None)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_the_rule_dialog_with_a_refused_pattern_typed_in(snap_compare, tmp_path, stable_ids):
    app, run_before = _snapshot_app(tmp_path, '{"detail-type": "EC2 Instance State-change"}')
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_a_deleted_plan_still_shows_where_the_routing_names_it(client, clock, make_app):
    plans = await _prepared(client)
    rule = {"pattern": {"source": ["x"]}, "responsePlanArn": plans["sec"]}
    await client.call("UpdateIntegration", {"integrationId": plans["integration"],
                                            "routing": {"rules": [rule], "defaultResponsePlanArn": plans["api"]}})
    for name in ("api", "sec"):
        await client.call("DeleteResponsePlan", {"arn": plans[name]})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        routing = await _open_routing(pilot)
        assert routing.query_one("#routing-default", Select).value == plans["api"]
        await press_id(pilot, "routing-edit")
        assert app.screen.query_one("#rule-plan", Select).value == plans["sec"]
        await press_id(pilot, "form-cancel")
        await press_id(pilot, "routing-close")
        await press_id(pilot, "integration-edit")
        assert app.screen.query_one("#integration-plan", Select).value == plans["api"]
