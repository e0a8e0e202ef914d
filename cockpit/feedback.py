"""Turning core errors into one line a person can act on (never a traceback, never an
exception class first: the words say what is wrong)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo

from core.errors import ServiceError
from widgets.formatting import format_duration

_PLAIN: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern), words) for pattern, words in (
    (r"^must have at least 1 (items?|entry|entries|members?)(?: \(has 0\))?$", "choose at least one"),
    (r"^(?:List|Dictionary) should have at least 1 items?.*$", "choose at least one"),
    (r"^must have at least (\d+) (?:items?|entries)(?: \(has \d+\))?$", r"choose at least \1"),
    (r"^must have at most (\d+) (?:items?|entries)(?: \(has \d+\))?$", r"choose at most \1"),
    (r"^String should have at least (\d+) characters?$", r"needs at least \1 characters"),
    (r"^String should have at most (\d+) characters?$", r"at most \1 characters"),
    (r"^String should match pattern .*$", "is not in the expected form"),
    (r"^Field required$", "is required"),
    (r"^Extra inputs are not permitted$", "is not a field of this request"),
    (r"^Input should be a valid integer.*$", "must be a whole number"),
))


_SUMMARY = re.compile(r"^\d+ validation errors? detected")


def plain_words(message: str) -> str:
    """A validator's phrase ("String should match pattern ...") as a person would say it."""
    for pattern, words in _PLAIN:
        if pattern.match(message):
            return pattern.sub(words, message)
    return message


def field_words(name: str) -> str:
    """A request member's name as words: ``acceptCode`` -> "Accept code", ``ContactIds`` -> "Contact ids"."""
    last = name.rsplit(".", 1)[-1]
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", last).replace("_", " ").strip()
    return spaced[:1].upper() + spaced[1:].lower()


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe_error(error: BaseException) -> str:
    if isinstance(error, ServiceError):
        fields = getattr(error, "fields", None) or []
        if fields and _SUMMARY.match(error.message):  # a validator's summary: say each field in words
            return "; ".join(f"{field_words(f.get('name', ''))}: {plain_words(f.get('message', 'not valid'))}"
                             for f in fields)
        return _sentence(error.message)
    return _sentence(str(error)) or f"something went wrong ({type(error).__name__})"


def locked_out_words(error: ServiceError, now: datetime, zone: tzinfo | None) -> str:
    """The accept-code lockout (ThrottlingException) in one short line: until when, local time."""
    seconds = error.details.get("RetryAfterSeconds")
    if not isinstance(seconds, int):
        return "Too many wrong codes: code entry is locked for a while"
    until = (now + timedelta(seconds=seconds)).astimezone(zone)
    return f"Too many wrong codes: code entry is locked until {until:%H:%M} (in {format_duration(timedelta(seconds=seconds))})"
