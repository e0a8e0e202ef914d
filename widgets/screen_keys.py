"""The keys that work on a screen, as the footer and the ``?`` help list them: its active
bindings, with the screen's own key where a focused Textual widget binds the same key first."""

from __future__ import annotations

from textual.actions import parse as parse_action
from textual.app import App
from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode
from textual.screen import Screen

SCREEN, COCKPIT, TEXTUAL = "screen", "cockpit", "textual"
"""Who declared a binding (``binding_origin``)."""


def screen_keys(screen: Screen) -> dict[str, ActiveBinding]:
    """The keys that work on ``screen``: its active bindings, except that a key the screen binds
    itself stays the screen's where a focused Textual widget binds it first. A table's enter
    selects its row, and the screen acts on that selection (it opens the runbook, the record):
    listing the table's "Select" instead hid what the key does there."""
    keys = dict(screen.active_bindings)
    for node, bindings in screen._modal_binding_chain:
        if node is not screen:
            continue
        for key, binding in bindings:
            first = keys.get(key)
            if first is None or first.node is screen or binding_origin(first.node, first.binding, key) != TEXTUAL:
                continue
            _, action, parameters = parse_action(binding.action)
            if (state := screen.check_action(action, parameters)) is not False:
                keys[key] = ActiveBinding(screen, binding, bool(state), binding.tooltip)
    return keys


def binding_origin(node: DOMNode, binding: Binding, key: str) -> str:
    """Who declared ``binding``: Textual itself (a class of the ``textual`` package), the
    cockpit's App (keys that work everywhere), or the screen and its own widgets."""
    for cls in type(node).__mro__:
        declared = [b if isinstance(b, Binding) else Binding(*b) for b in cls.__dict__.get("BINDINGS", ())]
        if any(b.action == binding.action and key in b.key.replace(" ", "").split(",") for b in declared):
            if cls.__module__.split(".")[0] == "textual":
                return TEXTUAL
            return COCKPIT if isinstance(node, App) else SCREEN
    return TEXTUAL  # added at run time by Textual (the palette's key)
