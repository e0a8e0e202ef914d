"""ListTimelineEvents (ascending and descending) and LookupAuditEvents: any page size walks
exactly the filtered set in order, with no skips or repeats, while rows are added between
pages."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import FakeClock
from core.errors import ServiceError
from core.security.roles import principal_for_role
from tests.support.core_state import START, fresh_core, setup_workspace, walk

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
CUSTOM = "Custom Event"


async def timeline_scenario(tmp: Path, offsets, flt, desc: bool, page: int, inserts) -> None:
    clock = FakeClock(START)
    async with fresh_core(tmp, clock) as core:
        plan = await setup_workspace(core)
        c = core.client()
        inc = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
        await clock.advance(minutes=1)
        for n, minutes in enumerate(offsets):
            await c.call("CreateTimelineEvent", {
                "incidentRecordArn": inc, "eventType": CUSTOM, "eventData": f"e{n}",
                "eventTime": START + timedelta(minutes=minutes),
            })
        if flt.get("typed"):
            await c.call("UpdateIncidentRecord", {"arn": inc, "impact": 1})  # one more automatic event
        # the truth, read once, straight from the rows: (time, insertion order) per event
        async with core.db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT event_id, event_us, id, event_type FROM timeline_events WHERE incident_arn = ?",
                (inc,),
            )
        before = flt.get("before")
        after = flt.get("after")
        kept = [
            r for r in rows
            if (before is None or r["event_us"] < _us(START + timedelta(minutes=before)))
            and (after is None or r["event_us"] > _us(START + timedelta(minutes=after)))
            and (not flt.get("typed") or r["event_type"] == CUSTOM)
        ]
        expected = [r["event_id"] for r in sorted(kept, key=lambda r: (r["event_us"], r["id"]), reverse=desc)]

        inserted = iter(inserts)

        async def add_between() -> None:
            minutes = next(inserted, None)
            if minutes is not None:
                await c.call("CreateTimelineEvent", {
                    "incidentRecordArn": inc, "eventType": CUSTOM, "eventData": "late",
                    "eventTime": START + timedelta(minutes=minutes),
                })

        filters = []
        if before is not None:
            filters.append({"key": "eventTime", "condition": {"before": START + timedelta(minutes=before)}})
        if after is not None:
            filters.append({"key": "eventTime", "condition": {"after": START + timedelta(minutes=after)}})
        if flt.get("typed"):
            filters.append({"key": "eventType", "condition": {"equals": {"stringValues": [CUSTOM]}}})
        params = {"incidentRecordArn": inc, "sortOrder": "DESCENDING" if desc else "ASCENDING"}
        if filters:
            params["filters"] = filters
        got = await walk(c, "ListTimelineEvents", params, "eventSummaries", page, between=add_between)
        ids = [e["eventId"] for e in got]
        assert len(ids) == len(set(ids)), "an event was repeated"
        original = set(expected)
        assert [i for i in ids if i in original] == expected
        keys = [e["eventTime"] for e in got]
        assert keys == sorted(keys, reverse=desc)


def _us(when) -> int:
    from core.timeutil import to_us

    return to_us(when)


@SETTINGS
@given(
    offsets=st.lists(st.integers(-30, 30), max_size=12),
    flt=st.fixed_dictionaries({}, optional={
        "before": st.integers(-30, 30), "after": st.integers(-30, 30), "typed": st.booleans()}),
    desc=st.booleans(),
    page=st.integers(1, 5),
    inserts=st.lists(st.integers(-40, 40), max_size=4),
)
def test_list_timeline_events_pages_exactly_the_filtered_set(offsets, flt, desc, page, inserts):
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(timeline_scenario(Path(tmp), offsets, flt, desc, page, inserts))


# -- audit --------------------------------------------------------------------------------------

call_spec = st.tuples(
    st.sampled_from(["start", "get", "get-missing", "update"]),
    st.booleans(),  # as bob
    st.sampled_from([0, 0, 1, 10]),  # minutes to advance first
)


async def audit_scenario(tmp: Path, calls, flt, page: int) -> None:
    clock = FakeClock(START)
    async with fresh_core(tmp, clock) as core:
        plan = await setup_workspace(core)
        admin = core.client()
        bob = core.client(principal_for_role(f"arn:aws:iam::{core.account_id}:user/bob", "bob", "responder"))
        missing = f"arn:aws:ssm-incidents::{core.account_id}:incident-record/api-outage/none"
        async with core.db.transaction() as tx:
            rs = await tx.scalar("SELECT arn FROM replication_sets")
        log: list[dict] = [  # the two set-up calls
            {"operation": "CreateReplicationSet", "principal": admin.principal.arn, "time": START,
             "resourceArn": rs},
            {"operation": "CreateResponsePlan", "principal": admin.principal.arn, "time": START,
             "resourceArn": plan},
        ]
        incidents: list[str] = []
        for kind, as_bob, minutes in calls:
            await clock.advance(minutes=minutes)
            c = bob if as_bob else admin
            entry = {"principal": c.principal.arn, "time": clock.now()}
            if kind == "start" or not incidents:
                out = await c.call("StartIncident", {"responsePlanArn": plan})
                incidents.append(out["incidentRecordArn"])
                entry.update(operation="StartIncident", resourceArn=incidents[-1])
            elif kind == "get":
                await c.call("GetIncidentRecord", {"arn": incidents[-1]})
                entry.update(operation="GetIncidentRecord", resourceArn=incidents[-1])
            elif kind == "update":
                await c.call("UpdateIncidentRecord", {"arn": incidents[0], "title": f"t{len(log)}"})
                entry.update(operation="UpdateIncidentRecord", resourceArn=incidents[0])
            else:
                try:
                    await c.call("GetIncidentRecord", {"arn": missing})
                except ServiceError:
                    pass
                entry.update(operation="GetIncidentRecord", resourceArn=missing)
            log.append(entry)

        req: dict = {}
        if "operation" in flt:
            req["operation"] = flt["operation"]
        if flt.get("bob"):
            req["principal"] = bob.principal.arn
        if "start" in flt:
            req["startTime"] = START + timedelta(minutes=flt["start"])
        if "end" in flt:
            req["endTime"] = START + timedelta(minutes=flt["end"])
        if flt.get("resource") and incidents:
            req["resourceArn"] = incidents[0]
        expected = [
            e for e in reversed(log)
            if e["operation"] != "LookupAuditEvents"
            and ("operation" not in req or e["operation"] == req["operation"])
            and ("principal" not in req or e["principal"] == req["principal"])
            and ("startTime" not in req or e["time"] >= req["startTime"])
            and ("endTime" not in req or e["time"] < req["endTime"])
            and ("resourceArn" not in req or e.get("resourceArn") == req["resourceArn"])
        ]
        got = await walk(admin, "LookupAuditEvents", req, "events", page)
        ids = [e["eventId"] for e in got]
        assert len(ids) == len(set(ids))
        # every page of the walk was itself audited (newer rows): none of them may show up
        got = [e for e in got if e["operation"] != "LookupAuditEvents"]
        assert [(e["operation"], e["principal"], e["time"], e.get("resourceArn")) for e in got] == [
            (e["operation"], e["principal"], e["time"], e.get("resourceArn")) for e in expected
        ]


@SETTINGS
@given(
    calls=st.lists(call_spec, max_size=14),
    flt=st.fixed_dictionaries({}, optional={
        "operation": st.sampled_from(["StartIncident", "GetIncidentRecord", "UpdateIncidentRecord"]),
        "bob": st.booleans(), "start": st.integers(0, 60), "end": st.integers(0, 60),
        "resource": st.booleans()}),
    page=st.integers(1, 5),
)
def test_lookup_audit_events_pages_exactly_the_filtered_set(calls, flt, page):
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(audit_scenario(Path(tmp), calls, flt, page))
