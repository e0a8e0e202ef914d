"""The heartbeat form (name, interval, response plan, impact, resolve on ping) and the one-time
display of a new heartbeat's ping URL and token."""

from __future__ import annotations

import re
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select, Static

from cockpit.shell.modal import FormError, FormModal, text_of
from cockpit.shell.shown_once import ShownOnceModal
from core.model.incidents import IMPACT_WORDS, impact_label

MIN_INTERVAL_S = 30
NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")
IMPACTS = [(impact_label(n), n) for n in sorted(IMPACT_WORDS)]


def ping_path(name: str) -> str:
    return f"/intake/heartbeats/{name}/ping"


class HeartbeatForm(FormModal[dict[str, Any]]):
    """Create a heartbeat, or change one's interval, response plan, impact and resolve-on-ping."""

    FIELD_IDS = {"name": "heartbeat-name", "intervalSeconds": "heartbeat-interval",
                 "responsePlanArn": "heartbeat-plan", "impact": "heartbeat-impact",
                 "resolveOnPing": "heartbeat-resolve"}
    DEFAULT_CSS = """
    HeartbeatForm .row { height: auto; }
    HeartbeatForm .row > Vertical { height: auto; width: 1fr; }
    HeartbeatForm .row > .narrow { width: 26; }
    """

    def __init__(self, save, plans: list[tuple[str, str]], heartbeat: dict[str, Any] | None = None) -> None:
        super().__init__(save)
        self.plans = plans
        self.heartbeat = heartbeat or {}
        self.TITLE = f"Edit heartbeat {self.heartbeat['name']}" if heartbeat else "New heartbeat"

    def compose_fields(self) -> ComposeResult:
        h = self.heartbeat
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("Name", classes="field-label")
                yield Input(h.get("name", ""), id="heartbeat-name", placeholder="letters, digits, _.-",
                            disabled=bool(h))
            with Vertical(classes="narrow"):
                yield Label("Interval (s, 30 or more)", classes="field-label")
                yield Input(str(h.get("intervalSeconds", "")), id="heartbeat-interval", placeholder="e.g. 300")
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("Response plan: a missed ping starts it", classes="field-label")
                yield Select(self.plans, value=h.get("responsePlanArn", Select.NULL),
                             prompt="choose a response plan", id="heartbeat-plan")
            with Vertical(classes="narrow"):
                yield Label("Impact of that incident", classes="field-label")
                yield Select(IMPACTS, value=h.get("impact", 3), allow_blank=False, id="heartbeat-impact")
        yield Checkbox("The next ping after a miss resolves its incident", value=h.get("resolveOnPing", True),
                       id="heartbeat-resolve")
        if not h:
            yield Static("The ping URL's token is shown once, after saving.", classes="hint")

    def values(self) -> dict[str, Any]:
        name = self.heartbeat.get("name") or text_of(self.query_one("#heartbeat-name", Input))
        if not name:
            raise FormError("heartbeat-name", "Name: give the heartbeat a name")
        if not NAME.fullmatch(name):
            raise FormError("heartbeat-name", "Name: letters, digits and _.- only (it is part of the ping URL)")
        interval = text_of(self.query_one("#heartbeat-interval", Input))
        if not interval.isdigit() or int(interval) < MIN_INTERVAL_S:
            raise FormError("heartbeat-interval",
                            f"Interval: a whole number of seconds, {MIN_INTERVAL_S} or more (not {interval or 'empty'})")
        plan = self.query_one("#heartbeat-plan", Select).value
        if plan is Select.NULL:
            raise FormError("heartbeat-plan", "Response plan: choose the plan a missed ping starts")
        request: dict[str, Any] = {"name": name, "responsePlanArn": plan,
                                   "impact": self.query_one("#heartbeat-impact", Select).value,
                                   "resolveOnPing": self.query_one("#heartbeat-resolve", Checkbox).value}
        if int(interval) != self.heartbeat.get("intervalSeconds"):
            request["intervalSeconds"] = int(interval)  # a new interval restarts the wait for a ping
        return request


class PingTokenModal(ShownOnceModal):
    """A heartbeat's ping URL and token, shown this once (the core keeps only its hash)."""

    BINDINGS = [Binding("escape", "close", "Close", id="ping-token-close",
                        tooltip="Close: the token is not shown again")]

    def __init__(self, name: str, url: str, token: str) -> None:
        super().__init__(
            f"Ping URL of heartbeat {name}",
            [("ping-url", "URL", url), ("ping-token", "Token", token)],
            "Copy it now: it is shown only this once. Ping with GET or POST and "
            "`Authorization: Bearer TOKEN` (or ?token=TOKEN).",
        )
