"""The escalation-plan editor offers "acknowledgement stops progression" per contact
(IsEssential, as the seed describes it), not per stage."""

from __future__ import annotations

from textual.widgets import Input, SelectionList

from cockpit.plans.stage_editor import PrepStageEditor, StageBox
from tests.support.contacts import personal_contact
from tests.tui_prep.conftest import press_id, settle
from tests.tui_prep.test_forms_keep_work import open_form


async def _targets(client, alias: str) -> dict[str, bool]:
    plans = (await client.call("ListContacts", {"Type": "ESCALATION"}))["Contacts"]
    arn = next(p["ContactArn"] for p in plans if p["Alias"] == alias)
    plan = (await client.call("GetContact", {"ContactId": arn}))["Plan"]
    return {t["ContactTargetInfo"]["ContactId"].rsplit("/", 1)[-1]: t["ContactTargetInfo"]["IsEssential"]
            for stage in plan["Stages"] for t in stage["Targets"]}


async def test_each_contact_of_a_stage_has_its_own_essential_choice(client, clock, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    bob, _ = await personal_contact(client, "bob", [("EMAIL", "bob@example.com")])
    carol, _ = await personal_contact(client, "carol", [("EMAIL", "carol@example.com")])
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_form(pilot, "plans", "plan-new", PrepStageEditor)
        editor.query_one("#alias", Input).value = "primary"
        box = editor.query_one(StageBox)
        engage = box.query_one(".stage-contacts", SelectionList)
        essential = box.query_one(".stage-essential", SelectionList)
        assert set(essential.selected) == {alice, bob, carol}  # a new stage: everyone, until unticked
        engage.select(alice)
        engage.select(bob)
        essential.deselect(bob)  # bob's acknowledgement does not stop the plan; carol is not engaged
        await press_id(pilot, "stages-save")
        assert not isinstance(app.screen, PrepStageEditor), app.last_flash
        assert await _targets(client, "primary") == {"alice": True, "bob": False}

        # the editor shows the stored choices again, and they can change per contact
        await press_id(pilot, "plan-edit")
        editor = app.screen
        assert isinstance(editor, PrepStageEditor)
        box = editor.query_one(StageBox)
        assert set(box.query_one(".stage-contacts", SelectionList).selected) == {alice, bob}
        assert set(box.query_one(".stage-essential", SelectionList).selected) == {alice}
        box.query_one(".stage-essential", SelectionList).deselect(alice)
        box.query_one(".stage-essential", SelectionList).select(bob)
        await press_id(pilot, "stages-save")
        await settle(pilot)
        assert await _targets(client, "primary") == {"alice": False, "bob": True}
