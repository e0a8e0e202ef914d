"""Recommended action items: from the gaps the key moments show, and from "yes" answers to
questions that name an action.

Each recommendation has a rule id; an analysis holds at most one item per rule, so answering
again or re-reading never duplicates one, and a dismissed item stays dismissed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.analysis.moments import KeyMoments

SLOW_ACK_SECONDS = 15 * 60


@dataclass(frozen=True)
class Recommendation:
    rule: str
    title: str
    description: str


def from_gaps(moments: KeyMoments) -> list[Recommendation]:
    """What the incident's records say was missing or slow."""
    times, durations = moments.times, moments.durations()
    found = []
    if "trigger" not in times:
        found.append(Recommendation(
            "gap:no-automated-detection", "Add an alarm that detects this failure",
            "A person started this incident: no alarm or monitored event triggered it. Add one so the "
            "next occurrence opens an incident on its own."))
    if "firstEngagement" not in times:
        found.append(Recommendation(
            "gap:no-engagement", "Engage responders from the response plan",
            "Nobody was engaged through an engagement record. Add the on-call contacts or an escalation "
            "plan to the response plan's engagements."))
    elif "firstAcknowledgement" not in times:
        found.append(Recommendation(
            "gap:no-acknowledgement", "Review why no page was acknowledged",
            "Responders were engaged but no page was acknowledged. Check the contacts' channels and the "
            "escalation plan's stages."))
    elif durations.get("timeToAcknowledgeSeconds", 0) > SLOW_ACK_SECONDS:
        found.append(Recommendation(
            "gap:slow-acknowledgement", "Shorten the time to acknowledge",
            f"The first acknowledgement came more than {SLOW_ACK_SECONDS // 60} minutes after the start. "
            "Shorter escalation stages or an extra channel may reach someone sooner."))
    if "mitigationStart" not in times:
        found.append(Recommendation(
            "gap:no-mitigation-record", "Record the mitigation as a runbook",
            "The timeline shows no runbook, impact reduction or mitigation note. Write the steps that "
            "ended the impact into a runbook."))
    return found


def is_yes(answer: str) -> bool:
    return answer.strip().lower().split(" ", 1)[0].strip(".,!:;") in {"yes", "y"}


def from_answer(question: dict[str, Any], answer: str) -> Recommendation | None:
    """A "yes" to a question that names an action recommends that action."""
    action = question.get("recommendation")
    if question.get("kind") != "yesno" or not action or not is_yes(answer):
        return None
    return Recommendation(f"answer:{question['id']}", action["title"], action["description"])
