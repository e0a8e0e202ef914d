"""Pure translations between the preparation forms and the core's request shapes (no Textual)."""

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


@dataclass
class ContactForm:
    alias: str
    display_name: str
    channels: list[ChannelForm] = field(default_factory=list)
    arn: str | None = None


@dataclass
class StageForm:
    minutes: int
    contacts: list[str]
    stops_progression: bool = True


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


def escalation_stages(stages: list[StageForm]) -> dict[str, Any]:
    return {"Stages": [
        {"DurationInMinutes": s.minutes,
         "Targets": [{"ContactTargetInfo": {"ContactId": c, "IsEssential": s.stops_progression}}
                     for c in s.contacts]}
        for s in stages
    ]}


def stage_forms(plan: dict[str, Any] | None) -> list[StageForm]:
    out = []
    for stage in (plan or {}).get("Stages", []):
        infos = [t["ContactTargetInfo"] for t in stage.get("Targets", []) if t.get("ContactTargetInfo")]
        out.append(StageForm(int(stage.get("DurationInMinutes", 0)), [i["ContactId"] for i in infos],
                             any(i.get("IsEssential") for i in infos)))
    return out


def alias_of(arn: str) -> str:
    """``...:contact/alice`` -> ``alice``; also rotations and response plans."""
    return arn.rsplit("/", 1)[-1]


def stages_summary(plan: dict[str, Any] | None) -> str:
    parts = []
    for stage in (plan or {}).get("Stages", []):
        names = []
        for t in stage.get("Targets", []):
            if t.get("ContactTargetInfo"):
                names.append(alias_of(t["ContactTargetInfo"]["ContactId"]))
            elif t.get("ChannelTargetInfo"):
                names.append("channel")
        parts.append(f"{stage.get('DurationInMinutes', 0)}m: {', '.join(names) or '-'}")
    return " → ".join(parts) or "no stages"
