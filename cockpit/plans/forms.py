"""An escalation plan's stages as the editor holds them, and their translation to and from the
core's plan (no Textual)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from widgets.formatting import alias_of


@dataclass
class StageForm:
    minutes: int
    contacts: list[str]
    essential: set[str] = field(default_factory=set)
    """The contacts whose acknowledgement stops the plan's progression (``IsEssential``, a
    choice per contact); only those the stage engages count."""


def escalation_stages(stages: list[StageForm]) -> dict[str, Any]:
    return {"Stages": [
        {"DurationInMinutes": s.minutes,
         "Targets": [{"ContactTargetInfo": {"ContactId": c, "IsEssential": c in s.essential}}
                     for c in s.contacts]}
        for s in stages
    ]}


def stage_forms(plan: dict[str, Any] | None) -> list[StageForm]:
    out = []
    for stage in (plan or {}).get("Stages", []):
        infos = [t["ContactTargetInfo"] for t in stage.get("Targets", []) if t.get("ContactTargetInfo")]
        out.append(StageForm(int(stage.get("DurationInMinutes", 0)), [i["ContactId"] for i in infos],
                             {i["ContactId"] for i in infos if i.get("IsEssential")}))
    return out


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
