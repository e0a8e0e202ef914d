"""Turning core errors into one line a person can act on (never a traceback)."""

from __future__ import annotations

from core.errors import ServiceError


def describe_error(error: BaseException) -> str:
    if isinstance(error, ServiceError):
        text = f"{error.code}: {error.message}"
        fields = getattr(error, "fields", None) or []
        if fields and not any(f.get("name", "") in error.message for f in fields):
            text += " (" + "; ".join(f"{f['name']}: {f['message']}" for f in fields) + ")"
        return text
    return f"{type(error).__name__}: {error}"
