"""Who an on-call schedule pages at a moment: its rotations' stored members and overrides,
fed to the shift arithmetic in ``core.engine.rotation``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core.engine.context import Context
from core.engine.rotation import on_call_at
from core.store.db import loads
from core.timeutil import from_us, parse_timestamp, to_us


async def stored_overrides(ctx: Context, rotation_arn: str, lo: datetime, hi: datetime) -> list[dict[str, Any]]:
    """Overrides meeting ``[lo, hi)`` in creation order (later ones win)."""
    rows = await ctx.tx.fetchall(
        "SELECT * FROM rotation_overrides WHERE rotation_arn = ? AND start_us < ? AND end_us > ?"
        " ORDER BY created_us, rowid",
        (rotation_arn, to_us(hi), to_us(lo)),
    )
    return [
        {"NewContactIds": loads(r["new_members"]), "StartTime": from_us(r["start_us"]), "EndTime": from_us(r["end_us"])}
        for r in rows
    ]


async def on_call_contacts(ctx: Context, contact_arn: str, at: datetime) -> list[str]:
    """The PERSONAL contact ARNs ``contact_arn`` resolves to at ``at``.

    For an ONCALL_SCHEDULE contact: the union, in rotation order and without repeats, of who
    each of its rotations has on call at ``at`` (overrides included). A PERSONAL contact is
    itself; an ESCALATION contact, or an unknown one, resolves to nobody (the engine runs
    its escalation plan instead).
    """
    row = await ctx.tx.fetchone("SELECT type, doc FROM contacts WHERE arn = ?", (contact_arn,))
    if row is None:
        return []
    if row["type"] == "PERSONAL":
        return [contact_arn]
    if row["type"] != "ONCALL_SCHEDULE":
        return []
    out: list[str] = []
    for rotation_arn in (loads(row["doc"]).get("Plan") or {}).get("RotationIds") or []:
        rot = await ctx.tx.fetchone("SELECT doc FROM rotations WHERE arn = ?", (rotation_arn,))
        if rot is None:
            continue
        doc = loads(rot["doc"])
        for arn in on_call_at(
            members=doc["ContactIds"], start_time=parse_timestamp(doc["StartTime"]),
            time_zone_id=doc["TimeZoneId"], recurrence=doc["Recurrence"], at=at,
            overrides=await stored_overrides(ctx, rotation_arn, at, at + timedelta(microseconds=1)),
        ):
            if arn not in out:
                out.append(arn)
    return out
