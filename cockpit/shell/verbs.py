"""A ``:`` command-line verb, and how a typed line finds one (the verbs themselves are in
``cockpit/commands.py``; the composition root hands them to the app)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Verb:
    name: str
    usage: str
    help: str
    run: Callable[[Any, str], None]
    """Called with the app and the rest of the line."""
    aliases: tuple[str, ...] = ()


def parse_line(verbs: Sequence[Verb], text: str) -> tuple[Verb | None, str, str]:
    """(the verb, the name as typed, its arguments) for a typed line; no verb if none matches."""
    name, _, args = text.strip().lstrip(":").strip().partition(" ")
    wanted = name.lower()
    found = next((v for v in verbs if wanted == v.name or wanted in v.aliases), None)
    return found, name, args.strip()
