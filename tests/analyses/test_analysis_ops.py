"""Analyses from a resolved incident: key moments and times derived from its records, the
overview, questions and recommended action items, the timeline copy, the checklist and closing,
and the bad input each operation refuses."""

from __future__ import annotations

import pytest

from core.errors import ConflictException, ResourceNotFoundException, ValidationException
from core.security.roles import principal_for_role
from tests.analyses.scripted import (
    ACKED,
    ALARM,
    ENGAGED,
    MITIGATED,
    RESOLVED,
    STARTED,
    scripted_incident,
    workspace,
)


async def _analysis(client, incident, **extra):
    made = await client.call("CreateAnalysis", {"incidentRecordArn": incident, "name": "API outage review", **extra})
    return made, (await client.call("GetAnalysis", {"analysisId": made["analysisId"]}))["analysis"]


async def test_key_moments_and_times_come_from_the_incidents_records(client, clock):
    incident, _ = await scripted_incident(client, clock)
    made, analysis = await _analysis(client, incident)
    assert made["arn"].endswith("analysis/" + made["analysisId"])
    assert analysis["keyMoments"] == {
        "incidentStart": STARTED, "trigger": ALARM, "firstEngagement": ENGAGED,
        "firstAcknowledgement": ACKED, "mitigationStart": MITIGATED, "resolved": RESOLVED,
    }
    # worked out by hand from the script: 09:07 alarm, 09:10 start, 09:12 engaged, 09:20 ack,
    # 09:30 impact lowered, 10:10 resolved
    assert analysis["metrics"] == {"timeToDetectSeconds": 180, "timeToEngageSeconds": 120,
                                   "timeToAcknowledgeSeconds": 600, "timeToMitigateSeconds": 1200,
                                   "timeToResolveSeconds": 3600}
    assert analysis["overview"]["duration"] == "1h 00m"  # written as the cockpit writes durations
    assert analysis["overview"]["background"] == "5xx on every endpoint"
    props = analysis["properties"]
    assert props["incidentRecordArn"] == incident and props["title"] == "API is down" and props["impact"] == 4
    assert props["resolvedTime"] == RESOLVED
    # nothing was missing or slow: no gap is recommended
    assert analysis["actionItems"] == []
    related = (await client.call("ListRelatedItems", {"incidentRecordArn": incident}))["relatedItems"]
    assert {"type": "ANALYSIS", "value": {"arn": made["arn"]}} in [r["identifier"] for r in related]
    listed = (await client.call("ListAnalyses", {"incidentRecordArn": incident}))["analyses"]
    assert [a["analysisId"] for a in listed] == [made["analysisId"]] and listed[0]["uncheckedItems"] == 5


async def test_a_manual_incident_nobody_was_paged_for_gets_its_gaps_recommended(client, clock):
    plan, _ = await workspace(client)
    incident = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await clock.advance(minutes=45)
    await client.call("UpdateIncidentRecord", {"arn": incident, "status": "RESOLVED"})
    _, analysis = await _analysis(client, incident)
    assert set(analysis["keyMoments"]) == {"incidentStart", "resolved"}
    assert analysis["metrics"] == {"timeToResolveSeconds": 2700}
    titles = [i["title"] for i in analysis["actionItems"]]
    assert titles == ["Add an alarm that detects this failure", "Engage responders from the response plan",
                      "Record the mitigation as a runbook"]
    assert {i["status"] for i in analysis["actionItems"]} == {"RECOMMENDED"}


async def test_answers_recommend_actions_once_and_warn_gently_about_names(client, clock):
    incident, _ = await scripted_incident(client, clock)
    made, analysis = await _analysis(client, incident)
    ids = [q["id"] for q in analysis["questions"]]
    assert [i for i in ids if i.startswith("prevention-why-")] == [f"prevention-why-{n}" for n in range(1, 6)]
    assert {q["category"] for q in analysis["questions"]} == {"Detection", "Diagnosis", "Mitigation", "Prevention"}

    out = await client.call("AnswerQuestion", {"analysisId": made["analysisId"], "questionId": "detection-alarm",
                                               "answer": "Yes, the 5xx alarm threshold was too high"})
    assert out == {"warnings": [], "recommendedActionItems": ["Add or tune an alarm for this failure"]}
    again = await client.call("AnswerQuestion", {"analysisId": made["arn"], "questionId": "detection-alarm",
                                                 "answer": "yes"})
    assert again["recommendedActionItems"] == []  # one item per rule
    no = await client.call("AnswerQuestion", {"analysisId": made["analysisId"], "questionId": "mitigation-runbook",
                                              "answer": "No, the runbook was fine"})
    assert no["recommendedActionItems"] == []

    named = await client.call("AnswerQuestion", {"analysisId": made["analysisId"], "questionId": "prevention-why-1",
                                                 "answer": "Alice pushed a bad config"})
    [warning] = named["warnings"]
    assert "Alice" in warning and "blameless" in warning
    kept = (await client.call("GetAnalysis", {"analysisId": made["analysisId"]}))["analysis"]
    answers = {q["id"]: q["answer"] for q in kept["questions"]}
    assert answers["prevention-why-1"] == "Alice pushed a bad config"  # saved as written
    assert [i["title"] for i in kept["actionItems"]] == ["Add or tune an alarm for this failure"]

    overview = await client.call("UpdateAnalysis", {"analysisId": made["analysisId"], "overview": {
        "whatHappened": "A config push disabled the connection pool", "why": "The push skipped canaries"}})
    assert overview["warnings"] == []
    kept = (await client.call("GetAnalysis", {"analysisId": made["analysisId"]}))["analysis"]
    assert kept["overview"]["why"] == "The push skipped canaries"
    assert kept["overview"]["background"] == "5xx on every endpoint"  # untouched fields stay


async def test_action_items_move_accept_complete_dismiss_and_dismissed_stay_listed(client, clock):
    incident, _ = await scripted_incident(client, clock)
    made, _ = await _analysis(client, incident)
    aid = made["analysisId"]
    custom = (await client.call("CreateActionItem", {"analysisId": aid, "title": "Canary config pushes",
                                                      "owner": "platform team", "dueDate": "2026-03-20"}))["itemId"]
    await client.call("AnswerQuestion", {"analysisId": aid, "questionId": "prevention-fix", "answer": "yes"})
    items = (await client.call("GetAnalysis", {"analysisId": aid}))["analysis"]["actionItems"]
    recommended = next(i for i in items if i["source"] == "RECOMMENDED")["itemId"]
    assert next(i for i in items if i["itemId"] == custom)["status"] == "ACCEPTED"
    await client.call("UpdateActionItem", {"analysisId": aid, "itemId": recommended, "status": "DISMISSED"})
    await client.call("UpdateActionItem", {"analysisId": aid, "itemId": custom, "status": "COMPLETED"})
    with pytest.raises(ValidationException, match="COMPLETED action item cannot become DISMISSED"):
        await client.call("UpdateActionItem", {"analysisId": aid, "itemId": custom, "status": "DISMISSED"})
    items = {i["itemId"]: i["status"] for i in (await client.call("GetAnalysis", {"analysisId": aid}))["analysis"]["actionItems"]}
    assert items == {recommended: "DISMISSED", custom: "COMPLETED"}
    # answering yes again does not bring a dismissed recommendation back
    await client.call("AnswerQuestion", {"analysisId": aid, "questionId": "prevention-fix", "answer": "yes"})
    assert len((await client.call("GetAnalysis", {"analysisId": aid}))["analysis"]["actionItems"]) == 2
    with pytest.raises(ResourceNotFoundException, match="itemId"):
        await client.call("UpdateActionItem", {"analysisId": aid, "itemId": "nope", "status": "ACCEPTED"})


async def test_an_accepted_action_item_has_an_owner_and_a_due_date(client, clock):
    incident, _ = await scripted_incident(client, clock)
    made, _ = await _analysis(client, incident)
    aid = made["analysisId"]
    with pytest.raises(ValidationException) as refused:  # a custom item starts accepted
        await client.call("CreateActionItem", {"analysisId": aid, "title": "Canary config pushes", "owner": " "})
    assert [f["name"] for f in refused.value.fields] == ["owner", "dueDate"]
    with pytest.raises(ValidationException, match="dueDate"):
        await client.call("CreateActionItem", {"analysisId": aid, "title": "Canary", "owner": "ana",
                                               "dueDate": "next week"})
    await client.call("AnswerQuestion", {"analysisId": aid, "questionId": "prevention-fix", "answer": "yes"})
    (item,) = (await client.call("GetAnalysis", {"analysisId": aid}))["analysis"]["actionItems"]
    assert item["status"] == "RECOMMENDED" and item["owner"] == "" and item["dueDate"] is None
    with pytest.raises(ValidationException, match="dueDate: an accepted action item needs a due date") as refused:
        await client.call("UpdateActionItem", {"analysisId": aid, "itemId": item["itemId"], "status": "ACCEPTED",
                                               "owner": "ana"})
    assert [f["name"] for f in refused.value.fields] == ["dueDate"]
    await client.call("UpdateActionItem", {"analysisId": aid, "itemId": item["itemId"], "owner": "ana"})  # not yet accepted
    await client.call("UpdateActionItem", {"analysisId": aid, "itemId": item["itemId"], "status": "ACCEPTED",
                                           "dueDate": "2026-03-20"})
    (item,) = (await client.call("GetAnalysis", {"analysisId": aid}))["analysis"]["actionItems"]
    assert (item["status"], item["owner"], item["dueDate"]) == ("ACCEPTED", "ana", "2026-03-20")
    with pytest.raises(ValidationException, match="owner"):  # an accepted item keeps one
        await client.call("UpdateActionItem", {"analysisId": aid, "itemId": item["itemId"], "owner": ""})
    await client.call("UpdateActionItem", {"analysisId": aid, "itemId": item["itemId"], "status": "COMPLETED"})


async def test_the_analysis_timeline_is_a_copy_edits_never_reach_the_incident(client, clock):
    incident, _ = await scripted_incident(client, clock)
    before = (await client.call("ListTimelineEvents", {"incidentRecordArn": incident}))["eventSummaries"]
    made, analysis = await _analysis(client, incident)
    copied = analysis["timeline"]
    assert [(e["eventTime"], e["eventType"]) for e in copied] == [(e["eventTime"], e["eventType"]) for e in before]
    assert all(e["copiedFromIncident"] for e in copied)
    aid = made["analysisId"]
    first = copied[0]["eventId"]
    await client.call("UpdateAnalysisTimelineEvent", {"analysisId": aid, "eventId": first,
                                                      "eventData": "Incident opened from the 5xx alarm"})
    await client.call("DeleteAnalysisTimelineEvent", {"analysisId": aid, "eventId": copied[-1]["eventId"]})
    added = (await client.call("CreateAnalysisTimelineEvent", {"analysisId": aid, "eventTime": ALARM,
                                                               "eventData": "Config push reached 100%"}))["eventId"]
    timeline = (await client.call("GetAnalysis", {"analysisId": aid}))["analysis"]["timeline"]
    assert timeline[0]["eventId"] == added and timeline[0]["copiedFromIncident"] is False
    assert timeline[1]["eventData"] == "Incident opened from the 5xx alarm"
    assert len(timeline) == len(copied)
    after = (await client.call("ListTimelineEvents", {"incidentRecordArn": incident}))["eventSummaries"]
    # the incident's own timeline has only gained the related item that links the analysis
    assert [e["eventId"] for e in after if e["eventType"] != "SSM Related Item"] == [e["eventId"] for e in before]
    event = await client.call("GetTimelineEvent", {"incidentRecordArn": incident, "eventId": before[0]["eventId"]})
    assert "Incident opened from the 5xx alarm" not in event["event"]["eventData"]
    with pytest.raises(ResourceNotFoundException, match="eventId"):
        await client.call("DeleteAnalysisTimelineEvent", {"analysisId": aid, "eventId": "gone"})


async def test_closing_with_unchecked_items_needs_confirmation_and_a_closed_analysis_is_kept(client, clock):
    incident, _ = await scripted_incident(client, clock)
    made, analysis = await _analysis(client, incident)
    aid = made["analysisId"]
    for item in analysis["checklist"][:-1]:
        await client.call("UpdateChecklistItem", {"analysisId": aid, "itemId": item["id"], "checked": True})
    with pytest.raises(ValidationException, match="itemId"):
        await client.call("UpdateChecklistItem", {"analysisId": aid, "itemId": "nope", "checked": True})
    with pytest.raises(ConflictException, match="1 checklist item") as refused:
        await client.call("CloseAnalysis", {"analysisId": aid})
    assert analysis["checklist"][-1]["text"] in refused.value.message
    assert (await client.call("GetAnalysis", {"analysisId": aid}))["analysis"]["status"] == "OPEN"
    assert await client.call("CloseAnalysis", {"analysisId": aid, "confirmUnchecked": True}) == {"uncheckedItems": 1}
    closed = (await client.call("GetAnalysis", {"analysisId": aid}))["analysis"]
    assert closed["status"] == "CLOSED" and closed["closedTime"] == clock.now()
    with pytest.raises(ConflictException, match="closed"):
        await client.call("AnswerQuestion", {"analysisId": aid, "questionId": "detection-alarm", "answer": "x"})


async def test_bad_input_is_refused_with_what_is_wrong(core, client, clock):
    plan, _ = await workspace(client)
    open_incident = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    with pytest.raises(ValidationException, match="still open") as refused:
        await client.call("CreateAnalysis", {"incidentRecordArn": open_incident, "name": "too early"})
    assert refused.value.fields[0]["name"] == "incidentRecordArn"
    await client.call("UpdateIncidentRecord", {"arn": open_incident, "status": "RESOLVED"})
    with pytest.raises(ResourceNotFoundException, match="'Nope' does not exist"):
        await client.call("CreateAnalysis", {"incidentRecordArn": open_incident, "name": "x", "templateName": "Nope"})
    with pytest.raises(ValidationException, match="name"):
        await client.call("CreateAnalysis", {"incidentRecordArn": open_incident, "name": ""})
    with pytest.raises(ResourceNotFoundException):
        await client.call("CreateAnalysis", {"incidentRecordArn": open_incident + "0", "name": "x"})
    assert (await client.call("ListAnalyses", {}))["analyses"] == []  # nothing half-written
    made = await client.call("CreateAnalysis", {"incidentRecordArn": open_incident, "name": "review"})
    with pytest.raises(ValidationException, match="no question 'why-99'"):
        await client.call("AnswerQuestion", {"analysisId": made["analysisId"], "questionId": "why-99", "answer": "x"})
    with pytest.raises(ResourceNotFoundException, match="analysisId"):
        await client.call("GetAnalysis", {"analysisId": "0" * 32})
    with pytest.raises(ValidationException, match="notes section 'x'"):
        await client.call("UpdateAnalysis", {"analysisId": made["analysisId"], "sections": {"x": "y"}})
    reader = core.client(principal_for_role("arn:aws:iam::1:user/ro", "ro", "readonly"))
    assert (await reader.call("GetAnalysis", {"analysisId": made["analysisId"]}))["analysis"]["name"] == "review"
    with pytest.raises(Exception, match="AnswerQuestion") as denied:
        await reader.call("AnswerQuestion", {"analysisId": made["analysisId"], "questionId": "detection-alarm",
                                             "answer": "yes"})
    assert type(denied.value).__name__ == "AccessDeniedException"
