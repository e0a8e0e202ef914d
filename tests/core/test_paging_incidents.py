"""ListIncidentRecords: any page size walks exactly the filtered set, newest first, with no
skips or repeats, also while new incidents are started between pages."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import FakeClock
from core.security.roles import principal_for_role
from tests.support.core_state import START, fresh_core, setup_workspace, walk

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


@dataclass
class Row:
    arn: str
    order: int
    created: object
    impact: int
    status: str
    creator: str


incident_spec = st.tuples(
    st.sampled_from([0, 0, 1, 5]),  # minutes to advance before this one (0: same timestamp)
    st.integers(1, 5),  # impact
    st.booleans(),  # resolved
    st.booleans(),  # started by alice instead of the admin
)

filters_spec = st.fixed_dictionaries(
    {},
    optional={
        "impact": st.sets(st.integers(1, 5), min_size=1),
        "status": st.sets(st.sampled_from(["OPEN", "RESOLVED"]), min_size=1),
        "createdBy": st.sets(st.sampled_from(["admin", "alice"]), min_size=1),
        "before": st.integers(0, 40),
        "after": st.integers(0, 40),
    },
)


def matches(row: Row, flt: dict, who: dict[str, str]) -> bool:
    if "impact" in flt and row.impact not in flt["impact"]:
        return False
    if "status" in flt and row.status not in flt["status"]:
        return False
    if "createdBy" in flt and row.creator not in {who[n] for n in flt["createdBy"]}:
        return False
    if "before" in flt and not row.created < START + timedelta(minutes=flt["before"]):
        return False
    return not ("after" in flt and not row.created > START + timedelta(minutes=flt["after"]))


def request_filters(flt: dict, who: dict[str, str]) -> list[dict]:
    out = []
    if "impact" in flt:
        out.append({"key": "impact", "condition": {"equals": {"integerValues": sorted(flt["impact"])}}})
    if "status" in flt:
        out.append({"key": "status", "condition": {"equals": {"stringValues": sorted(flt["status"])}}})
    if "createdBy" in flt:
        values = sorted(who[n] for n in flt["createdBy"])
        out.append({"key": "createdBy", "condition": {"equals": {"stringValues": values}}})
    for key in ("before", "after"):
        if key in flt:
            when = START + timedelta(minutes=flt[key])
            out.append({"key": "creationTime", "condition": {key: when}})
    return out


async def scenario(tmp: Path, specs, flt, page: int, inserts: int) -> None:
    clock = FakeClock(START)
    async with fresh_core(tmp, clock) as core:
        plan = await setup_workspace(core)
        admin = core.client()
        alice_p = principal_for_role(f"arn:aws:iam::{core.account_id}:user/alice", "alice", "responder")
        alice = core.client(alice_p)
        who = {"admin": admin.principal.arn, "alice": alice_p.arn}
        rows: list[Row] = []
        for i, (minutes, impact, resolved, by_alice) in enumerate(specs):
            await clock.advance(minutes=minutes)
            c = alice if by_alice else admin
            arn = (await c.call("StartIncident", {"responsePlanArn": plan, "impact": impact}))[
                "incidentRecordArn"
            ]
            if resolved:
                await admin.call("UpdateIncidentRecord", {"arn": arn, "status": "RESOLVED"})
            rows.append(Row(arn, i, clock.now(), impact, "RESOLVED" if resolved else "OPEN",
                            who["alice" if by_alice else "admin"]))
        expected = [r.arn for r in sorted(rows, key=lambda r: (r.created, r.order), reverse=True)
                    if matches(r, flt, who)]

        async def start_more() -> None:
            for _ in range(inserts):
                await admin.call("StartIncident", {"responsePlanArn": plan, "impact": 3})

        params = {"filters": request_filters(flt, who)} if flt else {}
        got = await walk(admin, "ListIncidentRecords", params, "incidentRecordSummaries", page,
                         between=start_more if inserts else None)
        arns = [s["arn"] for s in got]
        assert len(arns) == len(set(arns)), "a record was repeated"
        assert arns == expected
        times = [s["creationTime"] for s in got]
        assert times == sorted(times, reverse=True)


@SETTINGS
@given(
    specs=st.lists(incident_spec, max_size=14),
    flt=filters_spec,
    page=st.integers(1, 6),
    inserts=st.sampled_from([0, 0, 1, 3]),
)
def test_list_incident_records_pages_exactly_the_filtered_set(specs, flt, page, inserts):
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(scenario(Path(tmp), specs, flt, page, inserts))


def test_a_walk_with_the_default_page_size():
    """Over 100 records: the default page size (50) still needs a nextToken."""
    async def run(tmp: Path) -> None:
        async with fresh_core(tmp) as core:
            plan = await setup_workspace(core)
            c = core.client()
            for _ in range(101):
                await c.call("StartIncident", {"responsePlanArn": plan})
            first = await c.call("ListIncidentRecords", {})
            assert len(first["incidentRecordSummaries"]) == 50 and first["nextToken"]
            everything = await walk(c, "ListIncidentRecords", {}, "incidentRecordSummaries", 100)
            assert len({s["arn"] for s in everything}) == 101

    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(Path(tmp)))
