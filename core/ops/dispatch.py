"""The one dispatch path every binding takes:

    validate request -> in a store transaction: authorize principal (role and contact
    policies, core/ops/access.py) -> run handler -> write audit record
    -> publish domain events (after commit) -> return response

A read-only operation (``readonly=True``) authorizes and runs in ``Database.read()``, on a
read-only connection outside the writer's turn (a long report holds up no write); its audit
record is then written in a transaction of its own, and the answer returns once that commits.
"""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Any

from core.engine.context import Context
from core.errors import InternalServerException, ServiceError, ValidationException
from core.ops.access import authorize_call
from core.ops.registry import REGISTRY, Operation
from core.security import audit
from core.security.principals import Principal
from core.store.db import Tx, dumps, loads
from core.timeutil import to_us

if TYPE_CHECKING:
    from core.runtime import Core

log = logging.getLogger("cockpit.core.dispatch")


async def dispatch(
    core: Core, principal: Principal, name: str, params: Any, origin: str = "local",
    source_ip: str | None = None,
) -> dict[str, Any]:
    op: Operation | None = None
    ctx: Context | None = None
    try:
        op = REGISTRY.resolve(name, params)
        request = op.validate(params)
        if op.readonly:
            async with core.db.read() as tx:
                ctx = Context(core, tx, principal, origin, source_ip)
                result = await _run(ctx, op, request)
            async with core.db.transaction() as tx:
                await _audit_ok(tx, ctx, op, params)
            return result
        async with core.db.transaction() as tx:
            ctx = Context(core, tx, principal, origin, source_ip)
            token = request.get(op.token_member) if op.token_member else None
            result = await _run(ctx, op, request, token)
            await _audit_ok(tx, ctx, op, params)
        return result
    except ServiceError as raised:
        err = op.listed_error(raised) if op is not None else raised
        if err is not raised:
            log.warning("%s raised %s, which its model does not list; answering %s", name, raised.code, err.code)
        writes = ctx.failure_writes if ctx is not None else []
        await _audit_failure(core, principal, origin, op, name, params, err.code, err.message, writes, source_ip)
        if err is raised:
            raise
        raise err from raised
    except Exception as exc:
        log.exception("operation %s failed unexpectedly", name)
        message = f"the core failed to run {name}: {type(exc).__name__}; see the core log"
        await _audit_failure(
            core, principal, origin, op, name, params, "InternalServerException", message, None, source_ip
        )
        raise InternalServerException(message) from exc


async def _run(ctx: Context, op: Operation, request: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    """Authorize the call, then answer it: the remembered answer to ``token``, else the handler's."""
    await authorize_call(ctx, op.action, request)
    if op.needs_replication_set:
        await require_replication_set(ctx.tx)
    result = await _replay(ctx.tx, op, ctx.principal, token, request) if token else None
    if result is None:
        result = op.shape_output(await op.handler(ctx, request))
        if token:
            await _remember(ctx, op, token, request, result)
    return result


async def _audit_ok(tx: Tx, ctx: Context, op: Operation, params: Any) -> None:
    await audit.record(
        tx,
        when=ctx.now,
        operation=op.name,
        principal=ctx.principal,
        origin=ctx.origin,
        params=params,
        result="OK",
        resource_arn=ctx.resource_arn,
        secrets=op.secret_members,
        source_ip=ctx.source_ip,
    )


async def require_replication_set(tx: Tx) -> None:
    if await tx.scalar("SELECT 1 FROM replication_sets LIMIT 1") is None:
        raise ValidationException(
            "Incident Cockpit is not set up yet: create a replication set first "
            "(CreateReplicationSet, or the Get prepared wizard in the cockpit)",
            fields=[{"name": "replicationSet", "message": "does not exist yet"}],
        )


def _request_hash(request: dict[str, Any]) -> str:
    body = {k: v for k, v in request.items() if k not in ("clientToken", "IdempotencyToken")}
    return hashlib.sha256(dumps(body).encode()).hexdigest()


async def _replay(
    tx: Tx, op: Operation, principal: Principal, token: str, request: dict[str, Any]
) -> dict[str, Any] | None:
    row = await tx.fetchone(
        "SELECT request_hash, response FROM idempotency WHERE operation=? AND principal=? AND token=?",
        (op.name, principal.arn, token),
    )
    if row is None:
        return None
    if row["request_hash"] != _request_hash(request):
        raise ValidationException(
            f"clientToken {token!r} was already used for a different {op.name} request",
            fields=[{"name": "clientToken", "message": "reused with different parameters"}],
        )
    return op.shape_output(loads(row["response"]))


async def _remember(
    ctx: Context, op: Operation, token: str, request: dict[str, Any], result: dict[str, Any]
) -> None:
    await ctx.tx.execute(
        "INSERT INTO idempotency (operation, token, principal, request_hash, response, created_us)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (op.name, token, ctx.principal.arn, _request_hash(request), dumps(result), to_us(ctx.now)),
    )


async def _audit_failure(
    core: Core,
    principal: Principal,
    origin: str,
    op: Operation | None,
    name: str,
    params: Any,
    code: str,
    message: str,
    writes: list[tuple[str, tuple[Any, ...]]] | None = None,
    source_ip: str | None = None,
) -> None:
    try:
        async with core.db.transaction() as tx:
            for sql, args in writes or []:
                await tx.execute(sql, args)
            await audit.record(
                tx,
                when=core.clock.now(),
                operation=op.name if op else str(name)[:128],
                principal=principal,
                origin=origin,
                params=params if isinstance(params, dict) else {"(request)": repr(params)[:200]},
                result=code,
                error_message=message[:2000],
                secrets=op.secret_members if op else frozenset(),
                source_ip=source_ip,
            )
    except Exception:  # the failure itself must still reach the caller
        log.exception("could not write the audit record for a failed %s", name)
