"""The standard analysis template, in our own words, and the rules every template keeps.

Every template has the six standard sections once each (a team may add ``notes`` sections
with a title and free text). Questions belong to a category; a ``yesno`` question may name
the action item a "yes" recommends. The prevention questions hold a 5-whys chain: each why
asks about the answer to the one before.
"""

from __future__ import annotations

from typing import Any

STANDARD_NAME = "Standard"
SECTION_KINDS = ("overview", "metrics", "timeline", "questions", "actions", "checklist")
NOTES = "notes"
CATEGORIES = ("Detection", "Diagnosis", "Mitigation", "Prevention")

_SECTIONS = [
    {"id": "overview", "title": "Overview", "kind": "overview"},
    {"id": "metrics", "title": "Metrics", "kind": "metrics"},
    {"id": "timeline", "title": "Timeline", "kind": "timeline"},
    {"id": "questions", "title": "Questions", "kind": "questions"},
    {"id": "actions", "title": "Actions", "kind": "actions"},
    {"id": "checklist", "title": "Checklist", "kind": "checklist"},
]


def _q(qid: str, category: str, text: str, recommendation: tuple[str, str] | None = None) -> dict[str, Any]:
    question: dict[str, Any] = {"id": qid, "category": category, "text": text,
                                "kind": "yesno" if recommendation else "text"}
    if recommendation:
        question["recommendation"] = {"title": recommendation[0], "description": recommendation[1]}
    return question


_WHY_PROMPTS = (
    "Why did the incident happen? Describe the first cause you can see.",
    "Why did that happen?",
    "And why did that happen?",
    "Why was that possible?",
    "Why had nothing stopped it? This answer is usually the root cause.",
)

_QUESTIONS = [
    _q("detection-signal", "Detection", "How did you first learn about the problem, and how long after it began?"),
    _q("detection-alarm", "Detection", "Would a new or better tuned alarm or metric have caught it sooner?",
       ("Add or tune an alarm for this failure",
        "Create or adjust the alarm or metric that would have caught this incident earlier.")),
    _q("diagnosis-time", "Diagnosis", "What slowed down finding the cause, and what sped it up?"),
    _q("diagnosis-engage", "Diagnosis",
       "Would a change to the response plan or an escalation plan have brought the right people in sooner?",
       ("Update the response plan's engagements",
        "Change who the response plan engages, or the stages of its escalation plan.")),
    _q("mitigation-steps", "Mitigation", "What brought the impact to an end, and how long did it take to apply?"),
    _q("mitigation-runbook", "Mitigation", "Would new or improved runbook steps have mitigated it faster?",
       ("Add or improve runbook steps",
        "Write the mitigation down as runbook steps so the next responder can apply it at once.")),
    *(_q(f"prevention-why-{i}", "Prevention", text) for i, text in enumerate(_WHY_PROMPTS, start=1)),
    _q("prevention-fix", "Prevention", "Is there a change that would stop this from happening again?",
       ("Make the change that prevents a recurrence",
        "Plan and ship the change the 5-whys chain points to.")),
]

_CHECKLIST = [
    {"id": "timeline-reviewed", "text": "The timeline is reviewed and its key points are described"},
    {"id": "questions-answered", "text": "Every question is answered"},
    {"id": "actions-triaged", "text": "Every recommended action item is accepted or dismissed"},
    {"id": "owners-agreed", "text": "Each accepted action item has an owner and a due date"},
    {"id": "shared", "text": "The analysis is shared with the teams involved"},
]

STANDARD: dict[str, Any] = {
    "name": STANDARD_NAME,
    "description": "Questions on detection, diagnosis, mitigation and prevention (with a 5-whys chain), "
                   "action items and a closing checklist.",
    "builtin": True,
    "sections": _SECTIONS,
    "questions": _QUESTIONS,
    "checklist": _CHECKLIST,
}
