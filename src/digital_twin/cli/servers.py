"""The commands that serve the twin: the HTTP API, page and MCP (`serve`), MCP over stdio."""

from __future__ import annotations

import json
import socket
import sys
import tempfile
from typing import Annotated

import typer

from ..api.connections import REQUEST_TIMEOUT, SlowClientsDropped
from ..errors import TwinError
from .base import DbOption, app, err, friendly, open_twin


@app.command()
@friendly
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
    forwarded_allow_ips: Annotated[str | None, typer.Option(
        help="Behind a reverse proxy: its IPs (comma-separated), trusted for X-Forwarded-For "
             "so that rate limits apply per visitor")] = None,
    db: DbOption = None,
) -> None:
    """Serve the HTTP API, the web chat page at /, the docs at /docs and MCP at /mcp."""
    import os

    import uvicorn

    twin = open_twin(db, existing=False)  # a configuration error stops here, before serving
    # the workers share the CPUs: each runs its embedding model on its share, not on all
    threads = twin.settings.embed_threads or max(1, len(os.sched_getaffinity(0)) // workers)
    settings = twin.settings.model_copy(update={"db": twin.settings.db.resolve(),
                                                "embed_threads": threads})
    twin.close()
    _check_port(host, port)
    # Each worker process builds its app from exactly these settings.
    os.environ["TWIN_SERVE_SETTINGS"] = settings.exported()
    err.print(f"Serving {settings.index_location} on http://{host}:{port} (docs at /docs)")
    with tempfile.TemporaryDirectory(prefix="twin-metrics-") as samples:
        if workers > 1:  # each worker writes its metrics there; /metrics adds them up
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = samples
        # Idle connections are kept 75 s, longer than clients' pools (httpx: 5 s) and load
        # balancers (60 s) keep theirs: a server that closes first races a client reusing the
        # connection, which then sees it dropped (httpx.ReadError) under load.
        config = uvicorn.Config("digital_twin.api.app:app_from_env", factory=True, host=host,
                                port=port, workers=workers, log_level="info",
                                log_config=_log_config(), proxy_headers=bool(forwarded_allow_ips),
                                forwarded_allow_ips=forwarded_allow_ips, timeout_keep_alive=75,
                                http=SlowClientsDropped)
        setattr(config, REQUEST_TIMEOUT, settings.request_timeout)  # read by each connection
        if workers > 1 and hasattr(socket, "SO_REUSEPORT") and sys.platform == "linux":
            _serve_workers(config)
        else:
            server = uvicorn.Server(config)
            server.run()
            if not server.started:  # it could not listen, or the app failed to start
                raise typer.Exit(3)


class _OwnSocket:
    """Opens, in each worker it is handed to, a listening socket of that worker's own on the
    shared port (SO_REUSEPORT), so that Linux spreads new connections evenly over the workers.
    With one socket shared by all, the worker that woke first took a whole burst of
    connections (asyncio accepts up to 100 at a wake-up) and kept them, while another idled."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port

    def __reduce__(self):
        return _reuse_port_socket, (self.host, self.port)


def _reuse_port_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _serve_workers(config) -> None:
    """uvicorn's supervisor (restarts, health checks, signals), each worker on its own socket.
    The supervisor holds the port with a socket that never listens, so no connection waits
    on it."""
    from uvicorn.supervisors import Multiprocess

    with _reuse_port_socket(config.host, config.port):
        Multiprocess(config, sockets=[_OwnSocket(config.host, config.port)]).run()


def _check_port(host: str, port: int) -> None:
    """Say plainly that the port is taken (another twin, most likely) instead of a traceback."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise TwinError(f"Cannot listen on '{host}': {exc.strerror}.",
                        hint="Use --host 127.0.0.1 (this machine) or 0.0.0.0 (every interface)."
                        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise TwinError(f"Port {port} on {host} is not free ({exc.strerror}); another twin "
                            "may be serving there.",
                            hint=f"Stop it, or pick another port: `twin serve --port {port + 1}` "
                                 f"(with make: `make run PORT={port + 1}`).") from None


def _log_config() -> dict:
    """uvicorn's logging, with the worker's process id on every line (several workers share
    one terminal)."""
    from uvicorn.config import LOGGING_CONFIG

    config = json.loads(json.dumps(LOGGING_CONFIG))
    config["formatters"]["default"]["fmt"] = "%(levelprefix)s [%(process)d] %(message)s"
    config["formatters"]["access"]["fmt"] = (
        '%(levelprefix)s [%(process)d] %(client_addr)s - "%(request_line)s" %(status_code)s')
    return config


@app.command()
@friendly
def mcp(db: DbOption = None) -> None:
    """Serve the twin to an MCP client (Claude Desktop, VS Code) over stdio."""
    import logging

    from ..mcp_server import create_mcp

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)  # stdout carries the protocol
    create_mcp(open_twin(db)).run("stdio")
