"""Runbook executions (our own operations): start one on a running incident, read it, signal
its waiting step (resume a pause, approve or reject, retry a failed step), stop it.

A response plan's ``actions[].ssmAutomation`` starts its runbook when an incident starts, as
in AWS's model: ``parameters`` (lists of text) and ``dynamicParameters`` (INCIDENT_RECORD_ARN,
INVOLVED_RESOURCES) fill the document's parameters, and the required ``roleArn`` is stored
(the runbook runs with the response plan's own rights). An execution becomes an AUTOMATION
related item and is listed in the record's ``automationExecutions``.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.engine.context import Context
from core.engine.timeline import add_event
from core.errors import ConflictException, ServiceError, ValidationException
from core.model.incidents import IncidentStatus, TimelineEventType
from core.ops import hooks
from core.ops.incidents import load_record, save_record
from core.ops.registry import OWN_SERVICE, operation
from core.ops.related_items import add_item
from core.ops.runbooks import RunbookName, load_version
from core.runbooks import executor
from core.runbooks.document import steps_of
from core.runbooks.parameters import resolve_parameters
from core.store.db import loads
from core.timeutil import from_us

log = logging.getLogger("cockpit.core.runbooks")
ExecutionId = Field(min_length=1, max_length=2048, description="the execution's id or ARN")


async def start(
    ctx: Context, record: dict[str, Any], name: str, version: int | None, given: dict[str, Any],
    role_arn: str | None = None, field: str = "parameters",
) -> executor.Execution:
    """Start runbook ``name`` on an open incident, in the caller's transaction."""
    if record["status"] != IncidentStatus.OPEN.value:
        raise ConflictException(f"incident {record['arn']} is resolved; a runbook starts only on a running incident")
    row, ver = await load_version(ctx, name, version)
    doc = loads(ver["doc"])
    params = resolve_parameters(doc, given, field)
    exe = await executor.start_execution(
        ctx, doc=doc, name=name, version=ver["version"], parameters=params,
        incident_arn=record["arn"], role_arn=role_arn,
    )
    await add_item(ctx, record["arn"], {
        "identifier": {"type": "AUTOMATION", "value": {"arn": exe.arn}},
        "title": f"Runbook {name} (version {ver['version']})",
    })
    record = await load_record(ctx, record["arn"])
    record["automationExecutions"] = [*(record.get("automationExecutions") or []), {"ssmExecutionArn": exe.arn}]
    await save_record(ctx, record)
    return exe


def _plan_version(text: str | None) -> int | None:
    if text in (None, "", "$LATEST", "$DEFAULT"):
        return None
    if not str(text).isdigit():
        raise ValidationException(
            f"documentVersion {text!r} must be a version number, $LATEST or $DEFAULT",
            fields=[{"name": "actions.ssmAutomation.documentVersion", "message": "not a version"}],
        )
    return int(text)


async def _involved_resources(ctx: Context, record: dict[str, Any]) -> list[str]:
    found = [record["incidentRecordSource"]["resourceArn"]] if record["incidentRecordSource"].get("resourceArn") else []
    rows = await ctx.tx.fetchall(
        "SELECT doc FROM related_items WHERE incident_arn = ? AND item_type = 'INVOLVED_RESOURCE'", (record["arn"],)
    )
    found += [loads(r["doc"])["identifier"]["value"].get("arn") for r in rows]
    return [a for a in found if a]


async def _start_plan_runbooks(ctx: Context, record: dict[str, Any], plan: dict[str, Any]) -> None:
    """The incident_started hook: a runbook that cannot start is noted on the timeline; the
    incident itself still starts."""
    for action in plan.get("actions") or []:
        ssm = action.get("ssmAutomation")
        if not ssm:
            continue
        given: dict[str, Any] = dict(ssm.get("parameters") or {})
        for key, dynamic in (ssm.get("dynamicParameters") or {}).items():
            variable = dynamic.get("variable")
            given[key] = [record["arn"]] if variable == "INCIDENT_RECORD_ARN" else await _involved_resources(ctx, record)
        try:
            await start(ctx, record, ssm["documentName"], _plan_version(ssm.get("documentVersion")), given,
                        ssm.get("roleArn"), field="ssmAutomation.parameters")
        except ServiceError as exc:
            log.warning("the response plan's runbook %s did not start: %s", ssm["documentName"], exc.message)
            await add_event(ctx, record["arn"], TimelineEventType.RUNBOOK.value, {
                "message": f"Runbook {ssm['documentName']} could not start: {exc.message}",
                "runbook": ssm["documentName"], "state": "not-started",
            })


hooks.incident_started.append(_start_plan_runbooks)


class StartRunbookExecutionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    incidentRecordArn: str = Field(min_length=1, max_length=1000)
    runbookName: str = RunbookName
    runbookVersion: int | None = Field(default=None, ge=1, description="the latest when left out")
    parameters: dict[str, Any] = Field(default_factory=dict)


@operation("StartRunbookExecution", service=OWN_SERVICE, request=StartRunbookExecutionRequest)
async def start_runbook_execution(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Start a runbook on a running incident (it pins the runbook's version)."""
    record = await load_record(ctx, req["incidentRecordArn"])
    exe = await start(ctx, record, req["runbookName"], req.get("runbookVersion"), req.get("parameters") or {})
    ctx.resource_arn = record["arn"]
    return {"executionId": exe.id, "executionArn": exe.arn}


async def _view(ctx: Context, exe: executor.Execution) -> dict[str, Any]:
    row = await ctx.tx.fetchone("SELECT * FROM runbook_executions WHERE id = ?", (exe.id,))
    runs = await ctx.tx.fetchall("SELECT * FROM runbook_steps WHERE execution_id = ? ORDER BY seq", (exe.id,))
    latest = {r["step_name"]: r for r in runs}
    steps = []
    for step in steps_of(exe.doc):
        run = latest.get(step["name"])
        inputs = step.get("inputs") or {}
        item: dict[str, Any] = {
            "name": step["name"],
            "action": step["action"],
            "description": step.get("description") or inputs.get("Message") or "",
            "status": run["status"] if run else "Pending",
            "inputs": loads(run["inputs"]) if run and run["inputs"] != "{}" else inputs,
        }
        if run:
            item.update(
                attempt=run["attempt"],
                outputs=loads(run["outputs"]),
                approvals=loads(run["approvals"]),
                startTime=from_us(run["started_us"]),
            )
            for key, column in (("endTime", "ended_us"), ("dueTime", "due_us")):
                if run[column] is not None:
                    item[key] = from_us(run[column])
            if run["failure"]:
                item["failureMessage"] = run["failure"]
        steps.append(item)
    out: dict[str, Any] = {
        "executionId": exe.id,
        "executionArn": exe.arn,
        "incidentRecordArn": exe.incident_arn,
        "runbookName": exe.name,
        "runbookVersion": exe.version,
        "description": exe.doc.get("description") or "",
        "status": row["status"],
        "parameters": exe.parameters,
        "outputs": exe.outputs,
        "startedBy": row["started_by"],
        "startTime": from_us(row["started_us"]),
        "steps": steps,
        "history": [
            {"seq": r["seq"], "stepName": r["step_name"], "status": r["status"], "attempt": r["attempt"],
             "startTime": from_us(r["started_us"])}
            for r in runs
        ],
    }
    for key, value in (("currentStep", row["current_step"]), ("failureMessage", row["failure"]),
                       ("roleArn", row["role_arn"]), ("endTime", from_us(row["ended_us"]))):
        if value is not None:
            out[key] = value
    return out


class ExecutionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    executionId: str = ExecutionId


@operation("GetRunbookExecution", service=OWN_SERVICE, readonly=True, request=ExecutionRequest)
async def get_runbook_execution(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show a runbook execution: its status, and every step with its state, inputs and outputs."""
    exe = await executor.load_execution(ctx, req["executionId"])
    return {"execution": await _view(ctx, exe)}


class ListRunbookExecutionsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    incidentRecordArn: str = Field(min_length=1, max_length=1000)


@operation("ListRunbookExecutions", service=OWN_SERVICE, readonly=True, request=ListRunbookExecutionsRequest)
async def list_runbook_executions(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List an incident's runbook executions, oldest first."""
    rows = await ctx.tx.fetchall(
        "SELECT id, arn, runbook_name, runbook_version, status, current_step, started_us FROM runbook_executions"
        " WHERE incident_arn = ? ORDER BY started_us, id",
        (req["incidentRecordArn"],),
    )
    return {"executions": [
        {"executionId": r["id"], "executionArn": r["arn"], "runbookName": r["runbook_name"],
         "runbookVersion": r["runbook_version"], "status": r["status"], "startTime": from_us(r["started_us"]),
         **({"currentStep": r["current_step"]} if r["current_step"] else {})}
        for r in rows
    ]}


class SignalRunbookStepRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    executionId: str = ExecutionId
    stepName: str = Field(min_length=1, max_length=128)
    signal: Literal["Resume", "Approve", "Reject", "Retry"]
    comment: str | None = Field(default=None, max_length=1000)


@operation("SignalRunbookStep", service=OWN_SERVICE, request=SignalRunbookStepRequest)
async def signal_runbook_step(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Resume a manual step, approve or reject an approval step, or retry the step an execution failed on."""
    exe = await executor.signal(ctx, req["executionId"], req["stepName"], req["signal"], req.get("comment"))
    ctx.resource_arn = exe.incident_arn
    return {"execution": await _view(ctx, exe)}


@operation("StopRunbookExecution", service=OWN_SERVICE, request=ExecutionRequest)
async def stop_runbook_execution(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Stop a runbook execution (its current step is cancelled)."""
    exe = await executor.stop(ctx, req["executionId"])
    ctx.resource_arn = exe.incident_arn
    return {"execution": await _view(ctx, exe)}
