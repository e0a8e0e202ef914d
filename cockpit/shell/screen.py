"""What every cockpit screen shares: breadcrumbs, the flash line, the footer, `esc` back, tab
keys (`[`, `]`, `1`-`9`), live domain events, and calling the core without ever crashing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import TabbedContent

from cockpit.feedback import describe_error
from core.errors import ServiceError
from core.model.events import CONNECTION_RESTORED, DomainEvent
from widgets.breadcrumbs import Breadcrumbs
from widgets.flash_line import FlashLine
from widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from cockpit.shell.app import CockpitApp


def _tab_bindings() -> list[Binding]:
    keys = [
        Binding("left_square_bracket", "previous_tab", "Prev tab", show=False, id="previous-tab",
                tooltip="Show the tab to the left", key_display="["),
        Binding("right_square_bracket", "next_tab", "Tabs", show=True, id="next-tab",
                tooltip="Show the tab to the right ([ goes left, 1-9 jump)", key_display="]"),
    ]
    for n in range(1, 10):
        keys.append(Binding(str(n), f"jump_tab({n})", f"Tab {n}", show=False, id=f"tab-{n}",
                            tooltip=f"Show tab {n}"))
    return keys


async def all_pages(
    call: Callable[[str, dict[str, Any]], Awaitable[dict[str, Any] | None]],
    operation: str,
    params: dict[str, Any],
    items: str,
    max_pages: int = 10,
) -> list[dict[str, Any]] | None:
    out: list[dict[str, Any]] = []
    params = dict(params)
    token_key = "NextToken" if items[:1].isupper() else "nextToken"  # ssm-contacts is PascalCase
    for _ in range(max_pages):
        page = await call(operation, params)
        if page is None:
            return None
        out += page.get(items) or []
        if not page.get(token_key):
            break
        params[token_key] = page[token_key]
    return out


def mounted_once(node: object, cls: type) -> bool:
    """True if ``cls``'s ``on_mount`` already ran for ``node`` (and note that it has now)."""
    done: set[type] = node.__dict__.setdefault("_mounted_classes", set())
    if cls in done:
        return True
    done.add(cls)
    return False


class CockpitScreen(Screen):
    """Base of every area and detail screen. Subclasses implement ``compose_body``."""

    CRUMB: ClassVar[str] = "Cockpit"
    AUTO_FOCUS = None  # screens focus their main list once it has loaded
    MUTATING_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    """Actions hidden and refused in read-only mode."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="back", tooltip="Go back to the previous screen"),
        Binding("escape", "leave_area", "Incidents", id="leave-area", show=False,
                tooltip="Leave this area for the incident list"),
        *_tab_bindings(),
    ]

    app: CockpitApp  # type: ignore[assignment]

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """Textual's, without its repaint of the whole screen on every focus change (`j`/`k` on a
    list, each tab switch): the widgets that gain and lose the focus restyle and repaint
    themselves, and a full repaint is most of what a key costs."""

    @property
    def crumb(self) -> str:
        return self.CRUMB

    ahead = False
    """Composed ahead of being shown (``CockpitApp.prepare_screen``) and not pushed yet."""

    @property
    def is_closing(self) -> bool:
        """Popped, and being removed: its widgets go first, so a worker that finishes now must
        not look for them."""
        return not self.ahead and self not in self.app.screen_stack

    def lay_out_ahead(self) -> None:
        """Composed ahead and loaded: lay out and draw now, off the stack, what pushing would
        (its widgets get their sizes and draw into their caches; nothing reaches the
        terminal). Pushed at that size, it skips the layout and paints from the caches."""
        if self.ahead and self.app.screen is not self and self.is_attached:
            self._refresh_layout(self.app.size)
            self.call_after_refresh(self._draw_ahead)  # once the sizes' handlers (Resize) have run

    def _draw_ahead(self) -> None:
        if self.ahead and self.app.screen is not self and self.is_attached:
            self._compositor.update_widgets(self._dirty_widgets)
            self._dirty_widgets.clear()
            self._compositor.render_update(full=True)

    def _screen_resized(self, size: Size) -> None:
        """Textual lays out again every screen under the top one whenever the top one gets a
        Resize, which a pushed screen gets as it first shows: under an incident's details the
        list would lay out its tiles for nothing. A screen below keeps its layout while the
        size stays; it lays out again when it returns (or the terminal really resizes)."""
        if self is not self.app.screen and size == self._size:
            return
        super()._screen_resized(size)

    def compose(self) -> ComposeResult:
        yield Breadcrumbs(id="breadcrumbs")
        yield from self.compose_body()
        yield FlashLine(self.app.now, id="flash")
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        """Textual calls the ``on_mount`` of every class in a screen's MRO itself, so a
        subclass's ``super().on_mount()`` runs this a second time: it subscribes once (twice,
        every event reached the screen twice: two reloads, two "+1" on a tab per change)."""
        if mounted_once(self, CockpitScreen):
            return
        self.app.domain_events.subscribe(self, self._on_core_event)
        self.watch(self.app, "connection", self._show_connection)

    def _show_connection(self, state: str) -> None:
        self.query_one(Breadcrumbs).status = state

    def on_screen_resume(self) -> None:
        self.ahead = False
        if self.stale:
            self.stale = False
            self.reload_data()
        self.update_breadcrumbs()
        if self.pending_flash is not None:
            self.show_flash(*self.pending_flash)
            self.pending_flash = None

    def update_breadcrumbs(self) -> None:
        crumbs = tuple(s.crumb for s in self.app.screen_stack if isinstance(s, CockpitScreen))
        self.query_one(Breadcrumbs).crumbs = crumbs

    # ---- the flash line -------------------------------------------------------------------
    pending_flash: tuple[str, str] | None = None
    """A message this screen shows when it appears (set by whoever opens it with news: a start
    that joined an open incident). Flashes belong to one screen and never carry to another."""

    def show_flash(self, message: str, level: str = "info") -> None:
        self.query_one(FlashLine).show(message, level)

    def flash(self, message: str, level: str = "info") -> None:
        self.app.flash(message, level)

    # ---- calling the core -----------------------------------------------------------------
    async def call(self, operation: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """Run one operation; a service error goes to the flash line and gives None."""
        try:
            return await self.app.client.call(operation, params or {})
        except ServiceError as error:
            self.flash(describe_error(error), "error")
            return None

    async def call_pages(
        self, operation: str, params: dict[str, Any], items: str, max_pages: int = 10
    ) -> list[dict[str, Any]] | None:
        """Every item of a paged list (bounded: lists are paged by the core, and a screen
        that needs more than ``max_pages`` pages should page in the UI instead). Handles both
        token spellings (``nextToken``, ``NextToken``); None if a call failed."""
        return await all_pages(self.call, operation, params, items, max_pages)

    def on_domain_event(self, event: DomainEvent) -> None:
        """A committed change somewhere in the core; screens override to stay live."""

    # ---- after a reconnect ----------------------------------------------------------------
    stale = False
    """True when this screen must read its data again once it is shown (the connection to the
    core came back while another screen was on top)."""

    def reload_data(self) -> None:
        """Read what this screen shows again from the core; screens that load data override it.
        A reconnect runs it: an update whose call failed while the core was unreachable, or
        whose event the core no longer keeps, would otherwise stay lost until `r`."""

    def _on_core_event(self, event: DomainEvent) -> None:
        if event.type == CONNECTION_RESTORED:
            if self.app.screen is self:
                self.reload_data()
            else:
                self.stale = True
        self.on_domain_event(event)

    # ---- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MUTATING_ACTIONS and self.app.settings.read_only:
            return False
        # a dialog on top is no screen to go back from: under it, this screen's esc stays as it was
        if action == "back":
            return self.depth() > 0
        if action == "leave_area":  # esc on an area's own screen: back to the first area
            return self.depth() == 0 and self.app.current_mode != self.app.areas[0].mode
        if action in ("previous_tab", "next_tab", "jump_tab"):
            return self.tabs is not None
        return True

    def depth(self) -> int:
        """How many screens are under this one (the stack's top's, if this one is not in it)."""
        stack = self.app.screen_stack
        return stack.index(self) if self in stack else len(stack) - 1

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_leave_area(self) -> None:
        self.app.go_to_area(self.app.areas[0].mode)

    _tabs: TabbedContent | None | bool = False
    """The screen's TabbedContent once looked up (None: it has none). check_action asks for it
    for every binding on every refresh, and a DOM walk over 50 tiles each time is slow."""

    @property
    def tabs(self) -> TabbedContent | None:
        if self._tabs is False:
            if not self.is_mounted:
                return None
            found = self.query(TabbedContent)
            self._tabs = found.first() if found else None
        return self._tabs  # type: ignore[return-value]

    def _tab_ids(self) -> list[str]:
        tabs = self.tabs
        if tabs is None:
            return []
        return [pane.id for pane in tabs.query_children("ContentSwitcher").first().children if pane.id]

    def action_next_tab(self) -> None:
        self._step_tab(+1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    def _step_tab(self, step: int) -> None:
        ids = self._tab_ids()
        tabs = self.tabs
        if not ids or tabs is None:
            return
        index = ids.index(tabs.active) if tabs.active in ids else 0
        self._show_tab(tabs, ids[(index + step) % len(ids)])

    def action_jump_tab(self, number: int) -> None:
        ids = self._tab_ids()
        tabs = self.tabs
        if tabs is not None and 1 <= number <= len(ids):
            self._show_tab(tabs, ids[number - 1])

    def _show_tab(self, tabs: TabbedContent, tab: str) -> None:
        """The flash line reports what a key did on the tab it was pressed on: it does not
        follow the user to another tab (where "no approval step is waiting" means nothing)."""
        if tabs.active != tab:
            self.query_one(FlashLine).clear()
        tabs.active = tab
