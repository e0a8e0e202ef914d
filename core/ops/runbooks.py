"""Runbook documents (our own operations): SSM Automation documents (schemaVersion 0.3) in
YAML or JSON, checked on save, with a new version at every update. ``fromTemplate`` clones a
shipped template; GetRunbookValidation lists a document's problems without saving it (a read)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.engine.context import Context
from core.errors import (
    ConflictException,
    ResourceNotFoundException,
    ServiceError,
    ValidationException,
)
from core.model import events as ev
from core.ops import pagination
from core.ops.registry import OWN_SERVICE, operation
from core.runbooks import validation
from core.runbooks.document import Loaded, load_document, runbook_arn
from core.runbooks.templates import TEMPLATES
from core.store.db import dumps, loads
from core.timeutil import from_us, to_us

RunbookName = Field(pattern=r"^[A-Za-z0-9_.\-]{3,128}$", description="3-128 letters, digits and _.-")
CONTENT_MAX = 512_000
Format = Literal["YAML", "JSON"]


class _Content(BaseModel):
    model_config = ConfigDict(extra="forbid")
    content: str | None = Field(default=None, min_length=1, max_length=CONTENT_MAX,
                                description="the document: YAML, JSON, or `aws ssm get-document` output")
    documentFormat: Format | None = Field(default=None, description="told from the content when left out")


class CreateRunbookRequest(_Content):
    name: str = RunbookName
    fromTemplate: str | None = Field(default=None, description="clone a shipped template (ListRunbookTemplates)")

    @model_validator(mode="after")
    def _one_source(self) -> CreateRunbookRequest:
        if (self.content is None) == (self.fromTemplate is None):
            raise ValueError("give either content or fromTemplate")
        return self


def _loaded(req: dict[str, Any]) -> Loaded:
    """The request's document, loaded and checked (ValidationException listing every problem)."""
    template = req.get("fromTemplate")
    if template is not None:
        if template not in TEMPLATES:
            raise ValidationException(
                f"there is no runbook template {template!r} (templates: {', '.join(TEMPLATES)})",
                fields=[{"name": "fromTemplate", "message": "unknown template"}],
            )
        loaded = load_document(TEMPLATES[template], "YAML")
    else:
        loaded = load_document(req["content"], req.get("documentFormat"))
    validation.check(loaded.doc)
    return loaded


async def _row(ctx: Context, name: str) -> Any:
    row = await ctx.tx.fetchone("SELECT * FROM runbooks WHERE name = ?", (name,))
    if row is None:
        raise ResourceNotFoundException(f"runbook {name!r} does not exist", "RUNBOOK", name)
    return row


async def load_version(ctx: Context, name: str, version: int | None = None) -> tuple[Any, Any]:
    """(runbooks row, runbook_versions row) of ``version`` (the latest when None)."""
    row = await _row(ctx, name)
    wanted = version or row["latest_version"]
    ver = await ctx.tx.fetchone("SELECT * FROM runbook_versions WHERE name = ? AND version = ?", (name, wanted))
    if ver is None:
        raise ResourceNotFoundException(
            f"runbook {name!r} has no version {wanted} (its latest is {row['latest_version']})", "RUNBOOK", name
        )
    return row, ver


def _view(row: Any, ver: Any) -> dict[str, Any]:
    doc = loads(ver["doc"])
    return {
        "name": row["name"],
        "arn": row["arn"],
        "version": ver["version"],
        "latestVersion": row["latest_version"],
        "description": doc.get("description") or "",
        "documentFormat": ver["format"],
        "content": ver["content"],
        "parameters": doc.get("parameters") or {},
        "steps": [{"name": s["name"], "action": s["action"], "description": s.get("description") or ""}
                  for s in doc["mainSteps"]],
        "createdTime": from_us(row["created_us"]),
        "updatedTime": from_us(row["updated_us"]),
    }


async def _save_version(ctx: Context, name: str, version: int, loaded: Loaded) -> None:
    await ctx.tx.execute(
        "INSERT INTO runbook_versions (name, version, format, content, doc, created_us) VALUES (?, ?, ?, ?, ?, ?)",
        (name, version, loaded.format, loaded.content, dumps(loaded.doc), to_us(ctx.now)),
    )


def _changed(ctx: Context, arn: str, name: str, version: int | None, change: str) -> None:
    ctx.resource_arn = arn
    ctx.emit(ev.RUNBOOK_CHANGED, arn, name=name, version=version, change=change)


@operation("CreateRunbook", service=OWN_SERVICE, request=CreateRunbookRequest)
async def create_runbook(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Save a runbook document (or clone a template) as version 1, after checking every step."""
    name = req["name"]
    loaded = _loaded(req)
    if await ctx.tx.scalar("SELECT 1 FROM runbooks WHERE name = ?", (name,)):
        raise ConflictException(f"runbook {name!r} already exists; UpdateRunbook adds a version")
    arn = runbook_arn(ctx.region, ctx.account_id, name)
    await ctx.tx.execute(
        "INSERT INTO runbooks (name, arn, latest_version, created_us, updated_us) VALUES (?, ?, 1, ?, ?)",
        (name, arn, to_us(ctx.now), to_us(ctx.now)),
    )
    await _save_version(ctx, name, 1, loaded)
    _changed(ctx, arn, name, 1, "created")
    return {"runbook": _view(*await load_version(ctx, name))}


class UpdateRunbookRequest(_Content):
    name: str = RunbookName
    content: str = Field(min_length=1, max_length=CONTENT_MAX)


@operation("UpdateRunbook", service=OWN_SERVICE, request=UpdateRunbookRequest)
async def update_runbook(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Save a new version of a runbook (running executions keep the version they started with)."""
    name = req["name"]
    row = await _row(ctx, name)
    loaded = _loaded(req)
    version = row["latest_version"] + 1
    await _save_version(ctx, name, version, loaded)
    await ctx.tx.execute(
        "UPDATE runbooks SET latest_version = ?, updated_us = ? WHERE name = ?", (version, to_us(ctx.now), name)
    )
    _changed(ctx, row["arn"], name, version, "updated")
    return {"runbook": _view(*await load_version(ctx, name))}


class GetRunbookRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = RunbookName
    version: int | None = Field(default=None, ge=1, description="the latest when left out")


@operation("GetRunbook", service=OWN_SERVICE, readonly=True, request=GetRunbookRequest)
async def get_runbook(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show a runbook document (one version; the latest by default)."""
    return {"runbook": _view(*await load_version(ctx, req["name"], req.get("version")))}


class ListRunbooksRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    maxResults: int | None = Field(default=None, ge=1, le=100)
    nextToken: str | None = Field(default=None, max_length=2000)


@operation("ListRunbooks", service=OWN_SERVICE, readonly=True, request=ListRunbooksRequest)
async def list_runbooks(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List the runbook documents by name, with their latest version's description, steps and parameter names."""
    after = pagination.decode(req.get("nextToken"), scope="runbooks")
    limit = pagination.page_size(req.get("maxResults"))
    rows = await ctx.tx.fetchall(
        "SELECT r.*, v.doc FROM runbooks r JOIN runbook_versions v ON v.name = r.name AND v.version = r.latest_version"
        " WHERE r.name > ? ORDER BY r.name LIMIT ?",
        ((after or {}).get("n", ""), limit + 1),
    )
    out: dict[str, Any] = {
        "runbooks": [
            {
                "name": r["name"],
                "arn": r["arn"],
                "latestVersion": r["latest_version"],
                "description": loads(r["doc"]).get("description") or "",
                "stepCount": len(loads(r["doc"])["mainSteps"]),
                "parameters": sorted(loads(r["doc"]).get("parameters") or {}),
                "updatedTime": from_us(r["updated_us"]),
            }
            for r in rows[:limit]
        ]
    }
    if len(rows) > limit:
        out["nextToken"] = pagination.encode({"s": "runbooks", "n": rows[limit - 1]["name"]})
    return out


class RunbookNameRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = RunbookName


@operation("DeleteRunbook", service=OWN_SERVICE, request=RunbookNameRequest)
async def delete_runbook(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete a runbook and its versions (executions keep the copy they started with)."""
    row = await _row(ctx, req["name"])
    await ctx.tx.execute("DELETE FROM runbooks WHERE name = ?", (row["name"],))
    _changed(ctx, row["arn"], row["name"], None, "deleted")
    return {}


class GetRunbookValidationRequest(_Content):
    content: str = Field(min_length=1, max_length=CONTENT_MAX)


@operation("GetRunbookValidation", service=OWN_SERVICE, readonly=True, request=GetRunbookValidationRequest)
async def get_runbook_validation(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Check a runbook document without saving it: every problem, naming its step."""
    try:
        loaded = load_document(req["content"], req.get("documentFormat"))
    except ServiceError as exc:
        return {"valid": False, "problems": [{"field": "content", "message": exc.message}]}
    found = validation.problems(loaded.doc)
    return {"valid": not found, "documentFormat": loaded.format, "problems": [p.to_dict() for p in found]}


class ListRunbookTemplatesRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")


@operation("ListRunbookTemplates", service=OWN_SERVICE, readonly=True, request=ListRunbookTemplatesRequest)
async def list_runbook_templates(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List the runbook templates CreateRunbook's fromTemplate can clone."""
    out = []
    for name, text in TEMPLATES.items():
        doc = load_document(text, "YAML").doc
        out.append({"name": name, "description": doc.get("description") or "", "steps": [s["name"] for s in doc["mainSteps"]]})
    return {"templates": out}
