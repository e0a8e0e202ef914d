"""The analysis templates screen under Pilot: reached with t from the Analyses tab; every key and
button: a new template from the standard one (and a name already taken), a section and a
question added, the standard one refused as read-only, delete asked first; a snapshot at 80x24
with a question typed into its form."""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from cockpit.analyses.template_forms import NewTemplateForm, QuestionForm, SectionForm
from cockpit.analyses.templates_screen import READ_ONLY, AnalysisTemplatesScreen
from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.settings import CockpitSettings
from cockpit.shell.confirm import ConfirmModal
from core import open_core
from core.clock import FakeClock
from tests.analyses.scripted import workspace
from tests.conftest import START
from tests.tui.helpers import key_for, press_binding, settle
from widgets.flash_line import FlashLine


async def _type(pilot: Pilot, text: str) -> None:
    await pilot.press(*[("space" if c == " " else c) for c in text])


async def _open_templates(pilot: Pilot) -> AnalysisTemplatesScreen:
    await settle(pilot)
    await press_binding(pilot, "tab-3")  # the incident list's Analyses tab
    pilot.app.screen.query_one("#analyses-table").focus()
    await settle(pilot)
    await press_binding(pilot, "analysis-templates")
    screen = pilot.app.screen
    assert isinstance(screen, AnalysisTemplatesScreen)
    return screen


async def _template(client, name: str) -> dict:
    return (await client.call("GetAnalysisTemplate", {"name": name}))["template"]


async def test_templates_every_key_and_button(core, client, clock, settings) -> None:
    await workspace(client)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_templates(pilot)
        flash = screen.query_one(FlashLine)
        assert screen.table.get_row_at(0)[:3] == ["Standard (built in)", "6", "12"]
        detail = str(screen.query_one("#template-detail").render())
        assert "Sections: Overview, Metrics, Timeline, Questions, Actions, Checklist" in detail
        assert "Detection 2, Diagnosis 2, Mitigation 2, Prevention 6" in detail

        for binding in ("template-add-section", "template-add-question", "template-delete"):  # read-only
            await press_binding(pilot, binding)
            assert app.screen is screen and flash.message == READ_ONLY
        assert len(READ_ONLY) <= 78  # whole in the flash line at 80 columns

        await press_binding(pilot, "template-new")  # from the selected one, Standard
        form = app.screen
        assert isinstance(form, NewTemplateForm) and form.query_one("#template-base", Select).value == "Standard"
        await _type(pilot, "db incidents")  # a space is not allowed in a name
        await pilot.click("#submit")
        await settle(pilot)
        assert app.screen is form and "Name: up to 64 letters" in str(form.query_one("#form-error").render())
        form.query_one("#template-name", Input).value = "db-incidents"
        form.query_one("#template-description", Input).focus()
        await _type(pilot, "For the database team")
        await pilot.click("#submit")
        await settle(pilot)
        assert app.screen is screen and flash.message == "saved template db-incidents"
        made = await _template(client, "db-incidents")
        assert made["description"] == "For the database team" and len(made["questions"]) == 12

        await press_binding(pilot, "template-new")  # the same name again: said in the form
        await _type(pilot, "db-incidents")
        await pilot.press("enter")
        await settle(pilot)
        assert "already exists" in str(app.screen.query_one("#form-error").render())
        await pilot.click("#cancel")
        await settle(pilot)
        await press_binding(pilot, "confirm-yes")  # "Discard your changes?"
        assert app.screen is screen

        await pilot.press("down")  # db-incidents
        await settle(pilot)
        assert screen.selected == "db-incidents"
        await press_binding(pilot, "template-add-section")
        assert isinstance(app.screen, SectionForm)
        await pilot.press("enter")  # no title
        await settle(pilot)
        assert "Title: give the section a title" in str(app.screen.query_one("#form-error").render())
        await _type(pilot, "Customer impact")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        sections = (await _template(client, "db-incidents"))["sections"]
        assert sections[-1] == {"id": "customer-impact", "title": "Customer impact", "kind": "notes"}
        assert "Customer impact" in str(screen.query_one("#template-detail").render())

        for question in ("Was the replica lag alarm on?", "Was the replica lag alarm on?"):  # ids stay unique
            await press_binding(pilot, "template-add-question")
            assert isinstance(app.screen, QuestionForm)
            await _type(pilot, question)
            await press_binding(pilot, "form-submit")
        questions = (await _template(client, "db-incidents"))["questions"]
        assert [q["id"] for q in questions[-2:]] == ["detection-was-the-replica-lag-alarm-on",
                                                     "detection-was-the-replica-lag-alarm-on-2"]
        assert questions[-1]["category"] == "Detection" and questions[-1]["text"] == "Was the replica lag alarm on?"
        assert screen.table.get_row_at(1)[:3] == ["db-incidents", "7", "14"]
        await press_binding(pilot, "template-add-question")
        await press_binding(pilot, "form-cancel")  # escape: nothing added
        assert app.screen is screen and len((await _template(client, "db-incidents"))["questions"]) == 14

        await press_binding(pilot, "template-delete")
        assert isinstance(app.screen, ConfirmModal)
        await press_binding(pilot, "confirm-no")
        assert screen.table.row_count == 2
        await press_binding(pilot, "template-delete")
        await pilot.click("#yes")
        await settle(pilot)
        assert flash.message == "template db-incidents deleted" and screen.table.row_count == 1
        names = [t["name"] for t in (await client.call("ListAnalysisTemplates", {}))["templates"]]
        assert names == ["Standard"]


async def _seed(data_dir: Path) -> None:
    async with open_core(data_dir, clock=FakeClock(START)) as core:
        client = core.client()
        await workspace(client)
        await client.call("CreateAnalysisTemplate", {"name": "db-incidents", "description": "For the database team"})


async def _question_typed(pilot: Pilot) -> None:
    await _team_template(pilot)
    await pilot.press(key_for(pilot, "template-add-question"))
    await settle(pilot)
    await _type(pilot, "Was the replica lag alarm on?")
    await settle(pilot)


async def _team_template(pilot: Pilot) -> None:
    await _open_templates(pilot)
    await pilot.press("down")
    await settle(pilot)


@pytest.mark.parametrize("scene", ["team-template", "question-typed"])
def test_templates_80x24(snap_compare, data_dir: Path, settings: CockpitSettings, scene: str) -> None:
    asyncio.run(_seed(data_dir))
    clock = FakeClock(START)
    app = build_app(partial(embedded_client, data_dir, clock), settings, clock=clock)
    run = {"team-template": _team_template, "question-typed": _question_typed}[scene]
    assert snap_compare(app, terminal_size=(80, 24), run_before=run)
