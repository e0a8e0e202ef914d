"""Event names live in core.model.events and are used by name: no module of core, the cockpit or
the widgets spells one as a string, and every ``ctx.emit`` names its event through ``ev``."""

from __future__ import annotations

import ast
from pathlib import Path

from core.model import events as ev

ROOT = Path(__file__).resolve().parents[1]
HOME = ROOT / "core" / "model" / "events.py"
NAMES = {value: name for name, value in vars(ev).items() if name.isupper() and isinstance(value, str)}
CONSTANTS = set(NAMES.values())


def problems(source: str, where: str) -> list[str]:
    """Event-name string literals in ``source``, and emits whose event is not a constant of
    core.model.events."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and node.value in NAMES:
            out.append(f"{where}:{node.lineno} spells {node.value!r}; use ev.{NAMES[node.value]}")
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "emit"
                and node.args):
            first = node.args[0]
            named = (isinstance(first, ast.Attribute) and isinstance(first.value, ast.Name)
                     and first.value.id == "ev" and first.attr in CONSTANTS) or (
                isinstance(first, ast.Name) and first.id in CONSTANTS)  # from core.model.events import X
            if not named:
                out.append(f"{where}:{node.lineno} emits {ast.unparse(first)}; name the event as ev.<NAME>")
    return sorted(out, key=lambda line: int(line.split(":")[1].split()[0]))


def test_event_names_are_unique_constants():
    values = [v for k, v in vars(ev).items() if k.isupper() and isinstance(v, str)]
    assert len(values) >= 20 and len(values) == len(set(values)), sorted(values)
    assert {"EngagementStarted", "PageAccepted", "ContactChanged", "OutboxMessageChanged"} <= set(values)


def test_no_module_spells_an_event_name():
    found = []
    for package in ("core", "cockpit", "widgets"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path != HOME:
                found += problems(path.read_text(), str(path.relative_to(ROOT)))
    assert found == []


def test_the_check_catches_a_literal_and_an_unnamed_emit():
    source = (
        'REFRESH_ON = {"ContactChanged"}\n'
        'ctx.emit(CHANNEL_CHANGED, arn)\n'
        'ctx.emit(ev.ENGAGEMENT_STARTED, arn)\n'
        'ctx.emit(PAGE_ACCEPTED, arn)\n'
    )
    assert problems(source, "probe.py") == [
        "probe.py:1 spells 'ContactChanged'; use ev.CONTACT_CHANGED",
        "probe.py:2 emits CHANNEL_CHANGED; name the event as ev.<NAME>",
    ]
