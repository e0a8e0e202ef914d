"""Shared fixtures: a real core on a real SQLite file in a temp directory, on fake time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core import FakeClock, open_core
from core.runtime import Core

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session", autouse=True)
def _no_default_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The user's own data and settings directories are out of reach: a cockpit started
    without --data-dir (in this process or a subprocess, which inherits the environment) finds
    its default workspace and ui.toml under a temp directory, as platformdirs reads XDG_*_HOME."""
    home = tmp_path_factory.mktemp("xdg")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(home / "data"))
        patch.setenv("XDG_CONFIG_HOME", str(home / "config"))
        yield home


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
