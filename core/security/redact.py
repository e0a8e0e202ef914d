"""Keep secrets out of the audit trail, logs and events."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

REDACTED = "***"

# Words (lower-cased, without separators) that make a member's value a secret wherever they
# appear in its name: ``password``, ``smtp_password``, ``X-Auth-Token``, ``clientSecret``...
# Tokens in general are not secrets (``clientToken``, ``nextToken``), so only the kinds of
# token that grant access are listed.
SECRET_PARTS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "apikey",
    "privatekey",
    "signingkey",
    "accesskey",
    "accesstoken",
    "authtoken",
    "sessiontoken",
    "refreshtoken",
    "bearertoken",
    "credential",
    "authorization",
    "activationcode",
)


def _norm(key: str) -> str:
    return key.replace("_", "").replace("-", "").replace(".", "").lower()


@lru_cache(maxsize=4096)
def _secret_word_in(key: str) -> bool:
    """Whether ``key`` names a secret (remembered: every audited call asks about its members)."""
    name = _norm(key)
    return any(part in name for part in SECRET_PARTS)


def is_secret_name(key: str, extra: frozenset[str] | set[str] = frozenset()) -> bool:
    return key in extra or _secret_word_in(key)


def redact(value: Any, extra: frozenset[str] | set[str] = frozenset()) -> Any:
    """Return a copy of ``value`` with every secret member's value replaced."""
    if isinstance(value, dict):
        return {
            k: (REDACTED if is_secret_name(str(k), extra) and v is not None else redact(v, extra))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(v, extra) for v in value]
    return value
