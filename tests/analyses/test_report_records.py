"""A report equals the figures worked out here straight from the incident and engagement
records (the store keeps per-incident figures for reports, migration 0012): over a scripted
workspace, after raw changes to the records that no operation makes, and over records written
before the migration existed (it fills them in)."""

from __future__ import annotations

import math
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

from core import open_core
from core.store.db import DB_FILENAME, dumps
from core.store.migrations import MIGRATIONS
from core.timeutil import to_us
from tests.analyses.scripted import at, engage_and_ack
from tests.analyses.test_reports import MONTH_END, MONTH_START, _month, t
from tests.support.contacts import escalation_plan

US = 1_000_000
MEASURES = ("timeToEngage", "timeToAcknowledge", "timeToResolve")


def _summary(values: list[int]) -> dict[str, Any]:
    """count, median, nearest-rank p90 and mean in seconds, as exact fractions rounded once."""
    if not values:
        return {"count": 0}
    v, n = sorted(values), len(values)
    median = Fraction(v[n // 2]) if n % 2 else Fraction(v[n // 2 - 1] + v[n // 2], 2)
    return {"count": n, "median": float(median / US), "p90": float(Fraction(v[math.ceil(0.9 * n) - 1], US)),
            "mean": float(Fraction(sum(v), n * US))}


def from_records(incidents: list[Any], engagements: list[Any], lo: int, hi: int) -> dict[str, Any]:
    """Each incident started in [lo, hi): its first engagement and acknowledgement over its
    engagements started at or after it, overall and by impact, plan and personal contact."""
    groups: defaultdict[tuple[str, str], list[list[int]]] = defaultdict(lambda: [[], [], [], []])
    for arn, created, resolved, impact, plan in incidents:
        if not lo <= created < hi:
            continue
        own = [(c, kind, s, a) for i, c, kind, s, a in engagements if i == arn and s >= created]
        firsts = [min((s for _, _, s, _ in own), default=None), min((a for *_, a in own if a is not None), default=None)]
        figures = [None if x is None else x - created for x in (*firsts, resolved)]
        keys = [("all", "all"), ("impact", str(impact)), ("plan", plan or "")]
        for contact in {c for c, kind, _, _ in own if kind == "PERSONAL"}:
            mine = [(s, a) for c, _, s, a in own if c == contact]
            acks = [a for _, a in mine if a is not None]
            keys_figures = [min(s for s, _ in mine) - created, min(acks) - created if acks else None, figures[2]]
            _add(groups[("contact", contact)], keys_figures)
        for key in keys:
            _add(groups[key], figures)
    return {key: {"incidentCount": g[0][0] if g[0] else 0,
                  **{m: _summary(values) for m, values in zip(MEASURES, g[1:], strict=True)}}
            for key, g in groups.items()}


def _add(group: list[list[int]], figures: list[int | None]) -> None:
    group[0][:] = [(group[0] or [0])[0] + 1]
    for values, figure in zip(group[1:], figures, strict=True):
        if figure is not None:
            values.append(figure)


def from_report(report: dict[str, Any]) -> dict[tuple[str, str], Any]:
    out = {("all", "all"): report["overall"]}
    for kind, field in (("impact", "byImpact"), ("plan", "byResponsePlan"), ("contact", "byContact")):
        out.update({(kind, g["key"]): g for g in report[field]})
    return {k: {f: g[f] for f in ("incidentCount", *MEASURES)} for k, g in out.items()}


INCIDENTS_SQL = "SELECT arn, creation_us, resolved_us, impact, response_plan_arn FROM incidents"
ENGAGEMENTS_SQL = "SELECT incident_id, contact_arn, contact_type, start_us, acked_us FROM engagements"


async def _agrees(core, start: datetime = MONTH_START, end: datetime = MONTH_END) -> dict[tuple[str, str], Any]:
    """The report over [start, end) equals the figures of the raw records; those figures."""
    async with core.db.transaction() as tx:
        expected = from_records(await tx.fetchall(INCIDENTS_SQL), await tx.fetchall(ENGAGEMENTS_SQL),
                                to_us(start), to_us(end))
    report = (await core.client().call("GetIncidentReport", {"startTime": start, "endTime": end}))["report"]
    assert from_report(report) == expected
    return expected


async def test_the_report_equals_the_figures_of_the_raw_records(core, client, clock):
    await _month(client, clock)
    # an escalation plan engages alice, then bob, who acknowledges; alice is engaged once more:
    # the plan's own engagement counts for the incident but for nobody, a person's first counts
    people = {c["Alias"]: c["ContactArn"] for c in (await client.call("ListContacts", {}))["Contacts"]}
    oncall = await escalation_plan(client, "oncall", [(5, [(people["alice"], True)]), (5, [(people["bob"], True)])])
    plan = (await client.call("ListResponsePlans", {}))["responsePlanSummaries"][0]["arn"]
    await at(clock, t(31, 13))
    arn = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await at(clock, t(31, 13, 2))
    await client.call("StartEngagement", {"ContactId": oncall, "Sender": "ops", "Subject": "s", "Content": "c",
                                          "IncidentId": arn})
    await at(clock, t(31, 13, 10))
    [page] = [p for p in (await client.call("ListPagesByContact", {"ContactId": people["bob"]}))["Pages"]
              if p.get("IncidentId") == arn]
    await client.call("AcknowledgePage", {"pageId": page["PageArn"]})
    await engage_and_ack(client, clock, arn, people["alice"], None)
    expected = await _agrees(core, MONTH_START, datetime(2026, 4, 1, tzinfo=UTC))
    assert expected[("all", "all")]["incidentCount"] == 7
    bob, alice = expected[("contact", people["bob"])], expected[("contact", people["alice"])]
    assert bob["incidentCount"] == 3 and bob["timeToAcknowledge"]["count"] == 2
    assert alice["incidentCount"] == 4 and alice["timeToAcknowledge"]["count"] == 3


async def _engage(tx, n: int, incident: str, contact: str, kind: str, start: int, acked: int | None) -> None:
    await tx.execute(
        "INSERT INTO engagements (arn, root_arn, contact_arn, contact_type, incident_id, sender, subject, content,"
        " start_us, acked_us) VALUES (?, ?, ?, ?, ?, 's', 's', 'c', ?, ?)",
        (f"engagement/{n}", f"engagement/{n}", contact, kind, incident, start, acked))


async def _incident(tx, arn: str, start: int, resolved: int | None, impact: int, plan: str) -> None:
    await tx.execute(
        "INSERT INTO incidents (arn, title, impact, status, created_by, creation_us, resolved_us, response_plan_arn,"
        " doc) VALUES (?, 't', ?, ?, 'test', ?, ?, ?, ?)",
        (arn, impact, "RESOLVED" if resolved else "OPEN", start, resolved, plan, dumps({"arn": arn})))


M = 60 * US


async def _raw_changes(core) -> None:
    """Changes no operation makes today, through SQL: engagements moved, re-acknowledged and
    removed, one written before its incident, an incident resolved late, another deleted."""
    base = to_us(t(3, 8))
    async with core.db.transaction() as tx:
        await _engage(tx, 100, "incident/late", "contact/carol", "PERSONAL", base + 4 * M, None)
        await _engage(tx, 101, "incident/late", "contact/carol", "PERSONAL", base - 9 * M, base - 8 * M)  # before it
        await _incident(tx, "incident/late", base, None, 3, "plan/raw")
        await _engage(tx, 102, "incident/late", "contact/dave", "PERSONAL", base + 6 * M, base + 7 * M)
        await _engage(tx, 105, "incident/late", "contact/frank", "PERSONAL", base - M, base)  # before it
        await _engage(tx, 106, "incident/early", "contact/gina", "PERSONAL", base + 9 * M, base + 10 * M)
        await _incident(tx, "incident/early", base + 8 * M, None, 4, "plan/raw")
        await tx.execute("UPDATE engagements SET acked_us = ? WHERE arn = 'engagement/100'", (base + 5 * M,))
        await tx.execute("UPDATE incidents SET resolved_us = ?, status = 'RESOLVED' WHERE arn = 'incident/late'",
                         (base + 50 * M,))
        await _incident(tx, "incident/gone", base + M, base + 2 * M, 3, "plan/raw")
        await _engage(tx, 103, "incident/gone", "contact/dave", "PERSONAL", base + M, base + M + 1)
        await tx.execute("DELETE FROM incidents WHERE arn = 'incident/gone'")
        await _engage(tx, 104, "incident/moved", "contact/erin", "PERSONAL", base + 3 * M, base + 3 * M + 5)
        await _incident(tx, "incident/moved", base + 2 * M, None, 4, "plan/raw")
        await tx.execute("UPDATE engagements SET incident_id = 'incident/late', contact_arn = 'contact/dave'"
                         " WHERE arn = 'engagement/104'")
        await tx.execute("DELETE FROM engagements WHERE arn = 'engagement/102'")
        await _engage(tx, 107, "incident/early", "contact/hank", "PERSONAL", base + 8 * M + 30 * US, None)
        await tx.execute("DELETE FROM engagements WHERE arn = 'engagement/107'")
        await _engage(tx, 108, "incident/early", "contact/gina", "PERSONAL", base + 12 * M, None)
        await tx.execute("UPDATE engagements SET incident_id = 'incident/late' WHERE arn = 'engagement/106'")


async def test_raw_changes_to_the_records_keep_the_report_equal_to_them(core, client, clock):
    await _month(client, clock)
    await _raw_changes(core)
    expected = await _agrees(core)
    # carol: her own engagement at +4 min acknowledged at +5 (the one before the start does not count)
    assert expected[("contact", "contact/carol")]["timeToAcknowledge"]["median"] == 300
    assert expected[("contact", "contact/dave")]["timeToEngage"]["median"] == 180  # the moved one
    # gina: engaged for incident/early before it was written, that engagement then moved to
    # incident/late (9 min after its start); her later one for incident/early (4 min) remains
    assert expected[("contact", "contact/gina")]["timeToEngage"] == _summary([4 * M, 9 * M])
    assert expected[("impact", "4")]["incidentCount"] == 2
    assert expected[("impact", "4")]["timeToEngage"]["median"] == 240  # hank's removed engagement is gone
    assert not {"contact/erin", "contact/frank", "contact/hank"} & {k for _, k in expected}


async def test_the_migration_fills_in_the_figures_of_records_written_before_it(data_dir, clock):
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / DB_FILENAME, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    for number, sql in MIGRATIONS[:11]:
        conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
    base = to_us(t(5, 8))
    rows = [  # (incident, start, resolved, impact, [(contact, type, engaged after, acked after)]), minutes
        ("incident/a", 0, 30, 2, [("contact/carol", "PERSONAL", 2, 5), ("contact/carol", "PERSONAL", 1, None),
                                  ("contact/dave", "PERSONAL", -3, -2), ("contact/plan", "ESCALATION", 1, None)]),
        ("incident/b", 60, None, 1, [("contact/dave", "PERSONAL", 4, 9)]),
        ("incident/c", 90, 100, 1, []),
    ]
    n = 0
    for arn, start, resolved, impact, engagements in rows:
        conn.execute("INSERT INTO incidents (arn, title, impact, status, created_by, creation_us, resolved_us,"
                     " response_plan_arn, doc) VALUES (?, 't', ?, 'OPEN', 'test', ?, ?, 'plan/raw', '{}')",
                     (arn, impact, base + start * M, None if resolved is None else base + resolved * M))
        for contact, kind, engaged, acked in engagements:
            n += 1
            conn.execute("INSERT INTO engagements (arn, root_arn, contact_arn, contact_type, incident_id, sender,"
                         " subject, content, start_us, acked_us) VALUES (?, ?, ?, ?, ?, 's', 's', 'c', ?, ?)",
                         (f"e/{n}", f"e/{n}", contact, kind, arn, base + (start + engaged) * M,
                          None if acked is None else base + (start + acked) * M))
    conn.execute("INSERT INTO engagements (arn, root_arn, contact_arn, contact_type, incident_id, sender, subject,"
                 " content, start_us) VALUES ('e/x', 'e/x', 'contact/dave', 'PERSONAL', 'incident/none', 's', 's',"
                 " 'c', ?)", (base,))
    conn.close()
    async with open_core(data_dir, clock=clock) as core:
        expected = await _agrees(core)
    assert expected[("all", "all")]["timeToEngage"] == _summary([1 * M, 4 * M])
    assert expected[("contact", "contact/carol")]["timeToAcknowledge"]["median"] == 300
    assert expected[("contact", "contact/dave")]["incidentCount"] == 1  # not before incident/a's start


CHANGES = (  # one of each change the triggers follow, on incident i/7 and its engagements
    ("INSERT INTO incidents (arn, title, impact, status, created_by, creation_us, doc)"
     " VALUES ('i/new', 't', 2, 'OPEN', 'x', 1, '{}')"),
    ("INSERT INTO engagements (arn, root_arn, contact_arn, contact_type, incident_id, sender, subject, content,"
     " start_us) VALUES ('e/new', 'e/new', 'c/9', 'PERSONAL', 'i/7', 's', 's', 'c', 420000001)"),
    "UPDATE engagements SET acked_us = 420000060 WHERE arn = 'e/7/1'",
    "UPDATE engagements SET incident_id = 'i/8' WHERE arn = 'e/7/2'",
    "DELETE FROM engagements WHERE arn = 'e/7/0'",
    "UPDATE incidents SET resolved_us = 430000000 WHERE arn = 'i/7'",
    "DELETE FROM incidents WHERE arn = 'i/9'",
)


def _work(conn: sqlite3.Connection, incidents: int) -> list[int]:
    """SQLite's VM steps for each of CHANGES (their triggers included) with ``incidents``
    incidents of three engagements each in the tables."""
    conn.execute("BEGIN")
    for i in range(incidents):
        conn.execute("INSERT INTO incidents (arn, title, impact, status, created_by, creation_us, doc)"
                     " VALUES (?, 't', 2, 'OPEN', 'x', ?, '{}')", (f"i/{i}", i * M))
        conn.executemany("INSERT INTO engagements (arn, root_arn, contact_arn, contact_type, incident_id, sender,"
                         " subject, content, start_us) VALUES (?, ?, ?, 'PERSONAL', ?, 's', 's', 'c', ?)",
                         [(f"e/{i}/{k}", f"e/{i}/{k}", f"c/{k}", f"i/{i}", i * M + k) for k in range(3)])
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    out = []
    conn.set_progress_handler(step, 1)
    for change in CHANGES:
        steps[0] = 0
        conn.execute(change)
        out.append(steps[0])
    conn.set_progress_handler(None, 1)
    conn.execute("ROLLBACK")
    return out


async def test_keeping_the_figures_costs_the_same_however_many_incidents_there_are(data_dir):
    async with open_core(data_dir):
        pass
    conn = sqlite3.connect(data_dir / DB_FILENAME, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    few, many = _work(conn, 100), _work(conn, 2000)
    conn.close()
    for change, a, b in zip(CHANGES, few, many, strict=True):  # index lookups, never a scan of a table
        assert b < a * 1.5, (change, a, b)
