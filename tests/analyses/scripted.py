"""A scripted incident on the fake clock, whose key moments the tests know to the second.

09:00 the clock starts; 09:07 an alarm fires; 09:10 the incident starts from it; 09:12 alice is
engaged; 09:20 she acknowledges her page; 09:30 the impact is lowered from 2 to 4 (mitigation);
10:10 the incident is resolved.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core import FakeClock
from tests.conftest import START
from tests.support.contacts import personal_contact

ALARM = START + timedelta(minutes=7)
STARTED = START + timedelta(minutes=10)
ENGAGED = START + timedelta(minutes=12)
ACKED = START + timedelta(minutes=20)
MITIGATED = START + timedelta(minutes=30)
RESOLVED = START + timedelta(minutes=70)


async def at(clock: FakeClock, when: datetime) -> None:
    """Move the fake clock to ``when``."""
    await clock.advance((when - clock.now()).total_seconds())


async def workspace(client: Any) -> tuple[str, str]:
    """A replication set, a response plan without engagements and alice; (plan ARN, alice's ARN)."""
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    plan = await client.call("CreateResponsePlan", {"name": "api-outage", "incidentTemplate": {
        "title": "API is down", "impact": 2, "summary": "5xx on every endpoint"}})
    return plan["arn"], alice


async def engage_and_ack(
    client: Any, clock: FakeClock, incident: str, contact: str, ack_after: timedelta | None
) -> None:
    """Engage ``contact`` for the incident now; acknowledge its page ``ack_after`` later (None: never)."""
    await client.call("StartEngagement", {"ContactId": contact, "Sender": "ops", "Subject": "API down",
                                          "Content": "Join the bridge", "IncidentId": incident})
    await clock.advance(seconds=0)
    if ack_after is None:
        return
    [page] = [p for p in (await client.call("ListPagesByContact", {"ContactId": contact}))["Pages"]
              if p.get("IncidentId") == incident]
    await clock.advance(ack_after.total_seconds())
    await client.call("AcknowledgePage", {"pageId": page["PageArn"]})


async def scripted_incident(client: Any, clock: FakeClock) -> tuple[str, str]:
    """Run the script above; (incident ARN, alice's ARN)."""
    plan, alice = await workspace(client)
    await at(clock, STARTED)
    incident = (await client.call("StartIncident", {
        "responsePlanArn": plan,
        "triggerDetails": {"source": "aws.cloudwatch", "timestamp": ALARM,
                           "triggerArn": "arn:aws:cloudwatch:us-east-1:111122223333:alarm:api-5xx"},
    }))["incidentRecordArn"]
    await at(clock, ENGAGED)
    await engage_and_ack(client, clock, incident, alice, ACKED - ENGAGED)
    await at(clock, MITIGATED)
    await client.call("UpdateIncidentRecord", {"arn": incident, "impact": 4})
    await at(clock, RESOLVED)
    await client.call("UpdateIncidentRecord", {"arn": incident, "status": "RESOLVED"})
    return incident, alice
