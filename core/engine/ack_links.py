"""Email acknowledgement links: ``{paging.public_url}/ack/{token}``.

A token is random, names one page, and is kept only as its SHA-256. It works once (the POST
that acknowledges uses it up), and only while the page's engagement runs and the page is
unread. The GET shows a confirmation page; only its POST acknowledges (core/server/ack_links.py),
so a mail scanner that follows links never acknowledges by mistake.
"""

from __future__ import annotations

import hashlib
import secrets

from core.engine.context import Context
from core.timeutil import to_us


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_ack_link(ctx: Context, page_arn: str) -> str | None:
    """A new single-use link for ``page_arn``; None when no ``paging.public_url`` is set."""
    public_url = ctx.core.paging.public_url
    if not public_url:
        return None
    token = secrets.token_urlsafe(24)
    await ctx.tx.execute(
        "INSERT INTO ack_links (token_hash, page_arn, created_us) VALUES (?, ?, ?)",
        (token_hash(token), page_arn, to_us(ctx.now)),
    )
    return f"{public_url.rstrip('/')}/ack/{token}"
