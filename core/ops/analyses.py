"""Post-incident analyses (our own operations): made from a resolved incident and a template,
with an overview, key moments, questions, action items, a checklist and an editable timeline
(core/ops/analysis_items.py holds the timeline, action item and checklist operations)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core import arns
from core.analysis import blameless, recommendations, records, templates
from core.analysis.moments import key_moments
from core.analysis.standard_template import STANDARD_NAME
from core.engine.context import Context
from core.errors import ConflictException, ValidationException
from core.model import events as ev
from core.model.incidents import IncidentStatus
from core.ops import pagination
from core.ops.incidents import load_record
from core.ops.registry import OWN_SERVICE, operation
from core.ops.related_items import add_item
from core.store.db import dumps, loads
from core.timeutil import format_duration, from_us, to_us

PROPERTY_FIELDS = ("title", "impact", "summary", "responsePlanArn", "dedupeString", "creationTime", "resolvedTime",
                   "incidentRecordSource", "chatChannel")
ANALYSIS_ID = Field(min_length=1, max_length=1000, description="the analysis id or its ARN")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class CreateAnalysisRequest(_Strict):
    incidentRecordArn: str = Field(min_length=1, max_length=1000)
    name: str = Field(min_length=1, max_length=200)
    templateName: str = Field(default=STANDARD_NAME, min_length=1, max_length=64)


class GetAnalysisRequest(_Strict):
    analysisId: str = ANALYSIS_ID


class ListAnalysesRequest(_Strict):
    incidentRecordArn: str | None = Field(default=None, max_length=1000)
    status: Literal["OPEN", "CLOSED"] | None = None
    maxResults: int | None = Field(default=None, ge=1, le=100)
    nextToken: str | None = Field(default=None, max_length=2000)


class Overview(_Strict):
    background: str | None = Field(default=None, max_length=10_000)
    whatHappened: str | None = Field(default=None, max_length=10_000)
    why: str | None = Field(default=None, max_length=10_000)
    mitigation: str | None = Field(default=None, max_length=10_000)
    duration: str | None = Field(default=None, max_length=200)
    keyActions: str | None = Field(default=None, max_length=10_000)


class UpdateAnalysisRequest(_Strict):
    analysisId: str = ANALYSIS_ID
    name: str | None = Field(default=None, min_length=1, max_length=200)
    overview: Overview | None = None
    sections: dict[str, str] | None = Field(default=None, description="notes section id -> its text")


class AnswerQuestionRequest(_Strict):
    analysisId: str = ANALYSIS_ID
    questionId: str = Field(min_length=1, max_length=64)
    answer: str = Field(max_length=10_000)


class CloseAnalysisRequest(_Strict):
    analysisId: str = ANALYSIS_ID
    confirmUnchecked: bool = Field(default=False, description="close even though checklist items are unchecked")


async def _warnings(ctx: Context, *texts: str) -> list[str]:
    names: list[str] = []
    for text in texts:
        names += [n for n in await blameless.named_people(ctx.tx, text or "") if n not in names]
    return [blameless.warning(names)] if names else []


async def _recommend(ctx: Context, arn: str, found: list[recommendations.Recommendation]) -> list[str]:
    added = []
    for rec in found:
        if await records.add_action_item(ctx.tx, arn, arns.new_uuid(), "RECOMMENDED", rec.title, rec.description,
                                         to_us(ctx.now), rule=rec.rule):
            added.append(rec.title)
    return added


@operation("CreateAnalysis", service=OWN_SERVICE, request=CreateAnalysisRequest)
async def create_analysis(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Start a post-incident analysis of a resolved incident from a template; the analysis gets
    the incident's properties, key moments and a copy of its timeline."""
    incident_arn = req["incidentRecordArn"]
    record = await load_record(ctx, incident_arn)
    if record["status"] != IncidentStatus.RESOLVED.value:
        raise ValidationException(
            f"incidentRecordArn: incident {record['title']!r} is still open; resolve it before analysing it",
            fields=[{"name": "incidentRecordArn", "message": "the incident must be RESOLVED"}],
        )
    template = await templates.load(ctx.tx, req["templateName"])
    analysis_id = arns.new_id()
    arn = arns.incidents_arn(ctx.account_id, f"analysis/{analysis_id}")
    moments = await key_moments(ctx.tx, incident_arn)
    durations = moments.durations()
    doc = {
        "arn": arn,
        "analysisId": analysis_id,
        "name": req["name"],
        "incidentRecordArn": incident_arn,
        "templateName": req["templateName"],
        "createdTime": ctx.now,
        "createdBy": ctx.principal.arn,
        "lastModifiedTime": ctx.now,
        "lastModifiedBy": ctx.principal.arn,
        "properties": {"incidentRecordArn": incident_arn, **{k: record.get(k) for k in PROPERTY_FIELDS}},
        "overview": {
            "background": record.get("summary") or "", "whatHappened": "", "why": "", "mitigation": "",
            "duration": format_duration(timedelta(seconds=durations["timeToResolveSeconds"]))
            if "timeToResolveSeconds" in durations else "",
            "keyActions": "",
        },
        "keyMoments": moments.times,
        "sections": [{**s, "text": ""} for s in template["sections"] if templates.is_notes(s)],
        "sectionOrder": [s["id"] for s in template["sections"]],
        "questions": [{**q, "answer": "", "answeredTime": None, "answeredBy": None} for q in template["questions"]],
        "checklist": [{**c, "checked": False} for c in template["checklist"]],
    }
    await ctx.tx.execute(
        "INSERT INTO analyses (analysis_id, arn, incident_arn, name, status, created_us, updated_us, doc)"
        " VALUES (?, ?, ?, ?, 'OPEN', ?, ?, ?)",
        (analysis_id, arn, incident_arn, req["name"], to_us(ctx.now), to_us(ctx.now), dumps(doc)),
    )
    await ctx.tx.execute(
        "INSERT INTO analysis_timeline (event_id, analysis_arn, event_us, event_type, event_data, copied_from)"
        " SELECT lower(hex(randomblob(16))), ?, event_us, event_type, event_data, event_id"
        " FROM timeline_events WHERE incident_arn = ? ORDER BY event_us, id",
        (arn, incident_arn),
    )
    await _recommend(ctx, arn, recommendations.from_gaps(moments))
    await add_item(ctx, incident_arn, {"identifier": {"type": "ANALYSIS", "value": {"arn": arn}},
                                       "title": req["name"]})
    ctx.resource_arn = arn
    ctx.emit(ev.ANALYSIS_CHANGED, arn, change="created", incidentArn=incident_arn)
    return {"analysisId": analysis_id, "arn": arn}


@operation("GetAnalysis", service=OWN_SERVICE, readonly=True, request=GetAnalysisRequest)
async def get_analysis(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show a whole analysis: properties, overview, key moments and metrics, timeline,
    questions, action items (dismissed ones included) and checklist."""
    return {"analysis": await records.document(ctx.tx, await records.load(ctx.tx, req["analysisId"]))}


@operation("ListAnalyses", service=OWN_SERVICE, readonly=True, request=ListAnalysesRequest)
async def list_analyses(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List analyses, newest first, optionally of one incident or in one status."""
    where, args = [], []
    if req.get("incidentRecordArn"):
        where.append("incident_arn = ?")
        args.append(req["incidentRecordArn"])
    if req.get("status"):
        where.append("status = ?")
        args.append(req["status"])
    after = pagination.decode(req.get("nextToken"), scope="an")
    if after:
        where.append("(created_us, id) < (?, ?)")
        args += [after["t"], after["i"]]
    limit = pagination.page_size(req.get("maxResults"))
    rows = await ctx.tx.fetchall(
        "SELECT id, analysis_id, arn, incident_arn, name, status, created_us, updated_us, doc FROM analyses"
        + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY created_us DESC, id DESC LIMIT ?",
        [*args, limit + 1],
    )
    summaries = []
    for row in rows[:limit]:
        analysis = records.Analysis(row["arn"], row["analysis_id"], row["status"], loads(row["doc"]))
        open_items = await ctx.tx.scalar(
            "SELECT COUNT(*) FROM action_items WHERE analysis_arn = ? AND status IN ('RECOMMENDED', 'ACCEPTED')",
            (row["arn"],))
        summaries.append({
            "analysisId": row["analysis_id"], "arn": row["arn"], "name": row["name"], "status": row["status"],
            "incidentRecordArn": row["incident_arn"], "incidentTitle": analysis.doc["properties"]["title"],
            "createdTime": from_us(row["created_us"]), "lastModifiedTime": from_us(row["updated_us"]),
            "openActionItems": open_items,
            "uncheckedItems": sum(not c["checked"] for c in analysis.doc["checklist"]),
        })
    out: dict[str, Any] = {"analyses": summaries}
    if len(rows) > limit:
        out["nextToken"] = pagination.encode({"s": "an", "t": rows[limit - 1]["created_us"], "i": rows[limit - 1]["id"]})
    return out


@operation("UpdateAnalysis", service=OWN_SERVICE, request=UpdateAnalysisRequest)
async def update_analysis(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Rename an analysis, or change its overview or its notes sections; the answer carries a
    gentle warning when the text names a person."""
    analysis = await records.load(ctx.tx, req["analysisId"], for_change=True)
    if "name" in req:
        analysis.doc["name"] = req["name"]
    texts = list((req.get("overview") or {}).values())
    analysis.doc["overview"].update(req.get("overview") or {})
    notes = {s["id"]: s for s in analysis.doc["sections"]}
    for section_id, text in (req.get("sections") or {}).items():
        if section_id not in notes:
            raise ValidationException(
                f"sections: the analysis has no notes section {section_id!r} (it has: {', '.join(notes) or 'none'})",
                fields=[{"name": f"sections.{section_id}", "message": "no such notes section"}],
            )
        if len(text) > 10_000:
            raise ValidationException(f"sections.{section_id}: at most 10000 characters",
                                      fields=[{"name": f"sections.{section_id}", "message": "too long"}])
        notes[section_id]["text"] = text
        texts.append(text)
    await records.save_change(ctx, analysis, "updated")
    return {"warnings": await _warnings(ctx, *texts)}


@operation("AnswerQuestion", service=OWN_SERVICE, request=AnswerQuestionRequest)
async def answer_question(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Answer (or re-answer) one of an analysis's questions; a "yes" to a question that names an
    action recommends that action item."""
    analysis = await records.load(ctx.tx, req["analysisId"], for_change=True)
    questions = {q["id"]: q for q in analysis.doc["questions"]}
    question = questions.get(req["questionId"])
    if question is None:
        raise ValidationException(
            f"questionId: the analysis has no question {req['questionId']!r}",
            fields=[{"name": "questionId", "message": "no such question in this analysis"}],
        )
    question.update(answer=req["answer"], answeredTime=ctx.now, answeredBy=ctx.principal.arn)
    rec = recommendations.from_answer(question, req["answer"])
    added = await _recommend(ctx, analysis.arn, [rec] if rec else [])
    await records.save_change(ctx, analysis, "answered")
    return {"warnings": await _warnings(ctx, req["answer"]), "recommendedActionItems": added}


@operation("CloseAnalysis", service=OWN_SERVICE, request=CloseAnalysisRequest)
async def close_analysis(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Close an analysis; with checklist items unchecked it closes only when confirmUnchecked is true."""
    analysis = await records.load(ctx.tx, req["analysisId"], for_change=True)
    unchecked = [c["text"] for c in analysis.doc["checklist"] if not c["checked"]]
    if unchecked and not req.get("confirmUnchecked"):
        raise ConflictException(
            f"{len(unchecked)} checklist item(s) are not checked ({'; '.join(unchecked)}); "
            "pass confirmUnchecked true to close the analysis anyway",
            uncheckedItems=unchecked,
        )
    analysis.status = records.CLOSED
    analysis.doc["closedTime"] = ctx.now
    await records.save_change(ctx, analysis, "closed")
    return {"uncheckedItems": len(unchecked)}
