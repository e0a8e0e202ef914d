"""Analysis templates (our own operations): the standard template plus the ones a team writes,
usually the standard one with questions and sections added."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core import arns
from core.analysis import templates
from core.analysis.standard_template import STANDARD_NAME
from core.engine.context import Context
from core.errors import ConflictException, ValidationException
from core.model import events as ev
from core.ops.registry import OWN_SERVICE, operation
from core.store.db import dumps
from core.timeutil import to_us

ID = r"^[a-z0-9][a-z0-9-]{0,63}$"
NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
SectionKind = Literal["overview", "metrics", "timeline", "questions", "actions", "checklist", "notes"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Section(_Strict):
    id: str = Field(pattern=ID)
    title: str = Field(min_length=1, max_length=100)
    kind: SectionKind = "notes"


class Recommendation(_Strict):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)


class Question(_Strict):
    id: str = Field(pattern=ID)
    category: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=1000)
    kind: Literal["text", "yesno"] = "text"
    recommendation: Recommendation | None = None


class ChecklistItem(_Strict):
    id: str = Field(pattern=ID)
    text: str = Field(min_length=1, max_length=500)


class CreateAnalysisTemplateRequest(_Strict):
    name: str = Field(pattern=NAME)
    description: str = Field(default="", max_length=1000)
    basedOn: str | None = Field(default=STANDARD_NAME, max_length=64,
                                description="the template whose sections, questions and checklist come first")
    sections: list[Section] = Field(default_factory=list, max_length=50, description="added after the base's")
    questions: list[Question] = Field(default_factory=list, max_length=200, description="added after the base's")
    checklist: list[ChecklistItem] = Field(default_factory=list, max_length=100, description="added after the base's")


class NameRequest(_Strict):
    name: str = Field(min_length=1, max_length=64)


class UpdateAnalysisTemplateRequest(_Strict):
    name: str = Field(min_length=1, max_length=64)
    description: str | None = Field(default=None, max_length=1000)
    sections: list[Section] | None = Field(default=None, max_length=50, description="replaces the sections")
    questions: list[Question] | None = Field(default=None, max_length=200, description="replaces the questions")
    checklist: list[ChecklistItem] | None = Field(default=None, max_length=100, description="replaces the checklist")


class ListRequest(_Strict):
    pass


PARTS = ("description", "sections", "questions", "checklist")


def _parts(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: doc[k] for k in PARTS}


def _refuse_standard(name: str, verb: str) -> None:
    if name == STANDARD_NAME:
        raise ValidationException(
            f"name: the {STANDARD_NAME} template ships with the cockpit and cannot be {verb}; "
            "create your own with basedOn Standard",
            fields=[{"name": "name", "message": f"the {STANDARD_NAME} template is read-only"}],
        )


@operation("CreateAnalysisTemplate", service=OWN_SERVICE, request=CreateAnalysisTemplateRequest)
async def create_analysis_template(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Create an analysis template, by default the standard one with your sections, questions
    and checklist items added."""
    name = req["name"]
    if name == STANDARD_NAME or await ctx.tx.scalar("SELECT 1 FROM analysis_templates WHERE name = ?", (name,)):
        raise ConflictException(f"name: an analysis template named {name!r} already exists")
    base = (await templates.load(ctx.tx, req["basedOn"], "basedOn")) if req.get("basedOn") else \
        {"sections": [], "questions": [], "checklist": []}
    doc = {
        "description": req.get("description", ""),
        "sections": base["sections"] + req["sections"],
        "questions": base["questions"] + req["questions"],
        "checklist": base["checklist"] + req["checklist"],
    }
    templates.check(doc)
    arn = arns.incidents_arn(ctx.account_id, f"analysis-template/{name}")
    await ctx.tx.execute(
        "INSERT INTO analysis_templates (name, arn, doc, created_us, updated_us) VALUES (?, ?, ?, ?, ?)",
        (name, arn, dumps(doc), to_us(ctx.now), to_us(ctx.now)),
    )
    ctx.resource_arn = arn
    ctx.emit(ev.ANALYSIS_TEMPLATE_CHANGED, arn, change="created", name=name)
    return {"arn": arn, "name": name}


@operation("GetAnalysisTemplate", service=OWN_SERVICE, readonly=True, request=NameRequest)
async def get_analysis_template(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show an analysis template: its sections, questions and checklist."""
    return {"template": await templates.load(ctx.tx, req["name"], "name")}


@operation("ListAnalysisTemplates", service=OWN_SERVICE, readonly=True, request=ListRequest)
async def list_analysis_templates(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List the analysis templates, the standard one first."""
    found = [templates.standard(), *await templates.stored(ctx.tx)]
    return {"templates": [
        {"name": t["name"], "description": t["description"], "builtin": t.get("builtin", False),
         "questionCount": len(t["questions"]), "sectionCount": len(t["sections"])}
        for t in found
    ]}


@operation("UpdateAnalysisTemplate", service=OWN_SERVICE, request=UpdateAnalysisTemplateRequest)
async def update_analysis_template(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Change a template's description, sections, questions or checklist (analyses already
    made from it keep theirs)."""
    _refuse_standard(req["name"], "changed")
    current = await templates.load(ctx.tx, req["name"], "name")
    doc = {**_parts(current), **{k: req[k] for k in PARTS if k in req}}
    templates.check(doc)
    await ctx.tx.execute(
        "UPDATE analysis_templates SET doc = ?, updated_us = ? WHERE name = ?",
        (dumps(doc), to_us(ctx.now), req["name"]),
    )
    ctx.resource_arn = current["arn"]
    ctx.emit(ev.ANALYSIS_TEMPLATE_CHANGED, current["arn"], change="updated", name=req["name"])
    return {}


@operation("DeleteAnalysisTemplate", service=OWN_SERVICE, request=NameRequest)
async def delete_analysis_template(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete a template (analyses made from it keep their questions)."""
    _refuse_standard(req["name"], "deleted")
    current = await templates.load(ctx.tx, req["name"], "name")
    await ctx.tx.execute("DELETE FROM analysis_templates WHERE name = ?", (req["name"],))
    ctx.resource_arn = current["arn"]
    ctx.emit(ev.ANALYSIS_TEMPLATE_CHANGED, current["arn"], change="deleted", name=req["name"])
    return {}
