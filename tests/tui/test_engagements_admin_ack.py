"""`k` in the Engagements tab as local-admin, linked to no contact: on someone else's page it asks
first, naming whose page and as whom; a stopped engagement is refused in words; a plan's row says
what to do instead. The real app on a real core, fake time."""

from __future__ import annotations

from textual.widgets import DataTable

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.shell.confirm import ConfirmModal
from tests.support.contacts import personal_contact
from tests.tui.helpers import press_binding, settle
from tests.tui.test_engagements_yours import _engaged, _read_by


async def test_k_on_someone_elses_page_asks_and_a_stopped_one_is_refused(core, clock, settings) -> None:
    admin = core.client()
    await admin.call("CreateReplicationSet", {"regions": {core.region: {}}})
    await personal_contact(admin, "alice", [("EMAIL", "alice@example.com")])
    incident, pages = await _engaged(core, clock)
    app = build_app(admin, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(IncidentDetailScreen(incident))
        await settle(pilot)
        detail = app.screen
        await pilot.press(str(detail._tab_ids().index("engagements") + 1))
        await settle(pilot)
        pane = detail.query_one("EngagementsPane")
        table = detail.query_one("EngagementTable", DataTable)
        names = [table.get_row_at(i)[0] for i in range(table.row_count)]

        table.move_cursor(row=names.index("Bob"))
        await press_binding(pilot, "engagement-ack")
        assert isinstance(app.screen, ConfirmModal)
        assert "Acknowledge Bob's page as local-admin?" in " ".join(str(w.render()) for w in app.screen.query("Static"))
        await press_binding(pilot, "confirm-no")
        assert await _read_by(core, pages["bob"]) == []
        await press_binding(pilot, "engagement-ack")
        await press_binding(pilot, "confirm-yes")
        assert app.last_flash[1] == "success"
        assert len(await _read_by(core, pages["bob"])) == 1

        alice = next(e for e in pane.engagements.values() if e["contactName"] == "Alice")
        await admin.call("StopEngagement", {"EngagementId": alice["engagementArn"]})
        await clock.advance(seconds=0)
        pane.reload()
        await settle(pilot)
        assert pane.engagements[alice["engagementArn"]]["state"] == "stopped"
        table.move_cursor(row=[table.get_row_at(i)[0] for i in range(table.row_count)].index("Alice"))
        await press_binding(pilot, "engagement-ack")
        assert app.screen is detail
        assert app.last_flash == ("Alice's engagement was stopped: there is nothing to acknowledge", "warning")
        assert await _read_by(core, pages["alice"]) == []
