"""Analysis vocabulary shared by the core and the UI: the key moments of an incident and the
times measured between them (``since`` to ``until``)."""

from __future__ import annotations

KEY_MOMENTS = (
    ("incidentStart", "Incident start"),
    ("trigger", "Trigger / alarm"),
    ("firstEngagement", "First engagement"),
    ("firstAcknowledgement", "First acknowledgement"),
    ("mitigationStart", "Mitigation start"),
    ("resolved", "Resolved"),
)
# (metric, label, since, until)
TIMES = (
    ("timeToDetectSeconds", "Time to detect", "trigger", "incidentStart"),
    ("timeToEngageSeconds", "Time to engage", "incidentStart", "firstEngagement"),
    ("timeToAcknowledgeSeconds", "Time to acknowledge", "incidentStart", "firstAcknowledgement"),
    ("timeToMitigateSeconds", "Time to mitigate", "incidentStart", "mitigationStart"),
    ("timeToResolveSeconds", "Time to resolve", "incidentStart", "resolved"),
)
