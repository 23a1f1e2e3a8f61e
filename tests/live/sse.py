"""A small Server-Sent Events reader for the tests: events as they arrive, with their times."""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Event:
    id: str
    kind: str
    data: dict[str, Any]
    at: float  # time.monotonic() when it arrived


@dataclass
class Stream:
    """Reads one stream on a thread until closed; `events` fills as they arrive."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    status: int = 0
    heartbeats: int = 0
    opened: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        self._conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self._path = parts.path + (f"?{parts.query}" if parts.query else "")
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        if not self.opened.wait(20):
            raise AssertionError(f"no answer from {self.url}")

    def _read(self) -> None:
        try:
            self._conn.request("GET", self._path, headers=self.headers)
            response = self._conn.getresponse()
            self.status = response.status
            self.opened.set()
            fields: dict[str, str] = {}
            while True:
                raw = response.readline()
                if not raw:
                    return
                line = raw.decode().rstrip("\n")
                if line.startswith(":"):
                    self.heartbeats += 1
                elif line:
                    name, _, value = line.partition(":")
                    fields[name] = value.removeprefix(" ")
                elif "event" in fields or "data" in fields:
                    self.events.append(
                        Event(
                            fields.get("id", ""),
                            fields.get("event", "message"),
                            json.loads(fields.get("data", "{}")),
                            time.monotonic(),
                        )
                    )
                    fields = {}
                else:
                    fields = {}
        except (OSError, http.client.HTTPException, ValueError, AttributeError):
            return
        finally:
            self.opened.set()

    def wait_for(self, count: int, timeout: float = 10) -> list[Event]:
        deadline = time.monotonic() + timeout
        while len(self.events) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.events)

    def close(self) -> None:
        sock = self._conn.sock
        if sock is not None:
            sock.shutdown(2)
        self._conn.close()
        self._thread.join(5)
