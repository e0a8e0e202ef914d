"""The timeline says which integration and which alert started, joined or recovered an incident."""

from __future__ import annotations

import json

from core.model.incidents import TimelineEventType
from widgets.timeline_text import describe

TRIGGER = {"source": "alertmanager", "integration": "prometheus", "alert": "HighLatency"}


def test_intake_events_name_the_integration_and_the_alert():
    created = json.dumps({"title": "API slow", "impact": 2, "trigger": TRIGGER})
    assert describe(TimelineEventType.CREATED.value, created).endswith(
        "— from integration prometheus, alert HighLatency")
    joined = json.dumps({"deduplicated": True, "title": "API slow", "trigger": TRIGGER})
    assert "from integration prometheus, alert HighLatency" in describe(TimelineEventType.TRIGGER.value, joined)
    recovered = json.dumps({"recovered": True, "alert": "api-5xx", "integration": "cloudwatch"})
    assert describe(TimelineEventType.TRIGGER.value, recovered) == "Alert api-5xx recovered (integration cloudwatch)"
    manual = json.dumps({"title": "API slow", "impact": 2, "trigger": None})
    assert describe(TimelineEventType.CREATED.value, manual) == "Incident started: API slow (2 High)"
