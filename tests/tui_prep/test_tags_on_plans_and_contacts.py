"""Tags on response plans and contacts, from their forms: set on create, shown and changed on
edit (keys removed, values replaced), and a tag that is not key=value refused on the field."""

from __future__ import annotations

from textual.widgets import Input, Static

from cockpit.contacts.editor import PrepContactEditor
from cockpit.responseplans.editor import PrepResponsePlanForm
from tests.tui_prep.conftest import press_id, settle
from tests.tui_prep.test_forms_keep_work import open_form


def _fill(form, values: dict[str, str]) -> None:
    for selector, value in values.items():
        form.query_one(selector, Input).value = value


def _error(form) -> str:
    return str(form.query_one("#form-error", Static).render())


async def test_response_plan_tags(client, clock, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "responseplans", "response-plan-new", PrepResponsePlanForm)
        _fill(form, {"#name": "payments", "#title": "Payments down", "#tags": "team=payments, oops"})
        await press_id(pilot, "plan-form-save")
        assert app.screen is form and "Tags: 'oops' is not key=value" in _error(form)
        assert form.query_one("#tags", Input).has_class("-invalid")
        _fill(form, {"#tags": "team=payments, tier=1"})
        await press_id(pilot, "plan-form-save")
        assert app.screen is not form
        arn = (await client.call("ListResponsePlans", {}))["responsePlanSummaries"][0]["arn"]
        assert (await client.call("ListTagsForResource", {"resourceArn": arn}))["tags"] == {"team": "payments", "tier": "1"}

        await settle(pilot)
        await press_id(pilot, "response-plan-edit")
        form = app.screen
        assert isinstance(form, PrepResponsePlanForm)
        assert form.query_one("#tags", Input).value == "team=payments, tier=1"
        _fill(form, {"#tags": "team=checkout"})
        await press_id(pilot, "plan-form-save")
        assert (await client.call("ListTagsForResource", {"resourceArn": arn}))["tags"] == {"team": "checkout"}


async def test_contact_tags(client, clock, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "contacts", "contact-new", PrepContactEditor)
        _fill(form, {"#display-name": "Ana", "#alias": "ana", "#tags": "=x"})
        await press_id(pilot, "contact-save")
        assert app.screen is form and "Tags: '=x' is not key=value" in _error(form)
        _fill(form, {"#tags": "team=payments, pager=yes"})
        await press_id(pilot, "contact-save")
        assert app.screen is not form
        arn = (await client.call("ListContacts", {}))["Contacts"][0]["ContactArn"]

        async def tags() -> dict[str, str]:
            listed = (await client.call("ListTagsForResource", {"ResourceARN": arn}))["Tags"]
            return {t["Key"]: t["Value"] for t in listed}

        assert await tags() == {"team": "payments", "pager": "yes"}
        await settle(pilot)
        await press_id(pilot, "contact-edit")
        form = app.screen
        assert isinstance(form, PrepContactEditor)
        assert form.query_one("#tags", Input).value == "pager=yes, team=payments"
        _fill(form, {"#tags": "team=checkout"})
        await press_id(pilot, "contact-save")
        assert await tags() == {"team": "checkout"}


async def test_response_plan_chat_channel(client, clock, make_app):
    topic = "arn:aws:sns:us-east-1:123456789012:war-room"
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "responseplans", "response-plan-new", PrepResponsePlanForm)
        _fill(form, {"#name": "payments", "#title": "Payments down", "#chat": topic})
        await press_id(pilot, "plan-form-save")
        arn = (await client.call("ListResponsePlans", {}))["responsePlanSummaries"][0]["arn"]
        plan = await client.call("GetResponsePlan", {"arn": arn})
        assert plan["chatChannel"] == {"chatbotSns": [topic]}
        await settle(pilot)
        await press_id(pilot, "response-plan-edit")
        form = app.screen
        assert form.query_one("#chat", Input).value == topic
        _fill(form, {"#chat": ""})
        await press_id(pilot, "plan-form-save")
        assert "chatbotSns" not in (await client.call("GetResponsePlan", {"arn": arn})).get("chatChannel", {})
