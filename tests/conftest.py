"""Shared fixtures: a real core on a real SQLite file in a temp directory, on fake time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core import FakeClock, open_core
from core.runtime import Core

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "workspace"


@pytest.fixture
async def core(data_dir: Path, clock: FakeClock) -> AsyncIterator[Core]:
    """A core with nothing set up (no replication set)."""
    async with open_core(data_dir, clock=clock) as running:
        yield running


@pytest.fixture
async def client(core: Core):
    return core.client()


@pytest.fixture
async def ready(core: Core):
    """A core with a replication set and one response plan; returns (client, plan_arn)."""
    c = core.client()
    await c.call("CreateReplicationSet", {"regions": {core.region: {}}})
    plan = await c.call(
        "CreateResponsePlan",
        {
            "name": "api-outage",
            "displayName": "API outage",
            "incidentTemplate": {"title": "API is down", "impact": 2, "summary": "5xx everywhere"},
        },
    )
    return c, plan["arn"]
