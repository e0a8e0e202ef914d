"""Accept codes, made, kept and checked so that they cannot be guessed or leaked.

* A page's code is 6 random digits. The store keeps HMAC-SHA256(salt, code) under a random
  per-page salt, compared with ``hmac.compare_digest``, and, only while the page is open, the
  code encrypted with the workspace key (the messages of later stages carry it). The code
  itself is never stored in plain text.
* Wrong codes (AcceptPage with ENFORCE, AcceptPageByCode) are counted per principal and per
  origin. Five within 15 minutes lock that principal, or that origin, out of accepting by code
  for 15 minutes. A wrong code answers an error, so its transaction rolls back: the count is
  written with ``write_even_if_refused`` and commits with the failure's audit record.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from datetime import datetime, timedelta
from typing import Any

from core.engine.context import Context
from core.errors import ThrottlingException
from core.timeutil import format_duration, from_us, to_us

CODE_DIGITS = 6
MAX_WRONG = 5
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(salt: str, code: str) -> str:
    return hmac.new(bytes.fromhex(salt), code.encode(), hashlib.sha256).hexdigest()


def seal(ctx: Context, code: str) -> dict[str, str]:
    """The page columns that keep ``code``: salt, hash, and the code encrypted."""
    salt = secrets.token_hex(16)
    return {"code_salt": salt, "code_hash": code_hash(salt, code), "code_enc": ctx.core.cipher.encrypt(code)}


def matches(page: Any, code: str) -> bool:
    if not page["code_hash"] or not page["code_salt"]:
        return False
    return hmac.compare_digest(code_hash(page["code_salt"], code), page["code_hash"])


async def open_pages(ctx: Context) -> list[Any]:
    """The pages whose code still works: not yet read, of an engagement still running."""
    return await ctx.tx.fetchall(
        "SELECT p.* FROM pages p JOIN engagements e ON e.arn = p.engagement_arn"
        " WHERE p.read_us IS NULL AND e.stop_us IS NULL AND e.acked_us IS NULL AND p.code_hash IS NOT NULL"
    )


async def unused_code(ctx: Context) -> str:
    """A new code that no open page carries, so a code names one page."""
    taken = await open_pages(ctx)
    while True:
        code = new_code()
        if not any(matches(page, code) for page in taken):
            return code


def open_code(ctx: Context, page: Any) -> str | None:
    """The code of an open page, for a message that must carry it."""
    return ctx.core.cipher.decrypt(page["code_enc"]) if page["code_enc"] else None


async def _failure_times(ctx: Context, column: str, value: str, since: datetime) -> list[int]:
    rows = await ctx.tx.fetchall(
        f"SELECT time_us FROM accept_code_failures WHERE {column} = ? AND time_us > ? ORDER BY time_us",
        (value, to_us(since)),
    )
    return [r["time_us"] for r in rows]


async def _locked_until(ctx: Context, column: str, value: str) -> datetime | None:
    times = await _failure_times(ctx, column, value, ctx.now - WINDOW - LOCKOUT)
    window = int(WINDOW.total_seconds() * 1_000_000)
    last = None
    for i in range(MAX_WRONG - 1, len(times)):
        if times[i] - times[i - MAX_WRONG + 1] < window:
            last = times[i]
    if last is None:
        return None
    until = from_us(last) + LOCKOUT
    return until if ctx.now < until else None


def _who(ctx: Context, column: str) -> str:
    return ctx.principal.name if column == "principal_arn" else f"origin {ctx.where!r}"


def _scopes(ctx: Context) -> tuple[tuple[str, str], tuple[str, str]]:
    return (("principal_arn", ctx.principal.arn), ("origin", ctx.where))


async def refuse_if_locked(ctx: Context) -> None:
    """Refuse a code check while this principal or origin is locked out."""
    for column, value in _scopes(ctx):
        until = await _locked_until(ctx, column, value)
        if until is not None:
            seconds = math.ceil((until - ctx.now).total_seconds())
            raise ThrottlingException(
                f"{_who(ctx, column)} entered {MAX_WRONG} wrong accept codes within "
                f"{int(WINDOW.total_seconds() // 60)} minutes: accepting pages by code is locked until "
                f"{until:%H:%M:%S} UTC (in {format_duration(until - ctx.now)}); try again then",
                RetryAfterSeconds=seconds,
            )


async def count_wrong(ctx: Context) -> str:
    """Record a wrong code (kept even though the call fails); returns a sentence saying how many
    wrong codes are left before the lockout, or that it has begun."""
    ctx.write_even_if_refused(
        "INSERT INTO accept_code_failures (principal_arn, origin, time_us) VALUES (?, ?, ?)",
        (ctx.principal.arn, ctx.where, to_us(ctx.now)),
    )
    left = MAX_WRONG
    for column, value in _scopes(ctx):
        left = min(left, MAX_WRONG - 1 - len(await _failure_times(ctx, column, value, ctx.now - WINDOW)))
    lockout = format_duration(LOCKOUT)
    if left <= 0:
        return f"code entry is now locked for {lockout}"
    return f"{left} more wrong code{'s' if left != 1 else ''} lock{'s' if left == 1 else ''} code entry for {lockout}"
