"""The analysis and report screens at 80x24 and 120x40, keyboard only (issue 8): switching to a
tab of the analysis gives its table the focus, the analysis opens at its top with the
breadcrumbs showing, no table of the Analyses tab, the analysis, the templates or the Reports
scrolls sideways (the long texts end in "…" and read whole where their row opens), and the
counts read in the right number. On the demo workspace, with long texts added."""

from __future__ import annotations

import asyncio
import re
from functools import partial
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from cockpit.analyses.forms import ActionItemForm, AnswerForm
from cockpit.analyses.screen import AnalysisScreen
from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.screenshots import DEMO_NOW
from core import open_core
from core.clock import FakeClock
from tests.tui.helpers import drawn, press_binding, settle
from tests.tui.test_footer_keys import footer_text

LONG_ANSWER = ("The p99 latency alarm fired six minutes after the first failed renewal, and only because "
               "the payment provider's own status page had already turned red")
LONG_ITEM = "Give every renewal charge an idempotency key derived from the subscription and its billing period"
SIZES = [(80, 24), (120, 40)]


async def _long_texts(workspace: Path) -> None:
    async with open_core(workspace, clock=FakeClock(DEMO_NOW)) as core:
        client = core.client()
        (analysis,) = (await client.call("ListAnalyses", {}))["analyses"]
        aid = analysis["analysisId"]
        await client.call("AnswerQuestion", {"analysisId": aid, "questionId": "detection-signal", "answer": LONG_ANSWER})
        await client.call("CreateActionItem", {"analysisId": aid, "title": LONG_ITEM,
                                               "owner": "payments platform team", "dueDate": "2026-03-31"})


@pytest.fixture
def long_texts(demo_workspace: Path) -> Path:
    asyncio.run(_long_texts(demo_workspace))
    return demo_workspace


def _app(workspace: Path, settings):
    clock = FakeClock(DEMO_NOW)
    return build_app(partial(embedded_client, workspace, clock), settings, clock=clock)


def _too_wide(app) -> list[str]:
    return [f"{type(app.screen).__name__} #{t.id}: {t.virtual_size.width} > {t.scrollable_content_region.width}"
            for t in app.screen.query(DataTable)
            if t.display and t.size.width and t.virtual_size.width > t.scrollable_content_region.width]


async def _open_analysis(pilot) -> AnalysisScreen:
    await settle(pilot)
    await press_binding(pilot, "tab-3")  # the incident list's Analyses tab: its table has the focus
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AnalysisScreen)
    return screen


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_switching_to_a_tab_focuses_its_table_and_the_analysis_opens_at_its_top(
        demo_workspace: Path, settings, size: tuple[int, int]) -> None:
    app = _app(demo_workspace, settings)
    async with app.run_test(size=size) as pilot:
        screen = await _open_analysis(pilot)
        assert screen.query_one("#breadcrumbs").region.y == 0 and screen.scroll_offset.y == 0
        assert "Duplicate charges" in str(screen.query_one("#breadcrumbs").render())
        await press_binding(pilot, "tab-3")  # the timeline
        await press_binding(pilot, "next-tab")  # ] to the questions
        questions = screen.query_one("#analysis-questions", DataTable)
        assert app.focused is questions
        await pilot.press("down", "enter")  # the second question, answered without a Tab first
        await settle(pilot)
        assert isinstance(app.screen, AnswerForm) and app.screen.question["id"] == "detection-alarm"
        await press_binding(pilot, "form-cancel")
        await press_binding(pilot, "tab-5")
        assert app.focused is screen.query_one("#analysis-actions", DataTable)
        assert "o Owner, due" in footer_text(app)  # the owner and due date key, shown
        await press_binding(pilot, "help")
        assert "analysis-edit-item" in "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await press_binding(pilot, "previous-tab")  # [ back to the questions
        assert app.focused is questions
        assert screen.scroll_offset.y == 0


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_no_analysis_or_report_table_scrolls_sideways(long_texts: Path, settings, size: tuple[int, int]) -> None:
    app = _app(long_texts, settings)
    wide: list[str] = []
    async with app.run_test(size=size) as pilot:
        await _open_analysis(pilot)
        await press_binding(pilot, "back")
        wide += _too_wide(app)  # the Analyses tab
        listed = drawn(app.screen.query_one("#analyses-table"))
        assert "Duplicate charg…" in listed  # the incident's title, cut
        assert size[0] > 80 or not re.search(r"what happened\s", listed)  # at 80 the name is cut too
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        for tab in ("tab-3", "tab-6", "tab-5", "tab-4"):
            await press_binding(pilot, tab)
            wide += _too_wide(app)
        questions = drawn(screen.query_one("#analysis-questions"))
        assert LONG_ANSWER not in questions and "The p99 latency alarm f…" in questions  # its start, cut with "…"
        await press_binding(pilot, "tab-5")
        actions = drawn(screen.query_one("#analysis-actions"))
        assert "payments plat…" in actions and "2026-03-31" in actions  # owner and due date beside the item
        if size[0] == 80:
            assert LONG_ITEM not in actions and re.search(r"Give every renewal[^…\n]*…  payments", actions)
        screen.query_one("#analysis-actions", DataTable).move_cursor(row=3)
        await pilot.press("enter")  # the row opens it whole
        await settle(pilot)
        assert isinstance(app.screen, ActionItemForm) and app.screen.query_one("#item-title").value == LONG_ITEM
        await press_binding(pilot, "form-cancel")
        await press_binding(pilot, "back")
        await press_binding(pilot, "analysis-templates")
        wide += _too_wide(app)
        await press_binding(pilot, "back")
        app.go_to_area("reports")
        await settle(pilot)
        for tab in ("tab-1", "tab-2", "tab-3", "tab-4", "tab-5", "tab-6"):
            await press_binding(pilot, tab)
            wide += _too_wide(app)
        impact = app.screen.query_one("#table-impact", DataTable)
        assert [str(impact.get_row_at(i)[0]) for i in range(impact.row_count)][:2] == ["1 Critical", "2 High"]
    assert wide == []


async def test_counts_read_in_the_right_number(demo_workspace: Path, settings) -> None:
    app = _app(demo_workspace, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_analysis(pilot)
        banner = screen.query_one("#analysis-banner", Static)
        assert str(banner.render()).endswith("· 5 checklist items open")
        await press_binding(pilot, "tab-6")
        for _ in range(4):
            await press_binding(pilot, "analysis-toggle")
            await pilot.press("down")
        assert str(banner.render()).endswith("· 1 checklist item open")
        await press_binding(pilot, "analysis-close")
        assert "1 checklist item is not done" in str(app.screen._question)
        await press_binding(pilot, "confirm-no")
