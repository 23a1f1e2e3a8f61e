"""Live updates: N streams open on one `rejoinder serve` (SQLite, 2 processes, no Redis).

Reports the servers' memory per open stream and how long a posted comment takes to reach
every stream (from the POST's answer, which comes after the commit). Not a timed test:
    .venv/bin/python bench/live.py --streams 1000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from local_server import ROOT, served

URI = "/bench/live/"


def _rss_kib(bind: str) -> int:
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            if bind.encode() not in cmdline:
                continue
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


async def _open(port: int, page: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /discussion/{page}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    status = await reader.readline()
    assert b" 200 " in status, status
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    return reader, writer


async def _until_comment(reader: asyncio.StreamReader) -> float:
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("stream closed")
        if b"event: comment" in line:
            return time.monotonic()


async def run(port: int, page: int, streams: int) -> dict[str, float]:
    bind = f"127.0.0.1:{port}"
    before = _rss_kib(bind)
    opened = []
    for start in range(0, streams, 200):
        opened += await asyncio.gather(
            *(_open(port, page) for _ in range(min(200, streams - start)))
        )
    await asyncio.sleep(2)
    after = _rss_kib(bind)
    waiting = [asyncio.create_task(_until_comment(r)) for r, _ in opened]
    body = json.dumps({"uri": URI, "name": "Bench", "body": "Breaking news"}).encode()
    request = urllib.request.Request(
        f"http://{bind}/api/v1/comments", data=body, headers={"Content-Type": "application/json"}
    )

    def post() -> float:
        with urllib.request.urlopen(request, timeout=30):  # noqa: S310 - loopback
            return time.monotonic()

    posted_at = await asyncio.to_thread(post)
    arrived = await asyncio.wait_for(asyncio.gather(*waiting), 30)
    delays = sorted(max(0.0, t - posted_at) for t in arrived)
    for _, writer in opened:
        writer.close()
    return {
        "streams": streams,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "kib_per_stream": round((after - before) / streams, 2),
        "p50_ms": round(statistics.median(delays) * 1000, 1),
        "p99_ms": round(delays[int(len(delays) * 0.99) - 1] * 1000, 1),
        "max_ms": round(delays[-1] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "REJOINDER_DATA_DIR": data,
            "REJOINDER_RATE_LIMITS": "0",
            "REJOINDER_MAX_STREAMS": str(args.streams + 10),
        }
        setup = (
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='rejoinder.config.settings';"
            "django.setup(); from django.core.management import call_command;"
            "call_command('migrate', verbosity=0);"
            "from rejoinder.pages.lookup import default_site, ensure_page;"
            f"print(ensure_page(default_site(), {URI!r}).pk)"
        )
        python = str(ROOT / ".venv/bin/python")
        page = int(
            subprocess.run(
                [python, "-c", setup], env=env, check=True, capture_output=True, text=True
            ).stdout
        )
        with served(args.port, env):
            print(json.dumps(asyncio.run(run(args.port, page, args.streams))))


if __name__ == "__main__":
    sys.exit(main())
