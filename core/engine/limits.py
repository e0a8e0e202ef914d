"""Text cut to fit one of the model's length limits, with a marker saying how much was cut and
where the full text is.

Texts the core composes from what requests and providers carried (an automatic timeline
event, a page receipt's info) can outgrow the member that shows them. They are never silently
clipped: ``fit`` ends them with the marker. The limits are the models' (botocore's
``EventData`` and ``ReceiptInfo``); tests/core/test_timeline_limits.py holds them to the models.
"""

from __future__ import annotations

EVENT_DATA_MAX = 12_000
RECEIPT_INFO_MAX = 2_048
CUT = "… [{n} more characters cut; the full text is in {where}]"
AUDIT_TRAIL = "the audit trail (LookupAuditEvents)"
OUTBOX = "the outbox (ListOutboxMessages)"


def fit(text: str, limit: int, where: str) -> str:
    """``text`` if it fits ``limit`` characters, else its start and the marker (at most ``limit``
    characters when the marker itself fits)."""
    if len(text) <= limit:
        return text
    keep = max(0, limit - len(CUT.format(n=len(text), where=where)))
    return text[:keep] + CUT.format(n=len(text) - keep, where=where)
