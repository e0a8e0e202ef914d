"""The time-zone field of a form: a visible, type-to-filter choice of every IANA zone this
machine knows (tzdata).

The field is an Input (its id is the form's field id, its ``value`` the zone): typing opens a
list under it of the zones whose name holds what is typed, in any case ("berl" shows
Europe/Berlin; a space matches the underscore of "New_York"), and backspace widens it again.
up/down move in the list, enter takes the highlighted zone, esc closes the list. A zone the
list does not hold stays as typed, and the core's refusal shows on the field."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

ZONES = sorted(available_timezones())
_SEARCHED = [(z.lower(), z) for z in ZONES]


def matching_zones(text: str) -> list[str]:
    """The zones whose name holds ``text``, case-insensitively (all of them for no text)."""
    needle = text.strip().lower().replace(" ", "_")
    return [zone for lower, zone in _SEARCHED if needle in lower]


def is_zone(name: str) -> bool:
    """Whether ``name`` is a zone this machine can convert times in (a form checks a typed
    zone with it before it converts a time)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


class ZoneInput(Input):
    """The zone as typed; it filters its field's list of zones."""

    BINDINGS = [
        Binding("down", "move(1)", "Next zone", show=False, id="zone-next", tooltip="Open the list of zones, or go down it"),
        Binding("up", "move(-1)", "Previous zone", show=False, id="zone-previous", tooltip="Go up the list of zones"),
        Binding("escape", "close", "Close list", show=False, id="zone-close", tooltip="Close the list of zones"),
    ]

    @property
    def choices(self) -> OptionList:
        return self.parent.query_one(OptionList)  # type: ignore[union-attr]

    @property
    def is_open(self) -> bool:
        return self.parent.has_class("-open")  # type: ignore[union-attr]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close" or (action == "move" and parameters == (-1,)):
            return self.is_open  # closed, esc is the form's (cancel)
        return super().check_action(action, parameters)

    def action_move(self, step: int) -> None:
        if not self.is_open:
            self.open_list()
        elif step > 0:
            self.choices.action_cursor_down()
        else:
            self.choices.action_cursor_up()

    def action_close(self) -> None:
        self.parent.remove_class("-open")  # type: ignore[union-attr]

    async def action_submit(self) -> None:
        """enter with the list open takes the highlighted zone; with it closed, the form's enter."""
        highlighted = self.choices.highlighted_option if self.is_open else None
        if highlighted is not None and not highlighted.disabled:
            self.pick(str(highlighted.id))
        elif self.is_open:
            self.action_close()
        else:
            await super().action_submit()

    picked: str | None = None
    """The zone just taken from the list: its change does not open the list again."""

    def pick(self, zone: str) -> None:
        self.picked = zone
        self.value = zone
        self.cursor_position = len(zone)
        self.action_close()

    def open_list(self) -> None:
        zones = matching_zones(self.value) or []
        choices = self.choices
        choices.set_options([Option(z, id=z) for z in zones] or
                            [Option(f"no zone holds {self.value.strip()!r}", disabled=True)])
        if zones:
            choices.highlighted = zones.index(self.value) if self.value in zones else 0
        self.parent.add_class("-open")  # type: ignore[union-attr]

    def _on_blur(self, event: events.Blur) -> None:
        self.action_close()
        super()._on_blur(event)


class ZoneSelect(Vertical):
    """A zone field: its ZoneInput, and the list of matching zones shown while typing."""

    DEFAULT_CSS = """
    ZoneSelect { height: auto; width: 1fr; }
    ZoneSelect > OptionList {
        display: none; overlay: screen; constrain: inside inside;
        width: auto; min-width: 100%; height: auto; max-height: 8; border: tall $border; background: $surface;
    }
    ZoneSelect.-open > OptionList { display: block; }
    """

    def __init__(self, value: str, input_id: str) -> None:
        super().__init__(id=f"{input_id}-field", classes="field-parts")  # a form names it by the Label before it
        self._value = value
        self._input_id = input_id

    def compose(self) -> ComposeResult:
        yield ZoneInput(self._value, id=self._input_id, placeholder="type to filter: berl, new york, utc")
        choices = OptionList()
        choices.can_focus = False  # the Input keeps the focus; up/down/enter reach the list through it
        yield choices

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        field = event.input
        if not isinstance(field, ZoneInput):
            return
        if event.value == field.picked:
            field.picked = None
        elif field.has_focus:
            field.open_list()

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one(ZoneInput).pick(str(event.option.id))


def zone_select(value: str, widget_id: str) -> ZoneSelect:
    """The zone field holding ``value`` (kept even when this machine does not know it); the
    Input that edits it has the id ``widget_id``."""
    return ZoneSelect(value, widget_id)
