"""The runbook executor: an execution walks its pinned document's ``mainSteps`` one step at a
time, every state a row.

- ``aws:pause`` and ``aws:approve`` wait (status Waiting) for ``signal``; ``aws:sleep`` is a
  timer; ``aws:branch`` decides at once; the steps that reach outside the core (scripts,
  commands, HTTP) run in the ``StepRunner`` after the transaction that starts them commits,
  and come back through ``finish_run``.
- A step's ``timeoutSeconds`` is a timer too, so a restart keeps it and the injected clock
  drives it. A failure is retried while ``maxAttempts`` allows, then routed by ``onFailure``
  (Abort, Continue, step:NAME); a failed ``isCritical`` step (the default) makes the
  execution end Failed even if it continued.
- Every step that starts, completes or fails adds an automatic timeline event.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core import arns
from core.engine.context import Context
from core.engine.scheduler import timer_handler
from core.engine.timeline import add_event
from core.errors import ConflictException, ResourceNotFoundException, ValidationException
from core.model import events as ev
from core.model.incidents import TimelineEventType
from core.runbooks.choices import choose
from core.runbooks.document import execution_arn, step_index, steps_of
from core.runbooks.durations import parse_duration, parse_instant
from core.runbooks.results import declared_outputs
from core.runbooks.substitution import substitute
from core.runbooks.validation import END, successors
from core.store.db import dumps, loads
from core.timeutil import to_us

SLEEP_TIMER = "runbook.sleep"
TIMEOUT_TIMER = "runbook.timeout"
EXTERNAL_ACTIONS = {"aws:executeScript": 600, "cockpit:runCommand": 600, "cockpit:httpRequest": 60}  # default timeouts (s)
WAITING_ACTIONS = ("aws:pause", "aws:approve")
ENDED = ("Success", "Failed", "Cancelled", "TimedOut")
SLEEP_BATCH = 250  # sleeps resumed in one transaction
MAX_STEP_RUNS = 1000  # a loop through branches stops here
SIGNALS = ("Resume", "Approve", "Reject", "Retry")


def _timer_key(execution_id: str, seq: int, kind: str) -> str:
    return f"runbook:{execution_id}:{seq}:{kind}"


class Execution:
    """One execution row, loaded for a transaction."""

    def __init__(self, row: Any) -> None:
        self.id: str = row["id"]
        self.arn: str = row["arn"]
        self.incident_arn: str = row["incident_arn"]
        self.name: str = row["runbook_name"]
        self.version: int = row["runbook_version"]
        self.doc: dict[str, Any] = loads(row["doc"])
        self.parameters: dict[str, Any] = loads(row["parameters"])
        self.outputs: dict[str, Any] = loads(row["outputs"])
        self.status: str = row["status"]
        self.failed_critical = bool(row["failed_critical"])

    def step(self, name: str) -> dict[str, Any]:
        return steps_of(self.doc)[step_index(self.doc)[name]]

    def variables(self) -> dict[str, Any]:
        return {**self.parameters, **self.outputs, "automation:EXECUTION_ID": self.id}


async def find_execution(ctx: Context, execution_id: str) -> Execution | None:
    row = await ctx.tx.fetchone("SELECT * FROM runbook_executions WHERE id = ? OR arn = ?", (execution_id, execution_id))
    return None if row is None else Execution(row)


async def load_execution(ctx: Context, execution_id: str) -> Execution:
    exe = await find_execution(ctx, execution_id)
    if exe is None:
        raise ResourceNotFoundException(f"runbook execution {execution_id} does not exist", "RUNBOOK_EXECUTION", execution_id)
    return exe


async def _timeline(ctx: Context, exe: Execution, message: str, **data: Any) -> None:
    await add_event(
        ctx, exe.incident_arn, TimelineEventType.RUNBOOK.value,
        {"message": message, "runbook": exe.name, "version": exe.version, "executionArn": exe.arn, **data},
    )


def _changed(ctx: Context, exe: Execution, step: str | None, status: str) -> None:
    ctx.emit(ev.RUNBOOK_EXECUTION_CHANGED, exe.incident_arn, executionId=exe.id, step=step, status=status)


async def _set_execution(ctx: Context, exe: Execution, **columns: Any) -> None:
    sets = ", ".join(f"{k} = ?" for k in columns)
    await ctx.tx.execute(f"UPDATE runbook_executions SET {sets} WHERE id = ?", (*columns.values(), exe.id))  # noqa: S608
    for key, value in columns.items():
        if key == "status":
            exe.status = value


async def _set_step(ctx: Context, exe: Execution, seq: int, **columns: Any) -> None:
    sets = ", ".join(f"{k} = ?" for k in columns)
    await ctx.tx.execute(
        f"UPDATE runbook_steps SET {sets} WHERE execution_id = ? AND seq = ?",  # noqa: S608
        (*columns.values(), exe.id, seq),
    )


async def _step_row(ctx: Context, exe: Execution, seq: int) -> Any:
    return await ctx.tx.fetchone("SELECT * FROM runbook_steps WHERE execution_id = ? AND seq = ?", (exe.id, seq))


async def start_execution(
    ctx: Context,
    *,
    doc: dict[str, Any],
    name: str,
    version: int,
    parameters: dict[str, Any],
    incident_arn: str,
    role_arn: str | None = None,
) -> Execution:
    """Insert an execution of ``doc`` (already validated, parameters resolved) and enter its
    first step, in the caller's transaction."""
    execution_id = arns.new_uuid()
    arn = execution_arn(ctx.region, ctx.account_id, execution_id)
    await ctx.tx.execute(
        "INSERT INTO runbook_executions (id, arn, incident_arn, runbook_name, runbook_version, doc, parameters,"
        " status, role_arn, started_by, started_us) VALUES (?, ?, ?, ?, ?, ?, ?, 'InProgress', ?, ?, ?)",
        (execution_id, arn, incident_arn, name, version, dumps(doc), dumps(parameters), role_arn,
         ctx.principal.arn, to_us(ctx.now)),
    )
    exe = await load_execution(ctx, execution_id)
    await _timeline(ctx, exe, f"Runbook {name} (version {version}) started")
    await _enter(ctx, exe, steps_of(doc)[0]["name"], 1)
    return exe


async def _enter(ctx: Context, exe: Execution, name: str, seq: int) -> None:
    """Run step ``name`` as the execution's ``seq``-th step run (the runs so far + 1)."""
    if seq > MAX_STEP_RUNS:
        await _finish(ctx, exe, "Failed", f"the execution ran {MAX_STEP_RUNS} steps; stopped to break a loop")
        return
    step = exe.step(name)
    await ctx.tx.execute(
        "INSERT INTO runbook_steps (execution_id, seq, step_name, action, status, started_us)"
        " VALUES (?, ?, ?, ?, 'InProgress', ?)",
        (exe.id, seq, name, step["action"], to_us(ctx.now)),
    )
    await _timeline(ctx, exe, f"Step {name} ({step['action']}) started", step=name, state="started")
    await _begin(ctx, exe, seq, step, attempt=1)


async def _begin(ctx: Context, exe: Execution, seq: int, step: dict[str, Any], attempt: int) -> None:
    """Run (or start waiting on) one attempt of a step."""
    action, name = step["action"], step["name"]
    try:
        inputs = substitute(step.get("inputs") or {}, exe.variables())
    except KeyError as exc:
        await _set_step(ctx, exe, seq, attempt=attempt)
        await _fail(ctx, exe, seq, name, attempt,
                    f"input refers to {{{{ {exc.args[0]} }}}}, which has no value (its step did not complete)")
        return
    due = None
    if action == "aws:sleep":
        try:
            due = ctx.now + parse_duration(inputs["Duration"]) if "Duration" in inputs else parse_instant(inputs["Timestamp"])
        except ValueError as exc:
            await _set_step(ctx, exe, seq, inputs=dumps(inputs), attempt=attempt)
            await _fail(ctx, exe, seq, name, attempt, str(exc))
            return
    status = "Waiting" if action in WAITING_ACTIONS else "InProgress"
    await _set_step(ctx, exe, seq, inputs=dumps(inputs), attempt=attempt, status=status, failure=None, ended_us=None,
                    approvals="[]", due_us=to_us(due) if due and due > ctx.now else None)
    await _set_execution(ctx, exe, current_step=name, status=status)
    timeout = _timeout(step)
    if timeout:
        await ctx.core.scheduler.schedule(
            ctx.tx, TIMEOUT_TIMER, ctx.now + timedelta(seconds=timeout),
            {"execution": exe.id, "seq": seq, "attempt": attempt, "seconds": timeout},
            dedupe_key=_timer_key(exe.id, seq, "timeout"),
        )
    if action == "aws:sleep":
        if due is None or due <= ctx.now:
            await _complete(ctx, exe, seq, name, {})
            return
        await ctx.core.scheduler.schedule(
            ctx.tx, SLEEP_TIMER, due, {"execution": exe.id, "seq": seq}, dedupe_key=_timer_key(exe.id, seq, "sleep")
        )
    elif action == "aws:branch":
        try:
            target = choose(inputs)
        except ValueError as exc:
            await _fail(ctx, exe, seq, name, attempt, f"a choice cannot be evaluated: {exc}")
            return
        if target is None:
            await _fail(ctx, exe, seq, name, attempt, "no choice matched and the step has no Default")
            return
        await _complete(ctx, exe, seq, name, {"NextStep": target}, next_step=target)
        return
    elif action not in WAITING_ACTIONS:
        runner = ctx.core.runbook_runner
        ctx.tx.after_commit(lambda: runner.launch(exe.id, seq, attempt, action, name, inputs, timeout))
    _changed(ctx, exe, name, status)


def _timeout(step: dict[str, Any]) -> int | None:
    """The step's timeout in seconds (a sleep's own length bounds it)."""
    if step["action"] in ("aws:sleep", "aws:branch"):
        return None
    return step.get("timeoutSeconds") or EXTERNAL_ACTIONS.get(step["action"])


async def _cancel_timers(ctx: Context, exe: Execution, seq: int, step: dict[str, Any], slept: bool = False) -> None:
    """Cancel the timers this step run may have (a sleep's end, unless it is what fired; a timeout)."""
    if step["action"] == "aws:sleep" and not slept:
        await ctx.core.scheduler.cancel(ctx.tx, _timer_key(exe.id, seq, "sleep"))
    if _timeout(step):
        await ctx.core.scheduler.cancel(ctx.tx, _timer_key(exe.id, seq, "timeout"))


def _following(exe: Execution, name: str) -> str:
    steps = steps_of(exe.doc)
    return next(iter(successors(steps, step_index(exe.doc)[name])))


async def _complete(
    ctx: Context, exe: Execution, seq: int, name: str, outputs: dict[str, Any], next_step: str | None = None,
    slept: bool = False,
) -> None:
    """Step run ``seq`` (step ``name``) succeeded; go on (the next step, or the end, reports
    the change). ``slept``: its sleep timer is what fired."""
    step = exe.step(name)
    await _cancel_timers(ctx, exe, seq, step, slept)
    await _set_step(ctx, exe, seq, status="Success", outputs=dumps(outputs), ended_us=to_us(ctx.now))
    declared = {o["Name"] for o in step.get("outputs") or []}
    shown = {k: outputs[k] for k in declared if k in outputs}
    if shown:
        exe.outputs.update({f"{name}.{k}": v for k, v in shown.items()})
        await _set_execution(ctx, exe, outputs=dumps(exe.outputs))
    await _timeline(ctx, exe, f"Step {name} completed", step=name, state="completed", **({"outputs": shown} if shown else {}))
    await _route(ctx, exe, next_step or _following(exe, name), seq)


async def _route(ctx: Context, exe: Execution, target: str, seq: int) -> None:
    if target == END:
        await _finish(ctx, exe, "Failed" if exe.failed_critical else "Success")
    else:
        await _enter(ctx, exe, target, seq + 1)


async def _fail(
    ctx: Context, exe: Execution, seq: int, name: str, attempt: int, message: str,
    status: str = "Failed", retry: bool = True,
) -> None:
    step = exe.step(name)
    await _cancel_timers(ctx, exe, seq, step)
    if retry and attempt < (step.get("maxAttempts") or 1):
        await _timeline(
            ctx, exe, f"Step {name} failed (attempt {attempt} of {step['maxAttempts']}), retrying: {message}",
            step=name, state="retrying",
        )
        await _begin(ctx, exe, seq, step, attempt + 1)
        return
    await _set_step(ctx, exe, seq, status=status, failure=message, ended_us=to_us(ctx.now))
    await _timeline(ctx, exe, f"Step {name} {'timed out' if status == 'TimedOut' else 'failed'}: {message}", step=name, state="failed")
    _changed(ctx, exe, name, status)
    if step.get("isCritical", True):
        exe.failed_critical = True
        await _set_execution(ctx, exe, failed_critical=1)
    route = step.get("onFailure", "Abort")
    if route == "Abort":
        await _finish(ctx, exe, status, f"step {name}: {message}")
    elif route == "Continue":
        nxt = _following(exe, name) if step["action"] != "aws:branch" else _next_in_order(exe, name)
        await _route(ctx, exe, nxt, seq)
    else:
        await _enter(ctx, exe, route[5:], seq + 1)


def _next_in_order(exe: Execution, name: str) -> str:
    steps = steps_of(exe.doc)
    i = step_index(exe.doc)[name]
    return steps[i + 1]["name"] if i + 1 < len(steps) else END


async def _finish(ctx: Context, exe: Execution, status: str, failure: str | None = None) -> None:
    await _set_execution(ctx, exe, status=status, failure=failure, ended_us=to_us(ctx.now))
    await _timeline(ctx, exe, f"Runbook {exe.name} ended: {status}" + (f" ({failure})" if failure else ""), state="ended", status=status)
    _changed(ctx, exe, None, status)


async def _latest(ctx: Context, exe: Execution) -> Any:
    return await ctx.tx.fetchone(
        "SELECT * FROM runbook_steps WHERE execution_id = ? ORDER BY seq DESC LIMIT 1", (exe.id,)
    )


# -- what comes from outside: a run's result, a timer, a responder's signal, a stop -------------
async def finish_run(ctx: Context, execution_id: str, seq: int, attempt: int, result: dict[str, Any] | None, error: str | None) -> None:
    """An external step's attempt ended (``result``, or ``error`` saying why it failed)."""
    exe = await find_execution(ctx, execution_id)
    if exe is None:
        return  # deleted with its incident meanwhile
    row = await _step_row(ctx, exe, seq)
    if row is None or row["status"] != "InProgress" or row["attempt"] != attempt or exe.status in ENDED:
        return  # it timed out or was stopped meanwhile
    if error is None:
        try:
            outputs = declared_outputs(exe.step(row["step_name"]), result or {})
        except (KeyError, ValueError) as exc:
            error = str(exc.args[0]) if exc.args else str(exc)
        else:
            await _complete(ctx, exe, seq, row["step_name"], outputs)
            return
    await _fail(ctx, exe, seq, row["step_name"], attempt, error)


async def _wake(ctx: Context, payload: dict[str, Any]) -> None:
    exe = await find_execution(ctx, payload["execution"])
    if exe is None:
        return  # deleted with its incident
    row = await _step_row(ctx, exe, payload["seq"])
    if row is not None and row["status"] == "InProgress" and exe.status not in ENDED:
        await _complete(ctx, exe, payload["seq"], row["step_name"], {}, slept=True)


@timer_handler(SLEEP_TIMER)
async def _sleep_ended(ctx: Context, payload: dict[str, Any]) -> None:
    """A sleep is over; the other sleeps due now resume in the same commit (a burst of them,
    say a thousand executions waiting for the same moment, costs a few commits, not one each)."""
    await _wake(ctx, payload)
    for other in await ctx.core.scheduler.claim_due(ctx.tx, SLEEP_TIMER, SLEEP_BATCH - 1):
        await _wake(ctx, other)


@timer_handler(TIMEOUT_TIMER)
async def _timed_out(ctx: Context, payload: dict[str, Any]) -> None:
    exe = await find_execution(ctx, payload["execution"])
    if exe is None:
        return  # deleted with its incident
    seq = payload["seq"]
    row = await _step_row(ctx, exe, seq)
    if row is None or row["status"] not in ("InProgress", "Waiting") or row["attempt"] != payload["attempt"] or exe.status in ENDED:
        return
    runner = ctx.core.runbook_runner
    ctx.tx.after_commit(lambda: runner.cancel(exe.id, seq))
    await _fail(ctx, exe, seq, row["step_name"], row["attempt"], f"the step timed out after {payload['seconds']} seconds",
                status="TimedOut")


async def _approver_names(ctx: Context) -> set[str]:
    """What an approver list may call the caller: user name or ARN, linked contact's ARN or alias."""
    principal = ctx.principal
    names = {principal.arn, principal.name}
    row = await ctx.tx.fetchone(
        "SELECT c.arn, c.alias FROM users u JOIN contacts c ON c.arn = u.contact_arn WHERE u.arn = ?", (principal.arn,)
    )
    if row is not None:
        names |= {row["arn"], row["alias"]}
    return names


def _bad_signal(message: str) -> ConflictException:
    return ConflictException(message)


async def signal(ctx: Context, execution_id: str, step_name: str, kind: str, comment: str | None) -> Execution:
    """Resume a pause, approve or reject an approval, or retry the step an execution failed on."""
    exe = await load_execution(ctx, execution_id)
    if step_name not in step_index(exe.doc):
        raise ValidationException(
            f"runbook {exe.name} has no step {step_name!r}", fields=[{"name": "stepName", "message": "no such step"}]
        )
    row = await _latest(ctx, exe)
    if kind == "Retry":
        if exe.status not in ("Failed", "TimedOut") or row is None or row["step_name"] != step_name or row["status"] not in ("Failed", "TimedOut"):
            raise _bad_signal(f"step {step_name} did not end this execution by failing; only that step can be retried")
        await _set_execution(ctx, exe, status="InProgress", failure=None, ended_us=None, failed_critical=0)
        exe.failed_critical = False
        await _timeline(ctx, exe, f"Step {step_name} retried by {ctx.principal.name}", step=step_name, state="started")
        await _begin(ctx, exe, row["seq"], exe.step(step_name), row["attempt"] + 1)
        return exe
    if exe.status in ENDED:
        raise _bad_signal(f"the execution has ended ({exe.status})")
    if row is None or row["step_name"] != step_name or row["status"] != "Waiting":
        current = row["step_name"] if row is not None else "none"
        raise _bad_signal(f"step {step_name} is not waiting for a signal (the current step is {current})")
    action = row["action"]
    seq = row["seq"]
    if kind == "Resume":
        if action != "aws:pause":
            raise _bad_signal(f"step {step_name} is an {action}: approve or reject it")
        await _complete(ctx, exe, seq, step_name, {"ResumedBy": ctx.principal.arn, **({"Comment": comment} if comment else {})})
        return exe
    if action != "aws:approve":
        raise _bad_signal(f"step {step_name} is an {action}: resume it")
    inputs = loads(row["inputs"])
    approvers = set(inputs.get("Approvers") or [])
    mine = await _approver_names(ctx)
    if not approvers & mine:
        raise _bad_signal(f"{ctx.principal.name} is not an approver of step {step_name}")
    decisions = loads(row["approvals"])
    if any(d["by"] == ctx.principal.arn for d in decisions):
        raise _bad_signal(f"{ctx.principal.name} has already decided on step {step_name}")
    decision = "Approved" if kind == "Approve" else "Rejected"
    decisions.append({"by": ctx.principal.arn, "name": ctx.principal.name, "decision": decision, "comment": comment, "time": ctx.now.isoformat()})
    await _set_step(ctx, exe, seq, approvals=dumps(decisions))
    await _timeline(ctx, exe, f"Step {step_name}: {decision.lower()} by {ctx.principal.name}" + (f" ({comment})" if comment else ""), step=step_name, state=decision.lower())
    if kind == "Reject":
        await _fail(ctx, exe, seq, step_name, row["attempt"], f"rejected by {ctx.principal.name}" + (f": {comment}" if comment else ""),
                    retry=False)
        return exe
    approved = [d for d in decisions if d["decision"] == "Approved"]
    if len(approved) >= int(inputs.get("MinRequiredApprovals", 1)):
        await _complete(ctx, exe, seq, step_name, {"ApprovalStatus": "Approved", "ApproverDecisions": approved})
    else:
        _changed(ctx, exe, step_name, "Waiting")
    return exe


async def stop(ctx: Context, execution_id: str) -> Execution:
    exe = await load_execution(ctx, execution_id)
    if exe.status in ENDED:
        raise ConflictException(f"the execution has already ended ({exe.status})")
    row = await _latest(ctx, exe)
    if row is not None and row["status"] in ("InProgress", "Waiting"):
        await _cancel_timers(ctx, exe, row["seq"], exe.step(row["step_name"]))
        await _set_step(ctx, exe, row["seq"], status="Cancelled", ended_us=to_us(ctx.now))
        runner = ctx.core.runbook_runner
        seq = row["seq"]
        ctx.tx.after_commit(lambda: runner.cancel(exe.id, seq))
    await _set_execution(ctx, exe, status="Cancelled", ended_us=to_us(ctx.now), failure=f"stopped by {ctx.principal.name}")
    await _timeline(ctx, exe, f"Runbook {exe.name} stopped by {ctx.principal.name}", state="ended", status="Cancelled")
    _changed(ctx, exe, None, "Cancelled")
    return exe
