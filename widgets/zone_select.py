"""The time-zone choice of a form: a Select of every IANA zone this machine knows (tzdata).
The zone shows, and typing while it is open jumps to the zone typed."""

from __future__ import annotations

from zoneinfo import available_timezones

from textual.widgets import Select

ZONES = sorted(available_timezones())


def zone_select(value: str, widget_id: str) -> Select[str]:
    """A choice of zones holding ``value`` (kept even when this machine does not know it)."""
    zones = ZONES if value in ZONES else [value, *ZONES]
    return Select([(z, z) for z in zones], value=value, allow_blank=False, id=widget_id)
