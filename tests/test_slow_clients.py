"""A client too slow to send its request is disconnected; an idle keep-alive connection and
a quick client are not. Against a real `twin serve` process on a loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLE
from .servers import free_port, wait_ready

REQUEST_TIMEOUT = 1.0
HEAD = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("slow")
    twin = str(Path(sys.executable).with_name("twin"))
    env = {**os.environ, "TWIN_DB": str(tmp / "twin.db"), "TWIN_PROVIDER": "extractive",
           "TWIN_REQUEST_TIMEOUT": str(REQUEST_TIMEOUT)}
    subprocess.run([twin, "ingest", str(EXAMPLE)], env=env, check=True, capture_output=True)
    port = free_port()
    log = tmp / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([twin, "serve", "--port", str(port)], env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_ready(f"http://127.0.0.1:{port}", proc, log=log)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def closed_by_server(sock: socket.socket, wait: float = 15.0) -> bool:
    """Whether the server closes `sock` within `wait` seconds, sending nothing."""
    sock.settimeout(wait)
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_a_request_that_never_ends_and_a_silent_connection_are_dropped(server):
    slow = [socket.create_connection(("127.0.0.1", server)) for _ in range(10)]
    for sock in slow:
        sock.sendall(HEAD[:20])  # half a request head, and then nothing more
    silent = socket.create_connection(("127.0.0.1", server))
    try:
        assert all(closed_by_server(sock) for sock in slow)
        assert closed_by_server(silent)
    finally:
        for sock in [*slow, silent]:
            sock.close()


def test_a_quick_client_is_answered_and_its_idle_keep_alive_connection_kept(server):
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.settimeout(15)
        for _ in range(2):
            sock.sendall(HEAD + b"\r\n")
            reply = b""
            while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
                chunk = sock.recv(4096)
                assert chunk, "the server closed a connection that had sent a whole request"
                reply += chunk
            assert reply.startswith(b"HTTP/1.1 200")
            # idle for longer than the request deadline: keep-alive, not a slow request
            closed = closed_by_server(sock, wait=REQUEST_TIMEOUT * 2.5)
            assert not closed, "an idle keep-alive connection was dropped"
