"""Servers the tests start as child processes on loopback: a free port, and a process that is
waited for until it answers and stopped afterwards."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running(command: list[str], ready_url: str, *, timeout: float, name: str,
            on_failure: Callable[[str], object]) -> Iterator[subprocess.Popen]:
    """Run ``command`` until the block ends; before it starts, wait until ``ready_url`` answers 200
    (``on_failure`` — ``pytest.skip`` or ``pytest.fail`` — when the process exits or is too slow)."""
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if server.poll() is not None:
                on_failure(f"{name} exited at start")
            try:
                if httpx.get(ready_url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            on_failure(f"{name} did not come up in {timeout:.0f} s")
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)
