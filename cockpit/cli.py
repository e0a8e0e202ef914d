"""The ``cockpit`` command: the TUI, the demo, and any operation from the shell."""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import json
import logging
import os
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs

from cockpit.endpoint import Opener
from core.errors import ConfigError, InternalServerException, ServiceError, StoreError
from widgets.formatting import counted

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a command ended by SIGPIPE
LOG_FILENAME = "cockpit.log"


class UsageError(Exception):
    """A mistake on the command line (exit status 2)."""


class _BriefFormatter(logging.Formatter):
    """One line per record on the terminal; tracebacks go only to the log file."""

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return ""

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return ""


def _setup_logging(data_dir: Path) -> None:
    """Core warnings as one line on stderr; full detail (tracebacks) in DATA_DIR/cockpit.log."""
    root = logging.getLogger()
    if root.handlers:  # an embedding application (or pytest) configured logging already
        return
    brief = logging.StreamHandler(sys.stderr)
    brief.setLevel(logging.WARNING)
    brief.setFormatter(_BriefFormatter("cockpit: %(message)s"))
    root.addHandler(brief)
    root.setLevel(logging.INFO)
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)  # owner-only, as the core makes it
        os.close(os.open(data_dir / LOG_FILENAME, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        full = logging.FileHandler(data_dir / LOG_FILENAME, encoding="utf-8")
    except OSError:
        return
    full.setLevel(logging.INFO)
    full.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(full)


def _damaged(data_dir: Path, exc: BaseException) -> str:
    return (
        f"cockpit: the database in {data_dir} cannot be read ({exc}); it may be damaged. "
        "Bring it back from a replica with `cockpit restore --from REGION`."
    )


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("incident-cockpit", appauthor=False))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _parser() -> argparse.ArgumentParser:
    from cockpit.endpoint import add_endpoint_arguments

    parser = argparse.ArgumentParser(
        prog="cockpit",
        description="Incident Cockpit: run incidents from the terminal.",
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="workspace directory (default: %(default)s, the platform's user data directory)")
    parser.add_argument("--config", type=Path, default=None, help="configuration file (default: DATA_DIR/config.yaml)")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("ui", help="open the cockpit (the default)")
    demo = sub.add_parser("demo", help="open the cockpit on a fresh demo workspace (removed on exit)")
    demo.add_argument("--keep", action="store_true", help="keep the demo workspace on exit and print where it is")
    call = sub.add_parser("call", help="run one operation, like the AWS CLI: cockpit call StartIncident '{...}'")
    call.add_argument("operation")
    call.add_argument("params", nargs="?", default="{}", help="the request as JSON ('-' reads standard input)")
    add_endpoint_arguments(call)
    sub.add_parser("ops", help="list the operations")
    serve = sub.add_parser("serve", help="run the core headless behind its HTTP APIs (native, AWS-compatible)")
    # also after the subcommand (`cockpit serve --data-dir DIR`, as a systemd unit reads best)
    serve.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help="workspace directory")
    serve.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="configuration file")
    serve.add_argument("--listen", default="127.0.0.1:8080", metavar="HOST:PORT", help="address to listen on (default: %(default)s)")
    serve.add_argument("--tls-cert", type=Path, default=None, metavar="FILE", help="TLS certificate (PEM)")
    serve.add_argument("--tls-key", type=Path, default=None, metavar="FILE", help="TLS private key (PEM)")
    serve.add_argument("--insecure-http", action="store_true", help="allow plain HTTP on a non-loopback address")
    serve.add_argument("--log-format", choices=("text", "json"), default="text", help="log lines as text or one JSON object each")
    from cockpit.remote import attach, user_cli

    user_cli.add_parser(sub)
    attach.add_parser(sub)
    from cockpit.analyses import cli as analysis_cli
    from cockpit.reports import cli as report_cli

    analysis_cli.add_parser(sub)
    from cockpit.integrations import cli as integration_cli

    integration_cli.add_parser(sub)
    report_cli.add_parser(sub)
    from cockpit.runbooks import cli as runbook_cli

    runbook_cli.add_parser(sub)
    restore = sub.add_parser("restore", help="bring the database back from a replica region")
    restore.add_argument("--from", dest="region", required=True, metavar="REGION")
    restore.add_argument("--key", type=Path, default=None, metavar="FILE",
                         help="the workspace key the replica was encrypted with, when DATA_DIR/keys no longer holds it")
    return parser


def _remote(args: argparse.Namespace) -> Opener | None:
    """Opens a client of the running core --endpoint / --profile name; None without them."""
    if args.endpoint is None and args.profile is None:
        return None
    from cockpit.remote.attach import remote_opener
    from cockpit.remote.credentials import CredentialsError, resolve_credentials
    from cockpit.settings import load_settings

    try:
        return remote_opener(resolve_credentials(args.endpoint, args.profile, load_settings()))
    except CredentialsError as err:
        raise UsageError(str(err)) from None


def _opener(args: argparse.Namespace, data_dir: Path) -> Opener:
    """A client of the running core (--endpoint / --profile), or of the workspace's core opened here."""
    from cockpit.factory import embedded_client

    return _remote(args) or functools.partial(embedded_client, data_dir, config=args.config, origin="cli")


async def _call(args: argparse.Namespace, data_dir: Path, name: str, params: dict[str, Any]) -> dict[str, Any]:
    """Run one operation: through a running core (--endpoint / --profile), or in this process."""
    remote = _remote(args)
    if remote is not None:
        async with remote() as client:
            return await client.call(name, params)
    from cockpit.factory import embedded_call

    result, unsent = await embedded_call(data_dir, args.config, name, params)
    if unsent:
        one = unsent == 1
        print(
            f"cockpit: {counted(unsent, 'message')} (pages, activation codes) {'is' if one else 'are'} queued in {data_dir} "
            f"and wait{'s' if one else ''} for a core process to send {'it' if one else 'them'}: run `cockpit serve` "
            "(or open the cockpit) on it, "
            "or send calls to a running server with `cockpit call --endpoint URL`.",
            file=sys.stderr,
        )
    return result


def _read_params(text: str) -> dict[str, Any]:
    if text == "-":
        text = sys.stdin.read()
    try:
        params = json.loads(text or "{}")
    except json.JSONDecodeError as exc:
        raise UsageError(f"the request is not valid JSON: {exc}") from None
    if not isinstance(params, dict):
        raise UsageError(f"the request must be a JSON object, not {type(params).__name__}")
    return params


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code = _run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (`cockpit ops | head`): stop quietly, as `seq | head` does;
        # stdout now points nowhere, so the interpreter's own final flush cannot fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code


def _run(args: argparse.Namespace) -> int:
    data_dir = args.data_dir or default_data_dir()
    command = args.command or "ui"
    if command not in ("ui", "demo"):
        gc.enable()  # off for start-up (cockpit/__main__.py); the TUI turns it on once running
    try:
        if command == "ops":
            from cockpit.factory import operation_list

            for service, name, summary in operation_list():
                print(f"{name:<28} {service:<14} {summary}")
            return EXIT_OK
        if command == "call":
            params = _read_params(args.params)
            if args.endpoint is None and args.profile is None:
                _setup_logging(data_dir)  # the log of the core this process runs
            result = asyncio.run(_call(args, data_dir, args.operation, params))
            print(json.dumps(result, indent=2, default=_json_default, sort_keys=True))
            return EXIT_OK
        if command == "serve":
            from cockpit.factory import serve

            return serve(data_dir, args.config, listen=args.listen, tls_cert=args.tls_cert, tls_key=args.tls_key,
                         insecure_http=args.insecure_http, log_format=args.log_format)
        if command == "user":
            from cockpit.remote.user_cli import run_user

            if args.endpoint is None and args.profile is None:
                _setup_logging(data_dir)  # the log of the core this process runs, not of the one at --endpoint
            return run_user(args, data_dir, args.config)
        if command == "attach":
            from cockpit.remote.attach import run_attach

            return run_attach(args)
        if command in ("analysis", "report"):
            from cockpit.analyses.cli import run_analysis
            from cockpit.reports.cli import run_report

            if args.endpoint is None and args.profile is None:
                _setup_logging(data_dir)  # the log of the core this process runs
            return (run_analysis if command == "analysis" else run_report)(args, _opener(args, data_dir))
        if command == "integration":
            from cockpit.integrations.cli import run_integration

            _setup_logging(data_dir)
            return run_integration(args, data_dir, args.config)
        if command == "runbook":
            from cockpit.runbooks.cli import run_runbook

            _setup_logging(data_dir)
            return run_runbook(args, data_dir, args.config)
        if command == "restore":
            from cockpit.factory import restore

            try:
                done = restore(data_dir, args.region, args.config, args.key)
            except (ConfigError, StoreError) as exc:
                print(f"cockpit restore: {exc}", file=sys.stderr)
                return EXIT_ERROR
            kept = f" (the previous database is kept as {done.kept.name})" if done.kept else ""
            print(f"restored {done.database} from region {args.region}{kept}")
            return EXIT_OK
        from cockpit.launch import run_tui

        return run_tui(command, data_dir, args.config, keep=getattr(args, "keep", False))
    except UsageError as err:
        print(f"cockpit: {err}", file=sys.stderr)
        return EXIT_USAGE
    except InternalServerException as err:
        if isinstance(err.__cause__, sqlite3.DatabaseError):
            print(_damaged(data_dir, err.__cause__), file=sys.stderr)
        else:
            print(f"{err.code}: {err.message} ({data_dir / LOG_FILENAME})", file=sys.stderr)
        return EXIT_ERROR
    except ServiceError as err:
        print(f"{err.code}: {err.message}", file=sys.stderr)
        for field in getattr(err, "fields", []) or []:
            print(f"  {field['name']}: {field['message']}", file=sys.stderr)
        return EXIT_ERROR
    except (ConfigError, StoreError) as err:
        print(f"cockpit: {err}", file=sys.stderr)
        return EXIT_ERROR
    except sqlite3.DatabaseError as err:  # damage found while opening (past the header)
        print(_damaged(data_dir, err), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
