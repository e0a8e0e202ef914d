"""The replication set: the first step of setting up, and the regions that hold copies.

The first region is this site (``region`` in the config). Each other region is a replica
directory named in the config's ``replicas``; the core keeps each one current (see
core/engine/replicas.py). Deleting the replication set deletes every incident-management
record, and is refused while deletion protection is on.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core import arns
from core.engine.context import Context
from core.engine.replicas import replica_dir_problem
from core.errors import ConflictException, ResourceNotFoundException, ValidationException
from core.model import events as ev
from core.ops.registry import operation
from core.ops.tags import replace_tags
from core.security.keys import WORKSPACE_KEY, check_key_choice, workspace_key_record
from core.store.db import dumps, loads
from core.timeutil import format_duration, from_us, to_us

SERVICE = "ssm-incidents"
MIN_REGION_AGE = timedelta(hours=24)
MAX_REGIONS = 3
# the workspace's identity and the audit trail outlive the replication set; idempotency tokens
# do not (a replayed token must not hand back a record that was deleted)
KEPT_TABLES = {"meta", "audit"}
SITE_REGION_KEY = "site_region"  # in meta: the first region of the replication set


async def _load(ctx: Context, arn: str | None = None) -> dict[str, Any]:
    row = await ctx.tx.fetchone("SELECT arn, doc FROM replication_sets LIMIT 1")
    if row is None or (arn is not None and row["arn"] != arn):
        raise ResourceNotFoundException(f"replication set {arn} does not exist", "REPLICATION_SET", arn)
    return loads(row["doc"])


async def _save(ctx: Context, doc: dict[str, Any]) -> None:
    doc["lastModifiedTime"] = ctx.now
    doc["lastModifiedBy"] = ctx.principal.arn
    await ctx.tx.execute("UPDATE replication_sets SET doc = ? WHERE arn = ?", (dumps(doc), doc["arn"]))
    ctx.emit(ev.REPLICATION_SET_CHANGED, doc["arn"])


def _check_replica(ctx: Context, name: str, field: str, site: str) -> None:
    if name == site:
        return
    if name not in ctx.core.config.replicas:
        configured = ", ".join(sorted(ctx.core.config.replicas)) or "none"
        raise ValidationException(
            f"{field}: region {name!r} is neither this site ({site!r}) nor a replica named "
            f"in the configuration's 'replicas' (configured: {configured})",
            fields=[{"name": field, "message": "unknown region"}],
        )
    if problem := replica_dir_problem(ctx.core.data_dir, ctx.core.config.replicas[name]):
        raise ValidationException(
            f"{field}: replica region {name!r} cannot be used: {problem}",
            fields=[{"name": field, "message": "replica directory overlaps the data directory"}],
        )


async def _add_region(
    ctx: Context, name: str, key_id: str | None, name_field: str, key_field: str, site: str
) -> None:
    _check_replica(ctx, name, name_field, site)
    data_dir = ctx.core.data_dir
    key = check_key_choice(data_dir, key_id, key_field, ctx.core.config.keys.allowed_dirs)
    await ctx.tx.execute(
        "INSERT INTO regions (name, status, sse_kms_key_id, added_us, updated_us) VALUES (?, 'ACTIVE', ?, ?, ?)",
        (name, key, to_us(ctx.now), to_us(ctx.now)),
    )
    if name == site:
        # which key the workspace encrypts with, and its fingerprint: what a restore needs
        await ctx.tx.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (WORKSPACE_KEY, workspace_key_record(data_dir, key)),
        )
        ctx.tx.after_commit(lambda: ctx.core.cipher.use(key))


def _site_region(ctx: Context, first: str) -> str:
    """The first region named becomes this site's region (a script written for AWS names
    ``us-east-1``), unless the configuration names the site or ``first`` is a replica."""
    config = ctx.core.config
    pinned = "region" in config.model_fields_set
    if first == ctx.region or (not pinned and first not in config.replicas):
        return first
    why = "is a replica region in the configuration" if first in config.replicas else (
        f"the configuration names this site {ctx.region!r}"
    )
    raise ValidationException(
        f"regions: the first region is this site's own, and {first!r} cannot be: {why}",
        fields=[{"name": "regions", "message": f"first region must be {ctx.region!r}"}],
    )


@operation("CreateReplicationSet", service=SERVICE, needs_replication_set=False)
async def create_replication_set(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Set up: create the replication set, this site first, then up to two replica regions."""
    if await ctx.tx.scalar("SELECT 1 FROM replication_sets"):
        raise ConflictException("a replication set already exists; change it with UpdateReplicationSet")
    names = list(req["regions"])
    site = _site_region(ctx, names[0])
    arn = arns.incidents_arn(ctx.account_id, f"replication-set/{arns.new_uuid()}")
    for name, settings in req["regions"].items():
        await _add_region(
            ctx, name, settings.get("sseKmsKeyId"), f"regions.{name}", f"regions.{name}.sseKmsKeyId", site
        )
    await ctx.tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (SITE_REGION_KEY, site))
    core = ctx.core
    ctx.tx.after_commit(lambda: setattr(core, "region", site))
    doc = {
        "arn": arn,
        "createdBy": ctx.principal.arn,
        "createdTime": ctx.now,
        "deletionProtected": False,
        "lastModifiedBy": ctx.principal.arn,
        "lastModifiedTime": ctx.now,
    }
    await ctx.tx.execute("INSERT INTO replication_sets (arn, doc) VALUES (?, ?)", (arn, dumps(doc)))
    if req.get("tags"):
        await replace_tags(ctx, arn, req["tags"])
    ctx.resource_arn = arn
    ctx.emit(ev.REPLICATION_SET_CHANGED, arn, change="created")
    return {"arn": arn}


@operation("GetReplicationSet", service=SERVICE, readonly=True, needs_replication_set=False)
async def get_replication_set(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show the replication set and the state of each region."""
    doc = await _load(ctx, req["arn"])
    rows = await ctx.tx.fetchall("SELECT * FROM regions ORDER BY added_us, name")
    doc["regionMap"] = {
        r["name"]: {
            "sseKmsKeyId": r["sse_kms_key_id"],
            "status": r["status"],
            "statusMessage": r["status_message"],
            "statusUpdateDateTime": from_us(r["updated_us"]),
        }
        for r in rows
    }
    statuses = {r["status"] for r in rows}
    doc["status"] = "ACTIVE" if statuses <= {"ACTIVE"} else "UPDATING"
    return {"replicationSet": doc}


@operation("ListReplicationSets", service=SERVICE, readonly=True, needs_replication_set=False)
async def list_replication_sets(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List replication sets (there is at most one)."""
    rows = await ctx.tx.fetchall("SELECT arn FROM replication_sets")
    return {"replicationSetArns": [r["arn"] for r in rows]}


@operation("UpdateReplicationSet", service=SERVICE, needs_replication_set=False)
async def update_replication_set(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Add or delete one replica region."""
    doc = await _load(ctx, req["arn"])
    action = req["actions"][0]
    if "addRegionAction" in action:
        add = action["addRegionAction"]
        name = add["regionName"]
        if await ctx.tx.scalar("SELECT 1 FROM regions WHERE name = ?", (name,)):
            raise ConflictException(f"region {name!r} is already in the replication set")
        if await ctx.tx.scalar("SELECT COUNT(*) FROM regions") >= MAX_REGIONS:
            raise ValidationException(
                f"actions[0].addRegionAction.regionName: a replication set holds at most "
                f"{MAX_REGIONS} regions",
                fields=[{"name": "actions[0].addRegionAction.regionName", "message": "too many regions"}],
            )
        field = "actions[0].addRegionAction"
        await _add_region(
            ctx, name, add.get("sseKmsKeyId"), f"{field}.regionName", f"{field}.sseKmsKeyId", ctx.region
        )
    elif "deleteRegionAction" in action:
        name = action["deleteRegionAction"]["regionName"]
        field = "actions[0].deleteRegionAction.regionName"
        row = await ctx.tx.fetchone("SELECT added_us FROM regions WHERE name = ?", (name,))
        if row is None:
            raise ValidationException(
                f"{field}: region {name!r} is not in the replication set", fields=[{"name": field, "message": "not in the set"}]
            )
        if name == ctx.region:
            raise ValidationException(
                f"{field}: {name!r} is this site's own region and cannot be removed; "
                "DeleteReplicationSet deletes the replication set and all its data",
                fields=[{"name": field, "message": "is this site's region"}],
            )
        age = ctx.now - from_us(row["added_us"])
        if age < MIN_REGION_AGE:
            left = MIN_REGION_AGE - age
            raise ValidationException(
                f"{field}: region {name!r} was added {format_duration(age)} ago; a region can be deleted only 24 hours "
                f"after it was added (in {format_duration(left)})",
                fields=[{"name": field, "message": "added less than 24 hours ago"}],
            )
        await ctx.tx.execute("DELETE FROM regions WHERE name = ?", (name,))
    else:
        raise ValidationException(
            "actions[0]: must hold addRegionAction or deleteRegionAction",
            fields=[{"name": "actions[0]", "message": "empty action"}],
        )
    await _save(ctx, doc)
    return {}


@operation("UpdateDeletionProtection", service=SERVICE, needs_replication_set=False)
async def update_deletion_protection(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Turn deletion protection on or off."""
    doc = await _load(ctx, req["arn"])
    doc["deletionProtected"] = req["deletionProtected"]
    await _save(ctx, doc)
    return {}


@operation("DeleteReplicationSet", service=SERVICE, needs_replication_set=False)
async def delete_replication_set(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete the replication set and with it every incident-management record (not the audit trail)."""
    doc = await _load(ctx, req["arn"])
    if doc.get("deletionProtected"):
        raise ValidationException(
            "arn: deletion protection is on; turn it off (UpdateDeletionProtection) before deleting "
            "the replication set and all its data",
            fields=[{"name": "arn", "message": "deletion protection is on"}],
        )
    replicas = [
        r["name"]
        for r in await ctx.tx.fetchall("SELECT name FROM regions WHERE name != ?", (ctx.region,))
    ]
    tables = await ctx.tx.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    # every table empties in this transaction: check foreign keys at commit, not per table
    await ctx.tx.execute("PRAGMA defer_foreign_keys = ON")
    for row in tables:
        if row["name"] not in KEPT_TABLES:
            await ctx.tx.execute(f"DELETE FROM {row['name']}")  # noqa: S608
    await ctx.tx.execute("DELETE FROM meta WHERE key = ?", (SITE_REGION_KEY,))
    # the replicas get one last copy, without the deleted data
    ctx.tx.after_commit(lambda: ctx.core.replicas.copy_once_to(replicas))
    core = ctx.core
    ctx.tx.after_commit(lambda: setattr(core, "region", core.config.region))
    ctx.resource_arn = req["arn"]
    ctx.emit(ev.REPLICATION_SET_CHANGED, req["arn"], change="deleted")
    return {}
