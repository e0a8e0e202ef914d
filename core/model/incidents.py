"""Incident vocabulary shared by the core and the UI."""

from __future__ import annotations

from enum import StrEnum

IMPACT_WORDS = {1: "Critical", 2: "High", 3: "Medium", 4: "Low", 5: "No impact"}


def impact_label(impact: int) -> str:
    """Impact as a number and a word, never a colour alone: ``2 High``."""
    return f"{impact} {IMPACT_WORDS.get(impact, '?')}"


class IncidentStatus(StrEnum):
    OPEN = "OPEN"
    RESOLVED = "RESOLVED"


class TimelineEventType(StrEnum):
    """Automatic events are written by the core; only CUSTOM may be edited or deleted."""

    CUSTOM = "Custom Event"
    CREATED = "SSM Incident Record Created"
    TRIGGER = "SSM Incident Trigger"
    UPDATED = "SSM Incident Record Update"
    RELATED_ITEM = "SSM Related Item"
    ENGAGEMENT = "SSM Contacts Engagement"
    PAGE = "SSM Contacts Page"
    ACKNOWLEDGEMENT = "SSM Contacts Page Acknowledgement"
    RUNBOOK = "SSM Automation Execution"
