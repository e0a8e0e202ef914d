"""The path a paged responder walks (issue 8, items 1-9), on the real app over a real core on
fake time: acknowledging, the command line, the banner's duration, starting incidents, the
Outbox, forms that fail, and the flash line."""

from __future__ import annotations

from textual.widgets import Input, Static

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.shell.command_line import CommandLineModal
from tests.support.contacts import personal_contact
from tests.tui.helpers import press_binding, settle
from widgets.flash_line import FlashLine
from widgets.incident_tile import IncidentTile
from widgets.live_duration import LiveDuration


async def test_the_command_line_shows_what_is_typed(ready, clock, settings) -> None:
    client, _ = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_binding(pilot, "command-line")
        assert isinstance(app.screen, CommandLineModal)
        await pilot.press(*"ack 12345")
        await settle(pilot)
        line = app.screen.query_one("#command")
        assert line.content_region.height == 1  # a row for the text, not only border lines
        assert ":ack 12345" in line.render_line(0).text


async def test_the_banner_duration_stays_visible_as_it_gains_digits(ready, clock, settings) -> None:
    client, plan = ready
    arn = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(IncidentDetailScreen(arn))
        await settle(pilot)
        duration = app.screen.query_one("#banner-duration", LiveDuration)

        async def shown_after(seconds: float) -> str:
            await clock.advance(seconds)
            duration.tick()  # what its one-second interval calls
            await settle(pilot)
            text = duration.text()
            assert duration.size.width >= len(text), f"{text!r} clipped to {duration.size.width} columns"
            return text

        assert await shown_after(9) == "duration 9s"
        assert await shown_after(1) == "duration 10s"
        assert await shown_after(49) == "duration 59s"
        assert await shown_after(1) == "duration 1m 00s"
        assert await shown_after(9 * 60 - 1) == "duration 9m 59s"
        assert await shown_after(1) == "duration 10m 00s"
        assert await shown_after(50 * 60) == "duration 1h 00m"


async def start_from_the_list(pilot, title: str) -> None:
    await press_binding(pilot, "start-incident")
    pilot.app.screen.query_one("#title", Input).value = title
    await press_binding(pilot, "form-submit")


async def test_a_start_that_dedupes_says_so_and_opens_the_open_incident(core, clock, settings) -> None:
    client = core.client()
    await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
    await client.call("CreateResponsePlan", {"name": "api", "incidentTemplate": {
        "title": "API is down", "impact": 2, "dedupeString": "api-5xx"}})
    first = (await client.call("StartIncident", {"responsePlanArn": (await client.call(
        "ListResponsePlans", {}))["responsePlanSummaries"][0]["arn"]}))["incidentRecordArn"]
    await clock.advance(seconds=30)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await start_from_the_list(pilot, "API is down again")
        message, level = app.last_flash
        assert message == "Joined open “API is down” (same dedupe string)"  # the name first: it fits 80 columns
        assert level == "warning"
        assert isinstance(app.screen, IncidentDetailScreen) and app.screen.arn == first
        records = (await client.call("ListIncidentRecords", {}))["incidentRecordSummaries"]
        assert [r["arn"] for r in records] == [first]


async def test_a_real_start_selects_the_new_incident(ready, clock, settings) -> None:
    client, plan = ready
    await client.call("StartIncident", {"responsePlanArn": plan, "title": "Older"})
    await clock.advance(seconds=30)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await start_from_the_list(pilot, "Checkout is down")
        assert app.last_flash == ("Incident started: “Checkout is down”", "success")
        focused = app.focused
        assert isinstance(focused, IncidentTile) and focused.incident_title == "Checkout is down"


def outbox_rows(screen) -> list[tuple]:
    table = screen.table
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_the_outbox_is_live_reloads_and_names_the_recipient(core, clock, settings) -> None:
    client = core.client()
    await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    rp = await client.call("CreateResponsePlan", {"name": "api", "engagements": [alice],
                                                  "incidentTemplate": {"title": "API is down", "impact": 2}})
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.switch_mode("outbox")
        await settle(pilot)
        screen = app.screen
        before = len(outbox_rows(screen))  # alice's activation code
        await client.call("StartIncident", {"responsePlanArn": rp["arn"]})
        await clock.advance(seconds=1)  # the page is sent
        await settle(pilot)
        rows = outbox_rows(screen)
        assert len(rows) == before + 1, rows
        newest = rows[0]
        assert newest[1:5] == ("EMAIL", "alice", "page", "sent"), newest

        await press_binding(pilot, "outbox-reload")
        assert outbox_rows(screen) == rows
        assert app.last_flash[0].startswith("outbox reloaded")

        await press_binding(pilot, "outbox-channel")  # EMAIL
        await press_binding(pilot, "outbox-channel")  # SMS: none
        assert outbox_rows(screen) == []
        empty = str(screen.query_one("#prep-empty", Static).render())
        assert empty == "No messages of this type (channel SMS · status any)."


async def test_the_outbox_preview_scrolls_to_the_end_of_a_long_message(core, clock, settings) -> None:
    client = core.client()
    await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    summary = "\n".join(f"line {n} of the summary" for n in range(1, 41))
    rp = await client.call("CreateResponsePlan", {"name": "api", "engagements": [alice], "incidentTemplate": {
        "title": "API is down", "impact": 2, "summary": summary}})
    await client.call("StartIncident", {"responsePlanArn": rp["arn"]})
    await clock.advance(seconds=1)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.switch_mode("outbox")
        await settle(pilot)
        screen = app.screen
        preview = screen.query_one("#outbox-preview")
        text = str(screen.query_one("#outbox-body", Static).render())
        assert "Accept code:" in text and "line 40 of the summary" in text  # the whole message
        assert preview.max_scroll_y > 0  # longer than its box: it scrolls
        preview.focus()
        await pilot.press("end")
        await pilot.wait_for_scheduled_animations()
        assert preview.scroll_y == preview.max_scroll_y


async def test_flash_messages_go_stay_on_their_screen_and_cover_nothing(ready, clock, settings) -> None:
    client, _ = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.switch_mode("outbox")
        await settle(pilot)
        outbox = app.screen
        line = outbox.query_one(FlashLine)
        table_region = outbox.table.region
        await press_binding(pilot, "outbox-reload")
        assert line.message.startswith("outbox reloaded")
        assert outbox.table.region == table_region and line.size.height == 1

        app.flash("x" * 300, "error")  # a long one: still one row, nothing above moves
        await settle(pilot)
        assert line.size.height == 1 and outbox.table.region == table_region

        app.switch_mode("contacts")
        await settle(pilot)
        assert app.screen.query_one(FlashLine).message == ""  # it did not follow us

        app.switch_mode("outbox")
        await settle(pilot)
        await clock.advance(seconds=9)
        line.tick()  # what its one-second interval calls
        assert line.message == "x" * 300  # an error stays 10 s
        await clock.advance(seconds=1)
        line.tick()
        assert line.message == ""

        await press_binding(pilot, "outbox-reload")
        await clock.advance(seconds=4)
        line.tick()
        assert line.message.startswith("outbox reloaded")
        await clock.advance(seconds=1)
        line.tick()
        assert line.message == ""


async def test_an_incident_form_the_core_refuses_names_the_field_as_the_form_does(ready, clock, settings) -> None:
    client, plan = ready
    arn = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(IncidentDetailScreen(arn))
        await settle(pilot)
        await press_binding(pilot, "edit-incident")
        form = app.screen
        form.query_one("#title", Input).value = "x" * 300
        await press_binding(pilot, "form-submit")
        assert app.screen is form  # still open, the long title still there
        assert form.query_one("#title", Input).value == "x" * 300
        message = str(form.query_one("#form-error", Static).render())
        assert message.startswith("Title: "), message
        assert "ValidationException" not in message
        assert form.query_one("#title", Input).has_class("-invalid")
        record = (await client.call("GetIncidentRecord", {"arn": arn}))["incidentRecord"]
        assert record["title"] == "API is down"
