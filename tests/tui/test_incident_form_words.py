"""The incident forms refuse what they cannot file, on the field, in words that name it as the
form does: a related item that is neither an ARN nor an http(s) URL ("zzz" was added as a link),
an empty timeline event description, an empty incident title. The form stays open with what was
typed. The real app on a real core, fake time."""

from __future__ import annotations

from textual.widgets import Input

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.incidents.edit_incident import EditIncidentModal
from cockpit.incidents.related_item import RelatedItemModal
from cockpit.incidents.timeline_event import TimelineEventModal
from tests.tui.helpers import press_binding, settle


def _error(form) -> str:
    return str(form.query_one("#form-error").render())


async def test_the_incident_forms_name_the_field_in_error(ready, clock, settings) -> None:
    client, plan = ready
    arn = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(IncidentDetailScreen(arn))
        await settle(pilot)

        await press_binding(pilot, "tab-6")
        await press_binding(pilot, "add-related-item")
        form = app.screen
        assert isinstance(form, RelatedItemModal)
        form.query_one("#item-title", Input).value = "Dash"
        form.query_one("#value", Input).value = "zzz"
        await press_binding(pilot, "form-submit")
        assert app.screen is form
        assert _error(form) == "ARN or URL: zzz is neither an ARN (arn:...) nor a URL (https://...)"
        assert form.query_one("#value", Input).has_class("-invalid")
        items = (await client.call("ListRelatedItems", {"incidentRecordArn": arn}))["relatedItems"]
        assert all(i.get("title") != "Dash" for i in items)
        form.query_one("#value", Input).value = "https://dash.example.com/api"
        await press_binding(pilot, "form-submit")
        assert app.screen is not form
        items = (await client.call("ListRelatedItems", {"incidentRecordArn": arn}))["relatedItems"]
        assert {"url": "https://dash.example.com/api"} in [i["identifier"]["value"] for i in items]

        await press_binding(pilot, "tab-3")
        await press_binding(pilot, "add-timeline-event")
        form = app.screen
        assert isinstance(form, TimelineEventModal)
        form.query_one("#description", Input).value = ""
        await press_binding(pilot, "form-submit")
        assert app.screen is form and _error(form) == "Description: say what happened"
        form.query_one("#time", Input).value = "25:99"
        form.query_one("#description", Input).value = "db failover"
        await press_binding(pilot, "form-submit")
        assert app.screen is form and _error(form) == "Time: 25:99 is not a time like 14:05"
        await press_binding(pilot, "form-cancel")
        await press_binding(pilot, "confirm-yes")

        await press_binding(pilot, "tab-1")
        await press_binding(pilot, "edit-incident")
        form = app.screen
        assert isinstance(form, EditIncidentModal)
        form.query_one("#title", Input).value = " "
        await press_binding(pilot, "form-submit")
        assert app.screen is form and _error(form) == "Title: give the incident a title"
