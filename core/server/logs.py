"""The server's logs: one line a record on stderr, as text or (``--log-format json``) one
JSON object a line. Records carry only what the code puts in them: the access log names the
route template, the principal and the access key id, never a secret, a token or a raw query."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            entry["error"] = f"{type(error).__name__}: {error}"
        return json.dumps(entry, default=str)


def setup_logging(log_format: str) -> None:
    """Replace any handlers on the root logger with one on stderr in ``log_format``."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # a line per request: skip gathering what neither format prints (the caller's file and
    # line, the thread and process), as the logging HOWTO's "Optimization" section describes
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    for name in ("uvicorn", "uvicorn.error"):  # uvicorn's own records go through the root
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
