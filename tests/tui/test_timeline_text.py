"""The timeline's one-line text for the engine's automatic engagement, page and acknowledgement
events, from the eventData the escalation engine and the outbox write."""

from __future__ import annotations

import json

from widgets.timeline_text import describe

CONTACT = "arn:aws:ssm-contacts:local:123456789012:contact/{}"
ENGAGEMENT = "arn:aws:ssm-contacts:local:123456789012:engagement/{}/e1"


def test_an_engagement_through_a_plan_names_the_contact_and_the_plan() -> None:
    data = {"contact": CONTACT.format("alice"), "alias": "alice", "type": "PERSONAL",
            "engagement": ENGAGEMENT.format("alice"), "via": ENGAGEMENT.format("primary")}
    assert describe("SSM Contacts Engagement", json.dumps(data)) == "Engaged alice via primary"


def test_engaging_a_plan_or_a_schedule_says_what_it_is() -> None:
    plan = {"contact": CONTACT.format("primary"), "alias": "primary", "type": "ESCALATION", "via": None}
    schedule = {"contact": CONTACT.format("db"), "alias": "db", "type": "ONCALL_SCHEDULE", "via": None}
    assert describe("SSM Contacts Engagement", json.dumps(plan)) == "Engaged escalation plan primary"
    assert describe("SSM Contacts Engagement", json.dumps(schedule)) == "Engaged on-call schedule db"


def test_a_page_names_the_channel() -> None:
    data = {"page": "p", "contact": CONTACT.format("bob"), "channel": "SMS"}
    assert describe("SSM Contacts Page", json.dumps(data)) == "Paged bob by SMS"


def test_an_acknowledgement_names_who_accepted() -> None:
    data = {"page": "p", "contact": CONTACT.format("bob"), "by": "arn:aws:iam::123456789012:user/carol"}
    assert describe("SSM Contacts Page Acknowledgement", json.dumps(data)) == "Page to bob acknowledged by carol"
    data["via"] = "AcceptPageByCode from twilio-sms +14155550123"
    assert describe("SSM Contacts Page Acknowledgement", json.dumps(data)) == (
        "Page to bob acknowledged by carol via AcceptPageByCode from twilio-sms +14155550123")


def test_missing_fields_never_raise() -> None:
    assert describe("SSM Contacts Page", json.dumps({})) == "Paged ?"
    assert describe("SSM Contacts Engagement", "not json") == "not json"
