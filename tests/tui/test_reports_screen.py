"""The Reports area under Pilot on the scripted incident: its tables show the core's figures,
`m` changes the measure the response-time tables and charts show, `p` the period, `r` reloads,
and a new incident in the period shows up live."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable

from cockpit.build import build_app
from cockpit.reports.screen import ReportsScreen
from tests.analyses.scripted import scripted_incident
from tests.tui.helpers import press_binding, settle


def _rows(screen, key: str) -> list[list[str]]:
    table = screen.query_one(f"#table-{key}", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_reports_show_the_figures_and_their_keys_work(core, client, clock, settings) -> None:
    await scripted_incident(client, clock)
    await clock.advance(days=40)  # the incident is now outside the default 30 days
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.go_to_area("reports")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen) and screen.days == 30
        assert _rows(screen, "plans")[0][:2] == ["All incidents", "0"]
        await press_binding(pilot, "report-period")  # 90 days
        assert screen.days == 90
        # acknowledged 10 minutes after the start: median, p90 and mean all 10m 00s
        assert _rows(screen, "plans")[0] == ["All incidents", "1", "10m 00s", "10m 00s", "10m 00s"]
        assert [r[:2] for r in _rows(screen, "contacts")] == [["alice", "1"]]
        await press_binding(pilot, "report-measure")  # time to resolve
        assert screen.measure == "timeToResolve"
        assert _rows(screen, "plans")[0] == ["All incidents", "1", "1h 00m", "1h 00m", "1h 00m"]
        await press_binding(pilot, "report-measure")
        await press_binding(pilot, "report-measure")  # back round to acknowledge
        assert screen.measure == "timeToAcknowledge"
        hours = {r[0]: r[1] for r in _rows(screen, "hours")}
        assert hours["09"] == "1" and sum(int(v) for v in hours.values()) == 1
        weeks = _rows(screen, "weeks")
        assert ["2026-03-02", "1"] in weeks

        plan = (await client.call("ListResponsePlans", {}))["responsePlanSummaries"][0]["arn"]
        await client.call("StartIncident", {"responsePlanArn": plan, "title": "Disk full"})
        await settle(pilot)
        assert _rows(screen, "plans")[0][:2] == ["All incidents", "2"]  # live
        await press_binding(pilot, "report-reload")
        assert _rows(screen, "plans")[0][:2] == ["All incidents", "2"]
        await press_binding(pilot, "report-period")
        await press_binding(pilot, "report-period")
        await press_binding(pilot, "report-period")  # 365, 7, 30
        assert screen.days == 30 and screen.report["startTime"] == clock.now() - timedelta(days=30) + timedelta(
            microseconds=1)
