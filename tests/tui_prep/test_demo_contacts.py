"""The demo's preparation data, and engagements in every state."""

from __future__ import annotations

from cockpit.demo_contacts import acknowledge_one, seed_contacts


async def test_demo_contacts_give_engagements_in_every_state(client, clock):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    demo = await seed_contacts(client, clock.now())
    assert len(demo.people) == 4 and len(demo.plans) == 2
    for contact in demo.people.values():
        channels = (await client.call("ListContactChannels", {"ContactId": contact}))["ContactChannels"]
        assert {c["ActivationStatus"] for c in channels} == {"ACTIVATED"}
    assert (await client.call("ListRotationOverrides", {"RotationId": demo.rotation, "StartTime": clock.now(),
                                                        "EndTime": clock.now().replace(year=2027)}))["RotationOverrides"]
    incidents = []
    for name, plan in demo.plans.items():
        rp = await client.call("CreateResponsePlan", {"name": name, "incidentTemplate": {"title": name, "impact": 2},
                                                      "engagements": [plan]})
        incidents.append((await client.call("StartIncident", {"responsePlanArn": rp["arn"]}))["incidentRecordArn"])
    await clock.advance(seconds=1)
    assert await acknowledge_one(client, incidents[0])
    states = set()
    for incident in incidents:
        found = await client.call("ListIncidentEngagements", {"incidentRecordArn": incident})
        states |= {e["state"] for e in found["engagements"]}
    assert {"waiting", "paged", "acknowledged"} <= states
