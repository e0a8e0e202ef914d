"""Which core a shell command runs on: the workspace's own, opened in this process, or a running
`cockpit serve` named by ``--endpoint URL`` / ``--profile NAME`` (cockpit.remote.credentials)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

Opener = Callable[[], AbstractAsyncContextManager[Any]]  # opens a client, closes it on exit


def add_endpoint_arguments(parser: Any) -> None:
    """``--endpoint URL`` and ``--profile NAME``: run on a running core instead of in this process."""
    parser.add_argument("--endpoint", metavar="URL", help="run it on a running core (`cockpit serve`) instead of in this process")
    parser.add_argument("--profile", metavar="NAME", help="URL and access key for --endpoint from [profiles.NAME] in ui.toml")
