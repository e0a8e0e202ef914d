"""A read-only modal that shows one record in full (an audit record, a timeline event): a
titled scroll of sections, closed with esc."""

from __future__ import annotations

from typing import Generic

from cockpit.shell.modal import CockpitModal, Result


class RecordViewModal(CockpitModal[Result], Generic[Result]):
    DEFAULT_CSS = """
    RecordViewModal { align: center middle; }
    RecordViewModal > VerticalScroll {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    RecordViewModal .dialog-title { text-style: bold; }
    RecordViewModal .section { color: $text-accent; text-style: bold; margin-top: 1; }
    """

    def action_close(self) -> None:
        self.dismiss(None)
