"""Integrations (our own operations): a monitoring source that posts alerts to
``POST /intake/{integrationId}`` (and, for type ``opsgenie``, to the ``/v2`` Alert API).

An integration has a type (core.intake.normalize.TYPES), routing (one response plan, or
ordered event-pattern rules with a default: core.intake.routing), and a secret token. The
token is stored as its SHA-256 (it is random, 256 bits, so no slow hash is needed) and shown
once, in CreateIntegration's or RotateIntegrationToken's response. ``find_integration`` is
what the intake authenticates with.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from weakref import WeakKeyDictionary

from pydantic import BaseModel, ConfigDict, Field

from core import arns
from core.engine.context import Context
from core.errors import ConflictException, ResourceNotFoundException, ValidationException
from core.intake.generic import MappingError, check_mapping
from core.intake.routing import RoutingError, check_routing, plan_arns
from core.model.events import INTEGRATION_CHANGED
from core.ops import pagination
from core.ops.registry import OWN_SERVICE, operation
from core.ops.response_plans import get_plan
from core.store.db import dumps, loads
from core.timeutil import from_us, to_us

if TYPE_CHECKING:
    from core.runtime import Core

IntegrationType = Literal["cloudwatch-sns", "eventbridge", "alertmanager", "grafana", "opsgenie", "generic"]  # normalize.TYPES
NAME_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"
Name = Field(pattern=NAME_PATTERN, description="letters, digits and _.-")
IntegrationId = Field(pattern=r"^[a-z0-9]{1,40}$")

# integration id -> Integration, per running core; emptied whenever an integration changes
_cache: WeakKeyDictionary[Core, dict[str, Integration]] = WeakKeyDictionary()


@dataclass(frozen=True)
class Integration:
    id: str
    arn: str
    name: str
    type: str
    token_hash: str
    routing: dict[str, Any]
    options: dict[str, Any]  # resolveOnRecovery, dedupeBy, mapping

    @property
    def path(self) -> str:
        return intake_path(self.id)

    def token_matches(self, token: str) -> bool:
        return hmac.compare_digest(self.token_hash, token_hash(token))


def _new_integration_id() -> str:
    return arns.new_id()[:20]


def intake_path(integration_id: str) -> str:
    return f"/intake/{integration_id}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _integration(row: Any) -> Integration:
    doc = loads(row["doc"])
    return Integration(row["id"], row["arn"], row["name"], row["type"], row["token_hash"], doc["routing"],
                       doc["options"])


async def find_integration(core: Core, integration_id: str) -> Integration | None:
    """The integration with this id (cached until one changes), or None."""
    cache = _cache.setdefault(core, {})
    found = cache.get(integration_id)
    if found is None:
        async with core.db.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM integrations WHERE id = ?", (integration_id,))
        if row is None:
            return None
        found = cache[integration_id] = _integration(row)
    return found


async def find_integration_by_token(core: Core, token: str) -> Integration | None:
    """The integration whose token this is (the Opsgenie API's GenieKey names no integration)."""
    digest = token_hash(token)
    cache = _cache.setdefault(core, {})
    found = next((i for i in cache.values() if i.token_hash == digest), None)
    if found is not None:
        return found
    async with core.db.transaction() as tx:
        row = await tx.fetchone("SELECT id FROM integrations WHERE token_hash = ?", (digest,))
    return None if row is None else await find_integration(core, row["id"])


async def load_integration(ctx: Context, integration_id: str) -> Integration:
    row = await ctx.tx.fetchone("SELECT * FROM integrations WHERE id = ?", (integration_id,))
    if row is None:
        raise ResourceNotFoundException(
            f"integration {integration_id!r} does not exist", "INTEGRATION", integration_id
        )
    return _integration(row)


def _changed(ctx: Context, integration: Integration, change: str) -> None:
    core = ctx.core
    ctx.tx.after_commit(lambda: _cache.pop(core, None))
    ctx.resource_arn = integration.arn
    ctx.emit(INTEGRATION_CHANGED, integration.arn, integrationId=integration.id, change=change)


def _invalid(member: str, message: str) -> ValidationException:
    return ValidationException(message, fields=[{"name": member, "message": message}])


async def _checked(ctx: Context, kind: str, routing: Any, options: dict[str, Any]) -> tuple[dict, dict]:
    try:
        routing = check_routing(routing)
        if kind == "generic":
            check_mapping(options.get("mapping"))
        elif "mapping" in options:
            raise MappingError("mapping", f"mapping is for generic integrations, not {kind}")
    except (RoutingError, MappingError) as exc:
        raise _invalid(exc.member, str(exc)) from None
    for arn in plan_arns(routing):
        arns.parse(arn, field="responsePlanArn", service="ssm-incidents", kind="response-plan")
        await get_plan(ctx, arn)
    return routing, {k: v for k, v in options.items() if v is not None}


def view(integration: Integration, row: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "integrationId": integration.id,
        "integrationArn": integration.arn,
        "name": integration.name,
        "type": integration.type,
        "path": integration.path,
        "routing": integration.routing,
        "resolveOnRecovery": bool(integration.options.get("resolveOnRecovery")),
    }
    for key in ("dedupeBy", "mapping"):
        if key in integration.options:
            out[key] = integration.options[key]
    if row is not None:
        out["createdTime"] = from_us(row["created_us"])
        out["updatedTime"] = from_us(row["updated_us"])
    return out


async def _view_of(ctx: Context, integration_id: str) -> dict[str, Any]:
    row = await ctx.tx.fetchone("SELECT * FROM integrations WHERE id = ?", (integration_id,))
    out = view(_integration(row), row)
    last = await ctx.tx.fetchone(
        "SELECT received_us, status FROM intake_events WHERE integration_id = ? ORDER BY id DESC LIMIT 1",
        (integration_id,),
    )
    if last is not None:
        out["lastReceivedTime"] = from_us(last["received_us"])
        out["lastStatus"] = last["status"]
    return out


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    resolveOnRecovery: bool | None = Field(
        default=None, description="an OK, resolved or close alert resolves its incident (else: a timeline event)"
    )
    dedupeBy: Literal["groupKey", "fingerprint"] | None = Field(
        default=None, description="Alertmanager/Grafana: one incident per group (default) or per alert"
    )
    mapping: dict[str, Any] | None = Field(default=None, description="generic: JSON Pointers to title, impact...")


class CreateIntegrationRequest(Options):
    name: str = Name
    type: IntegrationType
    responsePlanArn: str | None = Field(default=None, max_length=1000, description="routing to one plan")
    routing: dict[str, Any] | None = Field(default=None, description="rules of event patterns with a default")


def _routing(req: dict[str, Any]) -> dict[str, Any] | None:
    if req.get("responsePlanArn") and req.get("routing"):
        raise _invalid("routing", "give responsePlanArn or routing, not both")
    if req.get("responsePlanArn"):
        return {"responsePlanArn": req["responsePlanArn"]}
    return req.get("routing")


def _options(req: dict[str, Any], before: dict[str, Any] | None = None) -> dict[str, Any]:
    options = dict(before or {})
    options.update({k: req[k] for k in ("resolveOnRecovery", "dedupeBy", "mapping") if k in req})
    return options


@operation("CreateIntegration", service=OWN_SERVICE, request=CreateIntegrationRequest)
async def create_integration(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Create an integration; its intake path and token are in the response, the token only there."""
    routing = _routing(req)
    if routing is None:
        raise _invalid("responsePlanArn", "an integration needs responsePlanArn or routing")
    if await ctx.tx.scalar("SELECT 1 FROM integrations WHERE name = ?", (req["name"],)):
        raise ConflictException(f"an integration named {req['name']!r} already exists")
    routing, options = await _checked(ctx, req["type"], routing, _options(req))
    integration_id = _new_integration_id()
    token = secrets.token_urlsafe(32)
    arn = arns.incidents_arn(ctx.account_id, f"integration/{integration_id}")
    await ctx.tx.execute(
        "INSERT INTO integrations (id, arn, name, type, token_hash, doc, created_us, updated_us)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (integration_id, arn, req["name"], req["type"], token_hash(token),
         dumps({"routing": routing, "options": options}), to_us(ctx.now), to_us(ctx.now)),
    )
    integration = await load_integration(ctx, integration_id)
    _changed(ctx, integration, "created")
    return {"integration": await _view_of(ctx, integration_id), "token": token, "path": integration.path}


class IntegrationIdRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    integrationId: str = IntegrationId


@operation("GetIntegration", service=OWN_SERVICE, readonly=True, request=IntegrationIdRequest)
async def get_integration(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show an integration: its type, intake path, routing and its last payload's outcome."""
    await load_integration(ctx, req["integrationId"])
    return {"integration": await _view_of(ctx, req["integrationId"])}


class ListIntegrationsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    maxResults: int | None = Field(default=None, ge=1, le=100)
    nextToken: str | None = Field(default=None, max_length=2000)


@operation("ListIntegrations", service=OWN_SERVICE, readonly=True, request=ListIntegrationsRequest)
async def list_integrations(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List the integrations, by name."""
    rows, token = await pagination.by_name(ctx.tx, "integrations", "integrations", req)
    out: dict[str, Any] = {"integrations": [await _view_of(ctx, r["id"]) for r in rows]}
    if token:
        out["nextToken"] = token
    return out


class UpdateIntegrationRequest(Options):
    integrationId: str = IntegrationId
    name: str | None = Field(default=None, pattern=NAME_PATTERN, description="a new name; omitted, it stays")
    responsePlanArn: str | None = Field(default=None, max_length=1000)
    routing: dict[str, Any] | None = None


@operation("UpdateIntegration", service=OWN_SERVICE, request=UpdateIntegrationRequest)
async def update_integration(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Change an integration's name, routing or options (its type and token stay); what the
    request leaves out keeps its value."""
    before = await load_integration(ctx, req["integrationId"])
    name = req.get("name") or before.name
    if name != before.name and await ctx.tx.scalar("SELECT 1 FROM integrations WHERE name = ?", (name,)):
        raise ConflictException(f"an integration named {name!r} already exists")
    routing, options = await _checked(ctx, before.type, _routing(req) or before.routing, _options(req, before.options))
    await ctx.tx.execute(
        "UPDATE integrations SET name = ?, doc = ?, updated_us = ? WHERE id = ?",
        (name, dumps({"routing": routing, "options": options}), to_us(ctx.now), before.id),
    )
    _changed(ctx, before, "updated")
    return {"integration": await _view_of(ctx, before.id)}


@operation("DeleteIntegration", service=OWN_SERVICE, request=IntegrationIdRequest)
async def delete_integration(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete an integration: its path answers 404 from then on (its intake log is kept)."""
    integration = await load_integration(ctx, req["integrationId"])
    await ctx.tx.execute("DELETE FROM integrations WHERE id = ?", (integration.id,))
    _changed(ctx, integration, "deleted")
    return {}


@operation("RotateIntegrationToken", service=OWN_SERVICE, request=IntegrationIdRequest)
async def rotate_integration_token(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Give an integration a new token (shown once, here); the old one stops working at once."""
    integration = await load_integration(ctx, req["integrationId"])
    token = secrets.token_urlsafe(32)
    await ctx.tx.execute(
        "UPDATE integrations SET token_hash = ?, updated_us = ? WHERE id = ?",
        (token_hash(token), to_us(ctx.now), integration.id),
    )
    _changed(ctx, integration, "token-rotated")
    return {"integrationId": integration.id, "token": token, "path": integration.path}
