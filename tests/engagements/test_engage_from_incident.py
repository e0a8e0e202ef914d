"""Engaging someone for an incident (StartEngagement with its IncidentId, or `g` on the
incident's Engagements tab) sends the incident's title, impact and link, not "Please join: "."""

from __future__ import annotations

import re
from urllib.parse import quote

from textual.widgets import Select

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.incidents.engage_form import PrepEngageForm
from cockpit.settings import CockpitSettings
from tests.support.contacts import personal_contact
from tests.support.delivery import delivering_core, twilio_pages_to
from tests.tui.helpers import press_binding, settle

PUBLIC_URL = "https://cockpit.example.com"
MAIL, PHONE = "dana@example.com", "+14155550123"
TITLE = "Checkout payments failing"


async def _incident(client) -> str:
    plan = await client.call("CreateResponsePlan", {"name": "checkout", "incidentTemplate": {
        "title": TITLE, "impact": 2, "summary": "Card auth errors at 40%"}})
    return (await client.call("StartIncident", {"responsePlanArn": plan["arn"]}))["incidentRecordArn"]


def _link(incident: str) -> str:
    return f"{PUBLIC_URL}/incidents/{quote(incident, safe='')}"


async def test_engaging_from_the_engagements_tab_sends_the_incidents_title_impact_and_link(data_dir, clock):
    async with delivering_core(data_dir, clock, public_url=PUBLIC_URL) as (core, client, sink, twilio):
        dana, _ = await personal_contact(client, "dana", [("EMAIL", MAIL), ("SMS", PHONE)])
        await clock.advance(seconds=1)
        incident = await _incident(client)
        settings = CockpitSettings(theme="cockpit-dark", timezone="UTC", cursor_blink=False, keymap={})
        app = build_app(client, settings, clock=clock)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("enter")  # the only incident's tile
            await settle(pilot)
            assert isinstance(app.screen, IncidentDetailScreen)
            await press_binding(pilot, "tab-5")
            assert app.screen.query_one("TabbedContent").active == "engagements"
            await press_binding(pilot, "engagement-start")
            form = app.screen
            assert isinstance(form, PrepEngageForm)
            form.query_one("#who", Select).value = dana
            await press_binding(pilot, "engage-send")
            await settle(pilot)
        await clock.advance(seconds=1)

        [listed] = (await client.call("ListEngagements", {"IncidentId": incident}))["Engagements"]
        engagement = await client.call("DescribeEngagement", {"EngagementId": listed["EngagementArn"]})
        assert TITLE in engagement["Subject"] and "2 High" in engagement["Subject"]
        assert engagement["Subject"] != "Please join: "
        assert engagement["Content"].endswith(f"2 High incident: {TITLE}\n{_link(incident)}")
        [mail] = sink.pages_to(MAIL)
        text = mail.text.replace("\r\n", "\n")
        assert mail["Subject"] == f"2 High incident: {TITLE}"
        assert f"Link:     {_link(incident)}" in text
        assert re.search(rf"Acknowledge: {PUBLIC_URL}/ack/[\w-]+\n", text)  # a single-use link
        assert "Message:\nYou are needed on this incident." in text  # the engager's words arrive too
        [sms] = twilio_pages_to(twilio, PHONE)
        assert sms.startswith(f"Cockpit 2 High: {TITLE}")


async def test_start_engagement_keeps_rich_text_and_fills_in_thin_text(data_dir, clock):
    async with delivering_core(data_dir, clock) as (core, client, sink, twilio):
        dana, _ = await personal_contact(client, "dana", [("EMAIL", MAIL)])
        incident = await _incident(client)
        thin = (await client.call("StartEngagement", {"ContactId": dana, "Sender": "ops", "Subject": " ",
                                                      "Content": " ", "IncidentId": incident}))["EngagementArn"]
        rich = (await client.call("StartEngagement", {
            "ContactId": dana, "Sender": "ops", "Subject": f"Need a DBA for {TITLE}",
            "Content": f"Join the bridge. 2 High incident: {TITLE}\n{incident}", "PublicSubject": "DB help",
            "IncidentId": incident}))["EngagementArn"]
        other = (await client.call("StartEngagement", {"ContactId": dana, "Sender": "ops", "Subject": "s",
                                                       "Content": "c", "IncidentId": "not-an-incident"}))["EngagementArn"]
        thin_view = await client.call("DescribeEngagement", {"EngagementId": thin})
        assert thin_view["Subject"] == f"2 High incident: {TITLE}"
        assert thin_view["Content"] == f"Card auth errors at 40%\n\n2 High incident: {TITLE}\n{incident}"
        assert thin_view["PublicSubject"] == f"Cockpit 2 High: {TITLE}"
        rich_view = await client.call("DescribeEngagement", {"EngagementId": rich})
        assert rich_view["Subject"] == f"Need a DBA for {TITLE}"
        assert rich_view["Content"] == f"Join the bridge. 2 High incident: {TITLE}\n{incident}"
        assert rich_view["PublicSubject"] == "DB help"
        other_view = await client.call("DescribeEngagement", {"EngagementId": other})
        assert (other_view["Subject"], other_view["Content"]) == ("s", "c")  # no incident: the caller's text
