"""Keep secrets out of the audit trail, logs and events."""

from __future__ import annotations

from typing import Any

REDACTED = "***"

# Member names (lower-cased, without separators) whose values are secrets wherever they appear.
SECRET_NAMES = frozenset(
    {
        "password",
        "secret",
        "secretkey",
        "secretaccesskey",
        "apikey",
        "authtoken",
        "accesstoken",
        "sessiontoken",
        "signingsecret",
        "activationcode",
        "privatekey",
        "authorization",
        "credentials",
    }
)


def _norm(key: str) -> str:
    return key.replace("_", "").replace("-", "").lower()


def is_secret_name(key: str, extra: frozenset[str] | set[str] = frozenset()) -> bool:
    return _norm(key) in SECRET_NAMES or key in extra


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
