"""The Reports area under Pilot on the scripted incident: its tables show the core's figures,
`m` changes the measure the response-time tables and charts show, `p` the period, `r` reloads,
and a new incident in the period shows up live."""

from __future__ import annotations

import re
from datetime import timedelta

from textual.widgets import DataTable, Static, TabbedContent
from textual_plotext import PlotextPlot

from cockpit.build import build_app
from cockpit.reports.screen import ReportsScreen
from tests.analyses.scripted import scripted_incident, workspace
from tests.analyses.test_reports import _month
from tests.support.contacts import personal_contact
from tests.tui.helpers import key_for, press_binding, settle


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


def _axis(screen, key: str) -> list[str]:
    """The labels under a chart, as drawn (its last line), checked to stand two columns apart."""
    plot = screen.query_one(f"#chart-{key}", PlotextPlot)
    line = plot.render_line(plot.size.height - 1).text
    found = list(re.finditer(r"\S+(?: \S+)*", line))  # a label may hold one space (31 Mar)
    assert all(b.start() - a.end() >= 2 for a, b in zip(found, found[1:], strict=False)), line
    return [m.group() for m in found]


async def test_chart_axes_have_few_short_labels_at_80x24(core, client, clock, settings) -> None:
    await _month(client, clock)  # 30 days back from 31 March: acks 10m, 5m, 20m, 1m (medians 7m 30s; 5m, 20m)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.go_to_area("reports")
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#report-summary", Static).render().plain.startswith(
            "Last 30 days: 6 incidents, median ack 7m 30s")
        assert screen.query_one("#breadcrumbs").region.y == 0 and not screen.scroll_offset.y  # all of it shows
        for tab, key, labels in (("tab-1", "plans", ["0", "10m", "20m"]),  # the table beside it takes 44 columns
                                 ("tab-4", "pages", ["0", "1", "2", "3"]),
                                 ("tab-5", "hours", ["00", "03", "06", "09", "12", "15", "18", "21"])):
            await press_binding(pilot, tab)
            assert _axis(screen, key) == labels
        await press_binding(pilot, "report-period")
        await press_binding(pilot, "report-period")  # a year: 53 weeks, a label every few
        await press_binding(pilot, "tab-6")
        weeks = _axis(screen, "weeks")
        assert 3 <= len(weeks) <= 8 and weeks[0] == "31 Mar", weeks  # the Monday of the year's first week


async def test_the_screen_says_it_is_reading_and_answers_keys_meanwhile(core, client, clock, settings) -> None:
    await _month(client, clock)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.go_to_area("reports")
        await settle(pilot)
        screen = app.screen
        summary = screen.query_one("#report-summary", Static)
        tabs = screen.query_one("#report-tabs", TabbedContent)
        async with core.db.transaction():  # the core is busy: the report waits for its turn
            await pilot.press(key_for(pilot, "report-period"))
            await pilot.pause()
            assert summary.render().plain == "Reading the last 90 days…"
            await pilot.press(key_for(pilot, "tab-2"))
            await pilot.pause()
            assert tabs.active == "report-impact"  # the screen still answers keys
        await settle(pilot)
        assert summary.render().plain.startswith("Last 90 days: 6 incidents")


def _chart_lines(screen, key: str) -> list[str]:
    plot = screen.query_one(f"#chart-{key}", PlotextPlot)
    return [plot.render_line(y).text for y in range(plot.size.height)]


async def test_a_chart_of_more_names_than_rows_shows_the_tables_first_ones(core, client, clock, settings) -> None:
    _, alice = await workspace(client)
    plan = (await client.call("ListResponsePlans", {}))["responsePlanSummaries"][0]["arn"]
    people = [alice] + [(await personal_contact(client, f"person-{i:02d}", [("EMAIL", f"p{i}@example.com")]))[0]
                        for i in range(19)]
    incident = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    for person in people:
        await client.call("StartEngagement", {"ContactId": person, "Sender": "ops", "Subject": "s", "Content": "c",
                                              "IncidentId": incident})
    await clock.advance(seconds=60)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.go_to_area("reports")
        await settle(pilot)
        screen = app.screen
        await press_binding(pilot, "tab-4")  # pages per contact: 20 names, fewer rows
        lines = _chart_lines(screen, "pages")
        names = [m.group(1) for line in lines if (m := re.match(r"\s*(\S[^┤│]*?)┤", line))]
        first = [row[0] for row in _rows(screen, "pages")][: len(names)]
        assert 5 <= len(names) < 20 and names == first, (names, first)  # top down, as the table
        assert lines[0].strip() == f"Pages per contact, {len(names)} of 20"
        await press_binding(pilot, "tab-3")
        assert _chart_lines(screen, "contacts")[0].strip().startswith("Contacts: median ack")
        await pilot.resize_terminal(120, 40)  # room for every name: the chart takes them all
        await settle(pilot)
        await press_binding(pilot, "tab-4")
        assert _chart_lines(screen, "pages")[0].strip() == "Pages per contact"
