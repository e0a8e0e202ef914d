"""Themes: Textual's own plus the cockpit's, each carrying the impact (severity) colours.

Rules never name a colour: they use ``$impact-1`` ... ``$impact-5``. Every theme gets those
variables, so switching theme (or running on an ANSI-only terminal) keeps impact readable; the
number and word are always shown too, so colour is never the only signal. ``NO_COLOR`` is
honoured by Textual itself (it strips colour), and we then default to ``ansi-dark``.
"""

from __future__ import annotations

import os
from dataclasses import replace

from textual.app import App
from textual.theme import BUILTIN_THEMES, Theme

IMPACT_TRUECOLOR = {
    "impact-1": "#e5484d",  # critical
    "impact-2": "#f76b15",  # high
    "impact-3": "#ffc53d",  # medium
    "impact-4": "#3e9bd6",  # low
    "impact-5": "#8b8d98",  # no impact
}
IMPACT_TRUECOLOR_LIGHT = {**IMPACT_TRUECOLOR, "impact-3": "#a36b00", "impact-5": "#60646c"}
"""On a light background: the bright yellow and grey would all but vanish."""
IMPACT_ANSI = {
    "impact-1": "ansi_bright_red",
    "impact-2": "ansi_red",
    "impact-3": "ansi_yellow",
    "impact-4": "ansi_blue",
    "impact-5": "ansi_white",
}
IMPACT_ANSI_LIGHT = {**IMPACT_ANSI, "impact-5": "ansi_bright_black"}

COCKPIT_DARK = Theme(
    name="cockpit-dark",
    primary="#3e9bd6",
    secondary="#7c8db5",
    accent="#f5a524",
    warning="#ffc53d",
    error="#e5484d",
    success="#46a758",
    foreground="#e6e8eb",
    background="#111318",
    surface="#181b21",
    panel="#20242c",
    dark=True,
    variables=dict(IMPACT_TRUECOLOR),
)
COCKPIT_LIGHT = Theme(
    name="cockpit-light",
    primary="#0b68a8",
    secondary="#55627f",
    accent="#b35d00",
    warning="#a36b00",
    error="#c4262d",
    success="#2b7a3a",
    foreground="#1c2024",
    background="#fbfcfd",
    surface="#f1f3f5",
    panel="#e6e9ec",
    dark=False,
    variables=dict(IMPACT_TRUECOLOR_LIGHT),
)

DEFAULT_THEME = "cockpit-dark"
NO_COLOR_THEME = "ansi-dark"


def theme_variable_defaults() -> dict[str, str]:
    """Fallbacks for themes that do not define the impact colours (Textual's own)."""
    return dict(IMPACT_TRUECOLOR)


def register_themes(app: App) -> None:
    app.register_theme(COCKPIT_DARK)
    app.register_theme(COCKPIT_LIGHT)
    # Textual's themes, re-registered with impact colours for their background (the ANSI ones
    # from the terminal's own palette)
    for name, base in BUILTIN_THEMES.items():
        if name.startswith("ansi-"):
            impact = IMPACT_ANSI if base.dark else IMPACT_ANSI_LIGHT
        else:
            impact = IMPACT_TRUECOLOR if base.dark else IMPACT_TRUECOLOR_LIGHT
        app.register_theme(replace(base, variables={**impact, **base.variables}))


def choose_theme(requested: str | None, available: set[str]) -> str:
    if os.environ.get("NO_COLOR") is not None and not requested:
        return NO_COLOR_THEME
    if requested and requested in available:
        return requested
    return DEFAULT_THEME
