"""ssm-contacts rotations, overrides and shifts; who an on-call schedule pages right now.

The shift arithmetic (recurrence, coverage, DST, overrides) lives in ``core.engine.rotation``;
these operations store rotations and overrides and feed them to it.

* Rotation ARNs follow AWS: ``arn:aws:ssm-contacts:{region}:{account}:rotation/{name}``. Names
  may hold whitespace (the model allows it, ARNs do not), which becomes ``_`` in the ARN.
  Names are unique (ValidationException naming ``Name``: the model gives CreateRotation no
  ConflictException), and so are the ARNs they make.
* ``ContactIds`` and an override's ``NewContactIds`` must be existing PERSONAL contacts
  (ValidationException naming ``ContactIds[i]``). ``StartTime`` defaults to now.
* Overrides replace the rotation's members for their window; later overrides win where they
  overlap. An override must end after it starts and not already be over.
* DeleteRotation refuses (ConflictException, ``DependentEntities`` of relation
  ``ONCALL_SCHEDULE``) while an on-call schedule contact lists the rotation.
* ListRotationShifts and ListPreviewRotationShifts accept windows of at most 400 days; the
  paging token carries the window, so later pages answer for the first page's window.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from core import arns
from core.engine.context import Context
from core.engine.oncall import stored_overrides
from core.engine.rotation import compute_shifts, validate_rotation
from core.errors import ConflictException, ResourceNotFoundException
from core.model import events as ev
from core.ops import pagination
from core.ops.contacts import REL_ONCALL_SCHEDULE, invalid, tags_dict
from core.ops.registry import operation
from core.ops.tags import replace_tags
from core.store.db import dumps, loads
from core.timeutil import from_us, iso, parse_timestamp, to_us

SERVICE = "ssm-contacts"
MAX_WINDOW = timedelta(days=400)
ROTATION_FIELDS = ("ContactIds", "StartTime", "TimeZoneId", "Recurrence")


def rotation_arn_for(ctx: Context, name: str) -> str:
    return arns.contacts_arn(ctx.region, ctx.account_id, "rotation/" + re.sub(r"\s+", "_", name.strip()))


def _doc_out(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "StartTime": parse_timestamp(doc["StartTime"])}


async def load_rotation(ctx: Context, arn: str) -> dict[str, Any]:
    row = await ctx.tx.fetchone("SELECT doc FROM rotations WHERE arn = ?", (arn,))
    if row is None:
        raise ResourceNotFoundException(f"rotation {arn} does not exist (RotationId)", "ROTATION", arn)
    return _doc_out(loads(row["doc"]))


async def check_members(ctx: Context, members: list[str], field: str) -> None:
    for i, arn in enumerate(members):
        kind = await ctx.tx.scalar("SELECT type FROM contacts WHERE arn = ?", (arn,))
        if kind is None:
            raise invalid(f"{field}[{i}]", f"names a contact that does not exist: {arn}")
        if kind != "PERSONAL":
            raise invalid(f"{field}[{i}]", f"names a {kind} contact; rotations hold PERSONAL contacts only")


def _validate(ctx: Context, doc: dict[str, Any]) -> None:
    validate_rotation(
        members=doc["ContactIds"], start_time=parse_timestamp(doc["StartTime"]),
        time_zone_id=doc["TimeZoneId"], recurrence=doc["Recurrence"], now=ctx.now,
    )


@operation("CreateRotation", service=SERVICE)
async def create_rotation(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Create an on-call rotation of PERSONAL contacts."""
    name = req["Name"]
    if not name.strip():
        raise invalid("Name", "must not be blank")
    arn = rotation_arn_for(ctx, name)
    clash = await ctx.tx.scalar("SELECT name FROM rotations WHERE name = ? OR arn = ?", (name, arn))
    if clash is not None:  # the model gives CreateRotation no ConflictException
        raise invalid("Name", f"is taken: a rotation named {clash!r} already exists (rotation ARN {arn})")
    start = req.get("StartTime") or ctx.now
    doc = {
        "RotationArn": arn,
        "Name": name,
        "ContactIds": list(req["ContactIds"]),
        "StartTime": iso(start),
        "TimeZoneId": req["TimeZoneId"],
        "Recurrence": req["Recurrence"],
    }
    _validate(ctx, doc)
    await check_members(ctx, doc["ContactIds"], "ContactIds")
    await ctx.tx.execute(
        "INSERT INTO rotations (arn, name, doc, created_us) VALUES (?, ?, ?, ?)",
        (arn, name, dumps(doc), to_us(ctx.now)),
    )
    tags = tags_dict(req.get("Tags"))
    if tags:
        await replace_tags(ctx, arn, tags)
    ctx.resource_arn = arn
    ctx.emit(ev.ROTATION_CHANGED, arn, change="created")
    return {"RotationArn": arn}


@operation("GetRotation", service=SERVICE, readonly=True)
async def get_rotation(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show a rotation."""
    return await load_rotation(ctx, req["RotationId"])


@operation("ListRotations", service=SERVICE, readonly=True)
async def list_rotations(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List rotations by name, filtered by RotationNamePrefix."""
    after = pagination.decode(req.get("NextToken"), field="NextToken", scope="rotations")
    where = ["name > ?"]
    args: list[Any] = [(after or {}).get("n", "")]
    if req.get("RotationNamePrefix"):
        where.append("substr(name, 1, ?) = ?")
        args += [len(req["RotationNamePrefix"]), req["RotationNamePrefix"]]
    limit = pagination.page_size(req.get("MaxResults"))
    rows = await ctx.tx.fetchall(
        "SELECT name, doc FROM rotations WHERE " + " AND ".join(where) + " ORDER BY name LIMIT ?",
        [*args, limit + 1],
    )
    out: dict[str, Any] = {"Rotations": [_doc_out(loads(r["doc"])) for r in rows[:limit]]}
    if len(rows) > limit:
        out["NextToken"] = pagination.encode({"s": "rotations", "n": rows[limit - 1]["name"]})
    return out


@operation("UpdateRotation", service=SERVICE)
async def update_rotation(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Change a rotation's members, start, time zone or recurrence (its name is fixed)."""
    doc = await load_rotation(ctx, req["RotationId"])
    for key in ROTATION_FIELDS:
        if key in req:
            doc[key] = req[key]
    doc["StartTime"] = iso(parse_timestamp(doc["StartTime"]))
    _validate(ctx, doc)
    await check_members(ctx, doc["ContactIds"], "ContactIds")
    await ctx.tx.execute("UPDATE rotations SET doc = ? WHERE arn = ?", (dumps(doc), doc["RotationArn"]))
    ctx.resource_arn = doc["RotationArn"]
    ctx.emit(ev.ROTATION_CHANGED, doc["RotationArn"], change="updated")
    return {}


async def rotation_dependents(ctx: Context, arn: str) -> list[str]:
    out = []
    for row in await ctx.tx.fetchall(
        "SELECT arn, doc FROM contacts WHERE type = 'ONCALL_SCHEDULE' ORDER BY alias"
    ):
        if arn in ((loads(row["doc"]).get("Plan") or {}).get("RotationIds") or []):
            out.append(row["arn"])
    return out


@operation("DeleteRotation", service=SERVICE)
async def delete_rotation(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete a rotation and its overrides, unless an on-call schedule still uses it."""
    doc = await load_rotation(ctx, req["RotationId"])
    arn = doc["RotationArn"]
    users = await rotation_dependents(ctx, arn)
    if users:
        raise ConflictException(
            f"rotation {arn} is still used by on-call schedule {', '.join(users)}; remove it there first",
            [{"RelationType": REL_ONCALL_SCHEDULE, "DependentResourceIds": users[:25]}],
            resourceIdentifier=arn, resourceType="ROTATION",
        )
    await ctx.tx.execute("DELETE FROM rotation_overrides WHERE rotation_arn = ?", (arn,))
    await ctx.tx.execute("DELETE FROM rotations WHERE arn = ?", (arn,))
    await ctx.tx.execute("DELETE FROM tags WHERE resource_arn = ?", (arn,))
    ctx.resource_arn = arn
    ctx.emit(ev.ROTATION_CHANGED, arn, change="deleted")
    return {}


# --- overrides ---------------------------------------------------------------------------


def _override_out(row: Any) -> dict[str, Any]:
    return {
        "RotationOverrideId": row["id"],
        "RotationArn": row["rotation_arn"],
        "NewContactIds": loads(row["new_members"]),
        "StartTime": from_us(row["start_us"]),
        "EndTime": from_us(row["end_us"]),
        "CreateTime": from_us(row["created_us"]),
    }


@operation("CreateRotationOverride", service=SERVICE)
async def create_rotation_override(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Put other contacts (or nobody) on call for a window."""
    doc = await load_rotation(ctx, req["RotationId"])
    start, end = req["StartTime"], req["EndTime"]
    if end <= start:
        raise invalid("EndTime", "must be after StartTime")
    if end <= ctx.now:
        raise invalid("EndTime", "is in the past; an override must end in the future")
    new = list(req["NewContactIds"])
    if len(set(new)) != len(new):
        raise invalid("NewContactIds", "repeats a contact")
    await check_members(ctx, new, "NewContactIds")
    override_id = arns.new_uuid()
    await ctx.tx.execute(
        "INSERT INTO rotation_overrides (id, rotation_arn, new_members, start_us, end_us, created_us)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (override_id, doc["RotationArn"], dumps(new), to_us(start), to_us(end), to_us(ctx.now)),
    )
    ctx.resource_arn = doc["RotationArn"]
    ctx.emit(ev.ROTATION_CHANGED, doc["RotationArn"], change="override-created", overrideId=override_id)
    return {"RotationOverrideId": override_id}


async def _load_override(ctx: Context, rotation_arn: str, override_id: str) -> Any:
    row = await ctx.tx.fetchone(
        "SELECT * FROM rotation_overrides WHERE id = ? AND rotation_arn = ?", (override_id, rotation_arn)
    )
    if row is None:
        raise ResourceNotFoundException(
            f"rotation {rotation_arn} has no override {override_id} (RotationOverrideId)",
            "ROTATION_OVERRIDE", override_id,
        )
    return row


@operation("GetRotationOverride", service=SERVICE, readonly=True)
async def get_rotation_override(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show one override."""
    doc = await load_rotation(ctx, req["RotationId"])
    return _override_out(await _load_override(ctx, doc["RotationArn"], req["RotationOverrideId"]))


@operation("ListRotationOverrides", service=SERVICE, readonly=True)
async def list_rotation_overrides(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List a rotation's overrides that meet a window, by start time."""
    doc = await load_rotation(ctx, req["RotationId"])
    if req["EndTime"] < req["StartTime"]:
        raise invalid("EndTime", "must not be before StartTime")
    after = pagination.decode(req.get("NextToken"), field="NextToken", scope="overrides")
    limit = pagination.page_size(req.get("MaxResults"))
    rows = await ctx.tx.fetchall(
        "SELECT * FROM rotation_overrides WHERE rotation_arn = ? AND start_us < ? AND end_us > ?"
        " AND (start_us, id) > (?, ?) ORDER BY start_us, id LIMIT ?",
        (doc["RotationArn"], to_us(req["EndTime"]), to_us(req["StartTime"]),
         (after or {}).get("t", -(2**62)), (after or {}).get("i", ""), limit + 1),
    )
    out: dict[str, Any] = {"RotationOverrides": [_override_out(r) for r in rows[:limit]]}
    if len(rows) > limit:
        last = rows[limit - 1]
        out["NextToken"] = pagination.encode({"s": "overrides", "t": last["start_us"], "i": last["id"]})
    return out


@operation("DeleteRotationOverride", service=SERVICE)
async def delete_rotation_override(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete an override."""
    doc = await load_rotation(ctx, req["RotationId"])
    await _load_override(ctx, doc["RotationArn"], req["RotationOverrideId"])
    await ctx.tx.execute("DELETE FROM rotation_overrides WHERE id = ?", (req["RotationOverrideId"],))
    ctx.resource_arn = doc["RotationArn"]
    ctx.emit(ev.ROTATION_CHANGED, doc["RotationArn"], change="override-deleted", overrideId=req["RotationOverrideId"])
    return {}


# --- shifts ------------------------------------------------------------------------------


def _window(req: dict[str, Any], now: datetime, after: dict[str, Any] | None) -> tuple[datetime, datetime]:
    if after:
        return from_us(after["w"]), from_us(after["e"])  # type: ignore[return-value]
    lo = req.get("StartTime") or now
    hi = req["EndTime"]
    if hi < lo:
        raise invalid("EndTime", "must not be before StartTime")
    if hi - lo > MAX_WINDOW:
        raise invalid("EndTime", f"is more than {MAX_WINDOW.days} days after StartTime; ask for a shorter window")
    return lo, hi


def _page(shifts: list[dict[str, Any]], req: dict[str, Any], after: dict[str, Any] | None,
          token: dict[str, Any]) -> dict[str, Any]:
    if after:
        shifts = [s for s in shifts if to_us(s["StartTime"]) > after["t"]]
    limit = pagination.page_size(req.get("MaxResults"))
    out: dict[str, Any] = {"RotationShifts": shifts[:limit]}
    if len(shifts) > limit:
        out["NextToken"] = pagination.encode({**token, "t": to_us(shifts[limit - 1]["StartTime"])})
    return out


@operation("ListRotationShifts", service=SERVICE, readonly=True)
async def list_rotation_shifts(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """The rotation's shifts in a window, overrides applied (REGULAR or OVERRIDDEN)."""
    doc = await load_rotation(ctx, req["RotationId"])
    after = pagination.decode(req.get("NextToken"), field="NextToken", scope="shifts")
    if after and after.get("r") != doc["RotationArn"]:
        raise invalid("NextToken", "belongs to another rotation's list")
    lo, hi = _window(req, ctx.now, after)
    shifts = compute_shifts(
        members=doc["ContactIds"], start_time=doc["StartTime"], time_zone_id=doc["TimeZoneId"],
        recurrence=doc["Recurrence"], window_start=lo, window_end=hi,
        overrides=await stored_overrides(ctx, doc["RotationArn"], lo, hi),
    )
    token = {"s": "shifts", "r": doc["RotationArn"], "w": to_us(lo), "e": to_us(hi)}
    return _page(shifts, req, after, token)


def _preview_arn(ctx: Context, member: str) -> str:
    """A preview member as the contact ARN that the response's shifts carry: a member that is
    not an ARN is taken as a contact alias."""
    return member if member.startswith("arn:") else arns.contacts_arn(ctx.region, ctx.account_id, f"contact/{member}")


@operation("ListPreviewRotationShifts", service=SERVICE, readonly=True)
async def list_preview_rotation_shifts(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Shifts a rotation would have, before creating it (members are contact ARNs or aliases)."""
    after = pagination.decode(req.get("NextToken"), field="NextToken", scope="preview")
    rotation_start = req.get("RotationStartTime") or ctx.now
    validate_rotation(
        members=req["Members"], start_time=rotation_start, time_zone_id=req["TimeZoneId"],
        recurrence=req["Recurrence"], members_field="Members", start_field="RotationStartTime",
    )
    overrides = []
    for i, o in enumerate(req.get("Overrides") or []):
        for key in ("StartTime", "EndTime"):
            if o.get(key) is None:
                raise invalid(f"Overrides[{i}].{key}", "is required")
        overrides.append({"NewMembers": [_preview_arn(ctx, m) for m in o.get("NewMembers") or []],
                          "StartTime": o["StartTime"], "EndTime": o["EndTime"]})
    lo, hi = _window(req, ctx.now, after)
    shifts = compute_shifts(
        members=[_preview_arn(ctx, m) for m in req["Members"]], start_time=rotation_start,
        time_zone_id=req["TimeZoneId"], recurrence=req["Recurrence"], window_start=lo, window_end=hi,
        overrides=overrides,
    )
    token = {"s": "preview", "w": to_us(lo), "e": to_us(hi)}
    return _page(shifts, req, after, token)
