"""A throw-away redis-server (Debian's `redis-server`, installed by scripts/install-test-deps)
for the tests that run two servers side by side."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.servers import free_port


class Redis:
    def __init__(self, url: str, process: subprocess.Popen[bytes]) -> None:
        self.url, self.process = url, process

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextmanager
def redis_server(tmp_path: Path) -> Iterator[Redis]:
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: run scripts/install-test-deps (make test-deps)"
    port = free_port()
    data = tmp_path / "redis"
    data.mkdir()
    process = subprocess.Popen(  # noqa: S603
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(data),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError("redis-server did not start") from None
                time.sleep(0.05)
        server = Redis(f"redis://127.0.0.1:{port}/0", process)
        yield server
    finally:
        Redis("", process).stop()
