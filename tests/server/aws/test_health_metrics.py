"""GET /healthz and GET /metrics (Prometheus text from prometheus-client) on a real server."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families


def _samples(site) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = httpx.get(f"{site.url}/metrics", headers=site.keys["readonly"].bearer)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def test_healthz_reports_database_scheduler_lag_and_outbox_backlog(site):
    body = httpx.get(f"{site.url}/healthz", headers=site.keys["readonly"].bearer).json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["schedulerLagSeconds"] >= 0 and body["outboxBacklog"] >= 0


def test_metrics_count_open_incidents_by_impact_and_requests_by_route(site, incidents, replication_set):
    plan = incidents.create_response_plan(name="metrics", incidentTemplate={"title": "m", "impact": 5})["arn"]
    before = _samples(site)
    opened = before.get(("cockpit_open_incidents", (("impact", "5"),)), 0)
    arn = incidents.start_incident(responsePlanArn=plan)["incidentRecordArn"]
    after = _samples(site)
    assert after[("cockpit_open_incidents", (("impact", "5"),))] == opened + 1
    route = ("cockpit_http_requests_total", (("route", "/startIncident"), ("status", "200")))
    assert after[route] == before.get(route, 0) + 1
    incidents.update_incident_record(arn=arn, status="RESOLVED")
    assert _samples(site)[("cockpit_open_incidents", (("impact", "5"),))] == opened
    assert ("cockpit_scheduler_lag_seconds", ()) in after and ("cockpit_outbox_backlog", ()) in after


def test_metrics_count_pages_by_channel_type_and_outcome(site, contacts, replication_set):
    contact = contacts.create_contact(Alias="metrics-pager", Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    channel = contacts.create_contact_channel(ContactId=contact, Name="m", Type="EMAIL",
                                              DeliveryAddress={"SimpleAddress": "metrics@example.com"})["ContactChannelArn"]
    code = site.mail.wait_for(lambda m: "metrics@example.com" in m.rcpt_tos).code("Activation code")
    contacts.activate_contact_channel(ContactChannelId=channel, ActivationCode=code)
    contacts.update_contact(ContactId=contact, Plan={"Stages": [
        {"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": channel}}]}]})
    sent = ("cockpit_pages_total", (("channel_type", "EMAIL"), ("outcome", "sent")))
    before = _samples(site).get(sent, 0)
    contacts.start_engagement(ContactId=contact, Sender="metrics", Subject="s", Content="c")
    site.mail.wait_for(lambda m: "metrics@example.com" in m.rcpt_tos and m["X-Cockpit-Kind"] == "page")
    # the page is counted once its send is recorded: the scrape after the mail arrived may
    # still race the write, so read until it shows (a bounded number of scrapes)
    for _ in range(50):
        if _samples(site).get(sent, 0) == before + 1:
            break
    assert _samples(site)[sent] == before + 1
