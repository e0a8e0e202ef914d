"""``cockpit serve``: the core, headless, behind the HTTP bindings (Starlette on uvicorn).

The data directory's lock is taken first (a second core is refused before any port is
bound), then the socket is bound, then uvicorn serves. ``SIGTERM`` (or ``SIGINT``) stops
accepting, lets in-flight requests finish (up to ``DRAIN_SECONDS``), then the core stops its
scheduler and outbox; every timer is a row, so whatever falls due while the server is down
fires when it starts again.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import signal
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
import uvloop

from core.errors import ConfigError
from core.runtime import Core, open_core
from core.server.app import build_server_app
from core.server.logs import setup_logging

log = logging.getLogger("cockpit.server")

DEFAULT_LISTEN = "127.0.0.1:8080"
DRAIN_SECONDS = 30


@dataclass(frozen=True)
class ServeOptions:
    listen: str = DEFAULT_LISTEN
    tls_cert: Path | None = None
    tls_key: Path | None = None
    insecure_http: bool = False
    log_format: str = "text"


def parse_listen(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:8080`` for IPv6)."""
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"--listen {value!r} must be HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080")
    return host.strip("[]"), int(port)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_options(options: ServeOptions) -> tuple[str, int]:
    host, port = parse_listen(options.listen)
    if (options.tls_cert is None) != (options.tls_key is None):
        raise ConfigError("--tls-cert and --tls-key go together: give both, or neither")
    for flag, path in (("--tls-cert", options.tls_cert), ("--tls-key", options.tls_key)):
        if path is not None and not path.is_file():
            raise ConfigError(f"{flag} {path} is not a readable file")
    if options.tls_cert is None and not is_loopback(host) and not options.insecure_http:
        raise ConfigError(
            f"--listen {options.listen} is not a loopback address, and without TLS every access "
            "key would cross the network in the clear: give --tls-cert and --tls-key, put a "
            "TLS-terminating reverse proxy in front and listen on 127.0.0.1, or pass --insecure-http"
        )
    return host, port


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(2048)  # connections queue from here on, before uvicorn's loop accepts them
    return sock


class _CoreServer(uvicorn.Server):
    """uvicorn, ending the core's event streams once it stops accepting: an attached client's
    SSE stream would otherwise hold the drain open until ``DRAIN_SECONDS``."""

    def __init__(self, config: uvicorn.Config, core: Core) -> None:
        super().__init__(config)
        self.core = core

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for listener in self.servers:
            listener.close()  # no new connection (nor a reconnecting stream) from here on
        self.core.bus.close()
        await super().shutdown(sockets)


def run_server(data_dir: Path, config: Any, options: ServeOptions) -> int:
    """Serve until SIGTERM/SIGINT; returns the exit status."""
    setup_logging(options.log_format)
    host, port = check_options(options)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:  # libuv: less per request
        return runner.run(_serve(data_dir, config, options, host, port))


async def _serve(data_dir: Path, config: Any, options: ServeOptions, host: str, port: int) -> int:
    stop_requested = False
    server: uvicorn.Server | None = None

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stop_requested
        stop_requested = True
        if server is not None:
            server.should_exit = True

    # until uvicorn takes over the signals (and after it hands them back), a stop request is
    # remembered rather than killing the process half-way through opening or closing the core
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, request_stop)
    async with open_core(data_dir, config=config) as core:
        sock = _bind(host, port)
        scheme = "https" if options.tls_cert else "http"
        if scheme == "http" and not is_loopback(host):
            log.warning(
                "listening on %s:%d over plain HTTP (--insecure-http): access keys and incident "
                "data cross the network unencrypted", host, port,
            )
        uv_config = uvicorn.Config(
            build_server_app(core),
            log_config=None,
            access_log=False,
            lifespan="off",
            http="httptools",
            server_header=False,
            timeout_graceful_shutdown=DRAIN_SECONDS,
            ssl_certfile=str(options.tls_cert) if options.tls_cert else None,
            ssl_keyfile=str(options.tls_key) if options.tls_key else None,
        )
        try:
            uv_config.load()
        except (ssl.SSLError, OSError) as exc:
            sock.close()
            raise ConfigError(f"cannot use the TLS certificate and key: {exc}") from None
        server = _CoreServer(uv_config, core)
        server.should_exit = stop_requested
        log.info(
            "serving the core of %s on %s://%s:%d (pid %s)", data_dir, scheme, host, port, os.getpid(),
            extra={"fields": {"data_dir": str(data_dir), "url": f"{scheme}://{host}:{port}"}},
        )
        try:
            await server.serve(sockets=[sock])
        finally:
            sock.close()
        log.info("stopped accepting requests; stopping the core")
    log.info("the core stopped cleanly")
    return 0
