"""A contact's form, and its translation to and from the core's engagement plan (no Textual)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ChannelForm:
    type: str
    name: str
    address: str
    minutes: int = 0
    """Minutes after the engagement starts before this channel is paged."""
    arn: str | None = None
    row: int = 0
    """The editor's row for it (1-based; 0: not from the editor), so an error can name it."""


@dataclass
class ContactForm:
    alias: str
    display_name: str
    channels: list[ChannelForm] = field(default_factory=list)
    arn: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


def channel_offsets(plan: dict[str, Any] | None) -> dict[str, int]:
    """channel arn -> minutes after the start at which the engagement plan pages it."""
    offsets: dict[str, int] = {}
    elapsed = 0
    for stage in (plan or {}).get("Stages", []):
        for target in stage.get("Targets", []):
            info = target.get("ChannelTargetInfo")
            if info:
                offsets.setdefault(info["ContactChannelId"], elapsed)
        elapsed += int(stage.get("DurationInMinutes", 0))
    return offsets


def engagement_plan(offsets: dict[str, int]) -> dict[str, Any]:
    """The engagement plan that pages each channel at its offset: one stage per distinct offset,
    each lasting until the next offset (the last lasts 0)."""
    starts = sorted(set(offsets.values()))
    stages = []
    for i, start in enumerate(starts):
        nxt = starts[i + 1] if i + 1 < len(starts) else start
        targets = [{"ChannelTargetInfo": {"ContactChannelId": arn, "RetryIntervalInMinutes": 1}}
                   for arn, minutes in offsets.items() if minutes == start]
        stages.append({"DurationInMinutes": nxt - start, "Targets": targets})
    return {"Stages": stages}
