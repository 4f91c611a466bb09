"""Run an ASGI app on a real loopback port, in a thread, for the length of a `with` block."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import uvicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(app, port: int | None = None) -> Iterator[str]:
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def wait_ready(url: str, proc: subprocess.Popen, seconds: float = 120,
               log: Path | None = None) -> None:
    """Wait until the `twin serve` process `proc` answers `/health/ready` at `url`; fail, with
    its log when there is one, if it exits or takes longer than `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url + "/health/ready", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    state = f"exited with {proc.returncode}" if proc.poll() is not None else "is not ready"
    raise RuntimeError(f"twin serve at {url} {state}" + (f":\n{log.read_text()}" if log else ""))
