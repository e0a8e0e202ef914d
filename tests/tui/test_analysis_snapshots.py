"""Snapshots of the Reports screen and the analysis screen at 80x24 (and Reports at 120x40), on
the seeded demo workspace and a fake clock, with forms and the close confirmation showing text
typed in. Update with ``pytest tests/tui/test_analysis_snapshots.py --snapshot-update``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

import pytest
from textual.pilot import Pilot

from cockpit.analyses.screen import AnalysisScreen
from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.screenshots import DEMO_NOW
from cockpit.settings import CockpitSettings
from core import open_core
from core.clock import FakeClock
from tests.tui.helpers import press_binding, settle


async def _analysis_of_a_resolved_incident(workspace: Path) -> str:
    async with open_core(workspace, clock=FakeClock(DEMO_NOW)) as core:
        client = core.client()
        resolved = (await client.call("ListIncidentRecords", {"filters": [
            {"key": "status", "condition": {"equals": {"stringValues": ["RESOLVED"]}}}]}))["incidentRecordSummaries"]
        incident = sorted(resolved, key=lambda r: r["creationTime"])[0]["arn"]
        made = await client.call("CreateAnalysis", {"incidentRecordArn": incident, "name": "Checkout latency review"})
        await client.call("AnswerQuestion", {"analysisId": made["analysisId"], "questionId": "detection-alarm",
                                             "answer": "Yes: the p99 alarm fired 6 minutes late"})
        return made["analysisId"]


async def _reports(pilot: Pilot, tab: str = "tab-1") -> None:
    await settle(pilot)
    await pilot.app.clock.advance(0)  # type: ignore[attr-defined]  # the engine's due work (pages) is done
    pilot.app.go_to_area("reports")  # type: ignore[attr-defined]
    await settle(pilot)
    await press_binding(pilot, tab)


async def _analysis(pilot: Pilot, analysis_id: str, tab: str = "tab-2") -> None:
    await settle(pilot)
    pilot.app.push_screen(AnalysisScreen(analysis_id))
    await settle(pilot)
    await press_binding(pilot, tab)


async def _overview_typed(pilot: Pilot, analysis_id: str) -> None:
    await _analysis(pilot, analysis_id, "tab-1")
    await press_binding(pilot, "analysis-edit-overview")
    pilot.app.screen.query_one("#overview-whatHappened").focus()
    await pilot.press(*[("space" if c == " " else c) for c in "A cache flush doubled DB load"])
    await settle(pilot)


async def _close_confirm(pilot: Pilot, analysis_id: str) -> None:
    await _analysis(pilot, analysis_id, "tab-6")
    await press_binding(pilot, "analysis-close")


async def _answer_typed(pilot: Pilot, analysis_id: str) -> None:
    await _analysis(pilot, analysis_id, "tab-4")
    await press_binding(pilot, "analysis-answer")
    await pilot.press(*[("space" if c == " " else c) for c in "The error budget page, 9 minutes in"])
    await settle(pilot)


async def _accept_typed(pilot: Pilot, analysis_id: str) -> None:
    await _analysis(pilot, analysis_id, "tab-5")
    await press_binding(pilot, "analysis-accept")  # the recommended item has no owner yet: the form asks
    await pilot.press(*[("space" if c == " " else c) for c in "payments team"])
    await settle(pilot)


SCENES: dict[str, Callable[..., Awaitable[None]]] = {
    "reports-plans": _reports,
    "reports-hours": partial(_reports, tab="tab-5"),
    "analysis-metrics": _analysis,
    "analysis-questions": partial(_analysis, tab="tab-4"),
    "analysis-actions": partial(_analysis, tab="tab-5"),
    "overview-form-typed": _overview_typed,
    "close-confirm": _close_confirm,
    "answer-form-typed": _answer_typed,
    "accept-form-typed": _accept_typed,
}


@pytest.mark.parametrize("scene", list(SCENES))
def test_analysis_and_report_screens_80x24(snap_compare, demo_workspace: Path, settings: CockpitSettings,
                                            scene: str) -> None:
    analysis_id = asyncio.run(_analysis_of_a_resolved_incident(demo_workspace))
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    run = SCENES[scene]
    before = run if scene.startswith("reports") else partial(run, analysis_id=analysis_id)
    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_reports_120x40(snap_compare, demo_workspace: Path, settings: CockpitSettings) -> None:
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_reports)
