"""ssm-contacts contacts: PERSONAL, ESCALATION and ONCALL_SCHEDULE, with their plans.

A contact's ``Plan`` depends on its type:

* PERSONAL: the **engagement plan**. Stages of ``ChannelTargetInfo`` targets, each naming a
  channel of this same contact. ``RotationIds`` must be empty. A new contact has no
  channels yet, so its plan starts empty and UpdateContact fills it in.
* ESCALATION: the **escalation plan**. Stages of ``ContactTargetInfo`` targets naming existing
  PERSONAL or ONCALL_SCHEDULE contacts (never an ESCALATION contact, never itself), so plans
  cannot nest or loop. ``RotationIds`` must be empty.
* ONCALL_SCHEDULE: ``RotationIds`` (at least one, each an existing rotation) and no stages.

A stage with no targets only waits, so its DurationInMinutes cannot be 0 (the model's rule).
A bad plan answers ValidationException naming the exact member
(``Plan.Stages[0].Targets[1]``...); nothing is written. A plan's references must exist when
it is saved: an unknown channel, contact or rotation is a ValidationException naming the
member (the contact being read or changed itself answers ResourceNotFoundException).

DeleteContact refuses (ConflictException with ``DependentEntities``) while an escalation
plan, a rotation (members or an override not yet over) or a response plan's
``engagements`` still names the contact. Its channels, tags and policy go with it.
"""

from __future__ import annotations

from typing import Any

from core import arns
from core.engine.context import Context
from core.errors import ConflictException, ResourceNotFoundException, ValidationException
from core.model import events as ev
from core.ops import pagination
from core.ops.registry import operation
from core.ops.tags import replace_tags
from core.store.db import dumps, loads
from core.timeutil import to_us

SERVICE = "ssm-contacts"
MAX_DEPENDENTS = 25  # DependentEntity.DependentResourceIds holds at most 25 ARNs

# DependentEntity.RelationType values
REL_ESCALATION_PLAN = "ESCALATION_PLAN"
REL_ROTATION = "ROTATION"
REL_RESPONSE_PLAN = "RESPONSE_PLAN"
REL_ONCALL_SCHEDULE = "ONCALL_SCHEDULE"


def invalid(field: str, message: str) -> ValidationException:
    return ValidationException(f"{field} {message}", fields=[{"name": field, "message": message}])


def tags_dict(tags: list[dict[str, Any]] | None) -> dict[str, str]:
    """The model's ``[{Key, Value}]`` list as a dict; Key and Value are both required here."""
    out: dict[str, str] = {}
    for i, tag in enumerate(tags or []):
        for member in ("Key", "Value"):
            if not tag.get(member):
                raise invalid(f"Tags[{i}].{member}", "is required")
        out[tag["Key"]] = tag["Value"]
    return out


def tags_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def contact_arn_for(ctx: Context, alias: str) -> str:
    return arns.contacts_arn(ctx.region, ctx.account_id, f"contact/{alias}")


async def load_contact(ctx: Context, arn: str, field: str = "ContactId") -> dict[str, Any]:
    """The contact's document (ContactArn, Alias, DisplayName, Type, Plan); RNF if absent."""
    row = await ctx.tx.fetchone("SELECT doc FROM contacts WHERE arn = ?", (arn,))
    if row is None:
        raise ResourceNotFoundException(f"contact {arn} does not exist ({field})", "CONTACT", arn)
    return loads(row["doc"])


async def save_contact(ctx: Context, doc: dict[str, Any]) -> None:
    await ctx.tx.execute(
        "UPDATE contacts SET display_name = ?, doc = ? WHERE arn = ?",
        (doc.get("DisplayName"), dumps(doc), doc["ContactArn"]),
    )


def _clean_plan(plan: dict[str, Any]) -> dict[str, Any]:
    return {"Stages": list(plan.get("Stages") or []), "RotationIds": list(plan.get("RotationIds") or [])}


async def validate_plan(
    ctx: Context, contact_arn: str, contact_type: str, plan: dict[str, Any]
) -> dict[str, Any]:
    """Check a plan against its contact's type; answer the plan to store."""
    plan = _clean_plan(plan)
    stages = plan["Stages"]
    rotation_ids = plan["RotationIds"]

    if contact_type == "ONCALL_SCHEDULE":
        if stages:
            raise invalid("Plan.Stages", "must be empty for an ONCALL_SCHEDULE contact; use Plan.RotationIds")
        if not rotation_ids:
            raise invalid("Plan.RotationIds", "must name at least one rotation for an ONCALL_SCHEDULE contact")
        seen: set[str] = set()
        for i, rid in enumerate(rotation_ids):
            field = f"Plan.RotationIds[{i}]"
            if rid in seen:
                raise invalid(field, f"repeats {rid}")
            seen.add(rid)
            if not await ctx.tx.scalar("SELECT 1 FROM rotations WHERE arn = ?", (rid,)):
                raise invalid(field, f"names a rotation that does not exist: {rid}")
        return plan

    if rotation_ids:
        raise invalid("Plan.RotationIds", f"is only for ONCALL_SCHEDULE contacts, not {contact_type}")

    want = "ChannelTargetInfo" if contact_type == "PERSONAL" else "ContactTargetInfo"
    other = "ContactTargetInfo" if want == "ChannelTargetInfo" else "ChannelTargetInfo"
    plan_kind = "an engagement plan (PERSONAL)" if contact_type == "PERSONAL" else "an escalation plan (ESCALATION)"
    for s, stage in enumerate(stages):
        if not stage.get("Targets") and not stage.get("DurationInMinutes"):  # the model: 0 only with a target
            raise invalid(f"Plan.Stages[{s}].DurationInMinutes",
                          "can be 0 only in a stage that engages someone; a stage that engages nobody only waits (1 to 30 minutes)")
        for t, target in enumerate(stage.get("Targets") or []):
            field = f"Plan.Stages[{s}].Targets[{t}]"
            kinds = [k for k in ("ChannelTargetInfo", "ContactTargetInfo") if target.get(k) is not None]
            if len(kinds) == 2:
                raise invalid(field, "mixes ChannelTargetInfo and ContactTargetInfo; set exactly one")
            if not kinds:
                raise invalid(field, f"must set {want}")
            if kinds[0] == other:
                raise invalid(field, f"is a {other}, but {plan_kind} holds only {want} targets")
            info = target[want]
            if want == "ChannelTargetInfo":
                channel = info["ContactChannelId"]
                owner = await ctx.tx.scalar("SELECT contact_arn FROM contact_channels WHERE arn = ?", (channel,))
                if owner is None:
                    raise invalid(f"{field}.ChannelTargetInfo.ContactChannelId", f"names a channel that does not exist: {channel}")
                if owner != contact_arn:
                    raise invalid(
                        f"{field}.ChannelTargetInfo.ContactChannelId",
                        f"names a channel of another contact ({owner}); an engagement plan uses the contact's own channels",
                    )
            else:
                target_arn = info.get("ContactId")
                sub = f"{field}.ContactTargetInfo.ContactId"
                if not target_arn:
                    raise invalid(sub, "is required")
                if target_arn == contact_arn:
                    raise invalid(sub, "names the escalation contact itself")
                kind = await ctx.tx.scalar("SELECT type FROM contacts WHERE arn = ?", (target_arn,))
                if kind is None:
                    raise invalid(sub, f"names a contact that does not exist: {target_arn}")
                if kind == "ESCALATION":
                    raise invalid(sub, "names an ESCALATION contact; escalation plans target PERSONAL or ONCALL_SCHEDULE contacts")
    return plan


@operation("CreateContact", service=SERVICE)
async def create_contact(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Create a contact (PERSONAL, ESCALATION or ONCALL_SCHEDULE) with its plan."""
    alias = req["Alias"]
    arn = contact_arn_for(ctx, alias)
    if await ctx.tx.scalar("SELECT 1 FROM contacts WHERE alias = ?", (alias,)):
        raise ConflictException(
            f"a contact with the alias {alias!r} already exists",
            resourceIdentifier=arn, resourceType="CONTACT",
        )
    plan = await validate_plan(ctx, arn, req["Type"], req.get("Plan") or {})
    doc = {
        "ContactArn": arn,
        "Alias": alias,
        "DisplayName": req.get("DisplayName"),
        "Type": req["Type"],
        "Plan": plan,
    }
    await ctx.tx.execute(
        "INSERT INTO contacts (arn, alias, display_name, type, doc, created_us) VALUES (?, ?, ?, ?, ?, ?)",
        (arn, alias, req.get("DisplayName"), req["Type"], dumps(doc), to_us(ctx.now)),
    )
    tags = tags_dict(req.get("Tags"))
    if tags:
        await replace_tags(ctx, arn, tags)
    ctx.resource_arn = arn
    ctx.emit(ev.CONTACT_CHANGED, arn, change="created", type=req["Type"])
    return {"ContactArn": arn}


@operation("GetContact", service=SERVICE, readonly=True)
async def get_contact(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show a contact and its plan."""
    return await load_contact(ctx, req["ContactId"])


@operation("ListContacts", service=SERVICE, readonly=True)
async def list_contacts(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List contacts by alias, filtered by AliasPrefix and Type."""
    where = ["alias > ?"]
    after = pagination.decode(req.get("NextToken"), field="NextToken", scope="contacts")
    args: list[Any] = [(after or {}).get("a", "")]
    if req.get("AliasPrefix"):
        prefix = req["AliasPrefix"]
        # aliases are [a-z0-9_-]: escape LIKE's wildcard '_' with '\'
        where.append("alias LIKE ? ESCAPE '\\'")
        args.append(prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%")
    if req.get("Type"):
        where.append("type = ?")
        args.append(req["Type"])
    limit = pagination.page_size(req.get("MaxResults"))
    rows = await ctx.tx.fetchall(
        "SELECT arn, alias, display_name, type FROM contacts WHERE " + " AND ".join(where)
        + " ORDER BY alias LIMIT ?",
        [*args, limit + 1],
    )
    out: dict[str, Any] = {
        "Contacts": [
            {"ContactArn": r["arn"], "Alias": r["alias"], "DisplayName": r["display_name"], "Type": r["type"]}
            for r in rows[:limit]
        ]
    }
    if len(rows) > limit:
        out["NextToken"] = pagination.encode({"s": "contacts", "a": rows[limit - 1]["alias"]})
    return out


@operation("UpdateContact", service=SERVICE)
async def update_contact(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Change a contact's display name or plan (the type and alias are fixed)."""
    doc = await load_contact(ctx, req["ContactId"])
    if "Plan" in req:
        doc["Plan"] = await validate_plan(ctx, doc["ContactArn"], doc["Type"], req["Plan"])
    if "DisplayName" in req:
        doc["DisplayName"] = req["DisplayName"]
    await save_contact(ctx, doc)
    ctx.resource_arn = doc["ContactArn"]
    ctx.emit(ev.CONTACT_CHANGED, doc["ContactArn"], change="updated", type=doc["Type"])
    return {}


async def contact_dependents(ctx: Context, arn: str) -> list[dict[str, Any]]:
    """What still uses the contact: escalation plans, rotations, response plans."""
    escalations = []
    for row in await ctx.tx.fetchall(
        "SELECT arn, doc FROM contacts WHERE type = 'ESCALATION' AND arn != ? ORDER BY alias", (arn,)
    ):
        plan = loads(row["doc"]).get("Plan") or {}
        if any(
            (t.get("ContactTargetInfo") or {}).get("ContactId") == arn
            for stage in plan.get("Stages") or []
            for t in stage.get("Targets") or []
        ):
            escalations.append(row["arn"])

    rotations = []
    for row in await ctx.tx.fetchall("SELECT arn, doc FROM rotations ORDER BY name"):
        if arn in (loads(row["doc"]).get("ContactIds") or []):
            rotations.append(row["arn"])
    for row in await ctx.tx.fetchall(
        "SELECT DISTINCT rotation_arn, new_members FROM rotation_overrides WHERE end_us > ?",
        (to_us(ctx.now),),
    ):
        if arn in loads(row["new_members"]) and row["rotation_arn"] not in rotations:
            rotations.append(row["rotation_arn"])

    plans = []
    for row in await ctx.tx.fetchall("SELECT arn, doc FROM response_plans ORDER BY name"):
        if arn in (loads(row["doc"]).get("engagements") or []):
            plans.append(row["arn"])

    out = []
    for relation, ids in (
        (REL_ESCALATION_PLAN, escalations),
        (REL_ROTATION, rotations),
        (REL_RESPONSE_PLAN, plans),
    ):
        if ids:
            out.append({"RelationType": relation, "DependentResourceIds": ids[:MAX_DEPENDENTS]})
    return out


@operation("DeleteContact", service=SERVICE)
async def delete_contact(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete a contact with its channels, tags and policy, unless something still uses it."""
    arn = req["ContactId"]
    doc = await load_contact(ctx, arn)
    dependents = await contact_dependents(ctx, arn)
    if dependents:
        names = ", ".join(
            f"{d['RelationType'].lower().replace('_', ' ')}s {', '.join(d['DependentResourceIds'])}"
            for d in dependents
        )
        raise ConflictException(
            f"contact {arn} is still used by {names}; remove it from them first",
            dependents, resourceIdentifier=arn, resourceType="CONTACT",
        )
    channels = [r["arn"] for r in await ctx.tx.fetchall(
        "SELECT arn FROM contact_channels WHERE contact_arn = ?", (arn,)
    )]
    await ctx.tx.execute("DELETE FROM contact_channels WHERE contact_arn = ?", (arn,))
    await ctx.tx.execute("DELETE FROM contacts WHERE arn = ?", (arn,))
    await ctx.tx.execute("DELETE FROM contact_policies WHERE arn = ?", (arn,))
    await ctx.tx.executemany("DELETE FROM tags WHERE resource_arn = ?", [(a,) for a in [arn, *channels]])
    ctx.resource_arn = arn
    ctx.emit(ev.CONTACT_CHANGED, arn, change="deleted", type=doc["Type"])
    return {}
