"""Analysis templates: the standard one (read-only), a team's own built on it with questions,
sections and checklist items added, and the checks that keep every template usable."""

from __future__ import annotations

import pytest

from core.errors import ConflictException, ResourceNotFoundException, ValidationException
from core.security.roles import principal_for_role
from tests.analyses.scripted import scripted_incident

TEAM_QUESTION = {"id": "db-failover", "category": "Database", "text": "Did the replica take over?",
                 "kind": "yesno", "recommendation": {"title": "Rehearse the failover"}}


async def test_the_standard_template_has_the_six_sections_and_a_five_whys_chain(client):
    standard = (await client.call("GetAnalysisTemplate", {"name": "Standard"}))["template"]
    assert [s["title"] for s in standard["sections"]] == ["Overview", "Metrics", "Timeline", "Questions",
                                                          "Actions", "Checklist"]
    whys = [q for q in standard["questions"] if q["id"].startswith("prevention-why-")]
    assert len(whys) == 5 and all(q["category"] == "Prevention" for q in whys)
    listed = (await client.call("ListAnalysisTemplates", {}))["templates"]
    assert listed[0]["name"] == "Standard" and listed[0]["builtin"] is True
    for verb in ("UpdateAnalysisTemplate", "DeleteAnalysisTemplate"):
        with pytest.raises(ValidationException, match="read-only|cannot be"):
            await client.call(verb, {"name": "Standard"})


async def test_a_team_template_adds_questions_and_sections_and_analyses_use_them(client, clock):
    made = await client.call("CreateAnalysisTemplate", {
        "name": "storage-team", "description": "Standard plus our database questions",
        "questions": [TEAM_QUESTION], "sections": [{"id": "customer-impact", "title": "Customer impact"}],
        "checklist": [{"id": "dba-signoff", "text": "A DBA has read the analysis"}]})
    assert made["arn"].endswith("analysis-template/storage-team")
    template = (await client.call("GetAnalysisTemplate", {"name": "storage-team"}))["template"]
    assert template["questions"][-1]["id"] == "db-failover" and len(template["sections"]) == 7
    with pytest.raises(ConflictException, match="already exists"):
        await client.call("CreateAnalysisTemplate", {"name": "storage-team"})

    incident, _ = await scripted_incident(client, clock)
    analysis_id = (await client.call("CreateAnalysis", {"incidentRecordArn": incident, "name": "db review",
                                                        "templateName": "storage-team"}))["analysisId"]
    out = await client.call("AnswerQuestion", {"analysisId": analysis_id, "questionId": "db-failover",
                                               "answer": "Yes"})
    assert out["recommendedActionItems"] == ["Rehearse the failover"]
    await client.call("UpdateAnalysis", {"analysisId": analysis_id,
                                         "sections": {"customer-impact": "Checkout failed for 1 h"}})
    analysis = (await client.call("GetAnalysis", {"analysisId": analysis_id}))["analysis"]
    assert analysis["sections"] == [{"id": "customer-impact", "title": "Customer impact", "kind": "notes",
                                     "text": "Checkout failed for 1 h"}]
    assert analysis["checklist"][-1] == {"id": "dba-signoff", "text": "A DBA has read the analysis", "checked": False}

    await client.call("UpdateAnalysisTemplate", {"name": "storage-team", "description": "v2"})
    assert (await client.call("GetAnalysisTemplate", {"name": "storage-team"}))["template"]["description"] == "v2"
    await client.call("DeleteAnalysisTemplate", {"name": "storage-team"})
    with pytest.raises(ResourceNotFoundException, match="storage-team"):
        await client.call("GetAnalysisTemplate", {"name": "storage-team"})
    # the analysis keeps its questions
    assert (await client.call("GetAnalysis", {"analysisId": analysis_id}))["analysis"]["questions"][-1]["id"] == "db-failover"


async def test_templates_that_could_not_make_an_analysis_are_refused(core, client):
    with pytest.raises(ValidationException, match="id 'detection-alarm' is used twice"):
        await client.call("CreateAnalysisTemplate", {"name": "dup", "questions": [
            {"id": "detection-alarm", "category": "Detection", "text": "again?"}]})
    with pytest.raises(ValidationException, match="exactly one 'overview' section"):
        await client.call("CreateAnalysisTemplate", {"name": "two", "sections": [
            {"id": "more", "title": "More", "kind": "overview"}]})
    with pytest.raises(ValidationException, match="kind must be 'yesno'"):
        await client.call("CreateAnalysisTemplate", {"name": "rec", "questions": [
            {**TEAM_QUESTION, "kind": "text"}]})
    with pytest.raises(ResourceNotFoundException, match="basedOn"):
        await client.call("CreateAnalysisTemplate", {"name": "x", "basedOn": "missing"})
    with pytest.raises(ValidationException, match="name"):
        await client.call("CreateAnalysisTemplate", {"name": "has space"})
    with pytest.raises(ValidationException, match="overview"):
        await client.call("CreateAnalysisTemplate", {"name": "empty", "basedOn": None})
    assert [t["name"] for t in (await client.call("ListAnalysisTemplates", {}))["templates"]] == ["Standard"]
    responder = core.client(principal_for_role("arn:aws:iam::1:user/r", "r", "responder"))
    with pytest.raises(Exception, match="CreateAnalysisTemplate") as denied:
        await responder.call("CreateAnalysisTemplate", {"name": "mine"})
    assert type(denied.value).__name__ == "AccessDeniedException"
