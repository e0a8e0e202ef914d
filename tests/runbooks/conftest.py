"""Runbook fixtures: a core with a replication set, a response plan and an open incident, on a
real SQLite file and fake time; ``runbook`` saves a document and ``run`` starts it."""

from __future__ import annotations

import json
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from core import FakeClock, open_core
from core.runtime import Core

PLAN = {
    "name": "api-outage",
    "displayName": "API outage",
    "incidentTemplate": {"title": "API is down", "impact": 2},
}


class Runbooks:
    """A core and an incident to run runbooks on, through the operations."""

    def __init__(self, core: Core, clock: FakeClock) -> None:
        self.core = core
        self.clock = clock
        self.client = core.client()
        self.incident = ""

    async def setup(self) -> Runbooks:
        await self.client.call("CreateReplicationSet", {"regions": {self.core.region: {}}})
        plan = await self.client.call("CreateResponsePlan", PLAN)
        started = await self.client.call("StartIncident", {"responsePlanArn": plan["arn"]})
        self.incident = started["incidentRecordArn"]
        return self

    async def save(self, name: str, text: str) -> dict[str, Any]:
        return await self.client.call("CreateRunbook", {"name": name, "content": textwrap.dedent(text)})

    async def run(self, text: str, name: str = "triage-rb", settle: bool = True, **parameters: Any) -> str:
        """Save ``text`` as runbook ``name``, start it on the incident; the execution id. With
        ``settle`` it returns once no step is running outside the core."""
        await self.save(name, text)
        started = await self.client.call(
            "StartRunbookExecution",
            {"incidentRecordArn": self.incident, "runbookName": name, "parameters": parameters},
        )
        if settle:
            await self.settle()
        else:
            await self.clock.advance(0)
        return started["executionId"]

    async def settle(self) -> None:
        """Let every step running outside the core report back, and what follows run."""
        await self.clock.advance(0)
        while self.core.runbook_runner.running:
            await self.core.runbook_runner.drain()
            await self.clock.advance(0)

    async def get(self, execution_id: str) -> dict[str, Any]:
        return (await self.client.call("GetRunbookExecution", {"executionId": execution_id}))["execution"]

    async def step(self, execution_id: str, name: str) -> dict[str, Any]:
        return next(s for s in (await self.get(execution_id))["steps"] if s["name"] == name)

    async def signal(self, execution_id: str, step: str, signal: str = "Resume", **extra: Any) -> dict[str, Any]:
        out = await self.client.call(
            "SignalRunbookStep", {"executionId": execution_id, "stepName": step, "signal": signal, **extra}
        )
        await self.settle()
        return out

    async def timeline(self) -> list[str]:
        """The messages of the incident's runbook timeline events, oldest first."""
        listed = await self.client.call(
            "ListTimelineEvents", {"incidentRecordArn": self.incident, "maxResults": 100, "sortOrder": "ASCENDING"}
        )
        out = []
        for summary in listed["eventSummaries"]:
            if summary["eventType"] == "SSM Automation Execution":
                event = await self.client.call(
                    "GetTimelineEvent", {"incidentRecordArn": self.incident, "eventId": summary["eventId"]}
                )
                out.append(json.loads(event["event"]["eventData"])["message"])
        return out


def config(**runbooks: Any) -> dict[str, Any]:
    return {"runbooks": runbooks}


@pytest.fixture
def runbook_config() -> dict[str, Any]:
    return {}


@pytest.fixture
async def rb(data_dir: Path, clock: FakeClock, runbook_config: dict[str, Any]) -> AsyncIterator[Runbooks]:
    async with open_core(data_dir, clock=clock, config=runbook_config) as core:
        yield await Runbooks(core, clock).setup()
