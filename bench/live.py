"""Live updates: N streams open on one `rejoinder serve` (SQLite, 2 processes, no Redis).

Opens the streams, holds them open for `--hold` seconds (the servers' CPU is sampled over
that time: what idle streams cost, heartbeats included), then posts a comment and reports
how many streams were still connected, how long the comment took to reach every one (from
the moment the POST was sent, before its commit) and the servers' memory per open stream.
Not a timed test:
    .venv/bin/python bench/live.py --streams 10000 --hold 60
With `--attach PAGE` it only opens the streams on a server already running on `--port` and
holds them until terminated (`BENCH_STREAMS=1000 make bench`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from local_server import group_pids, prepare, served

URI = "/bench/live/"


def _rss_kib(group: int) -> int:
    total = 0
    for pid in group_pids(group):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def _cpu_seconds(group: int) -> float:
    """User + system CPU time the server's processes have used so far."""
    ticks = 0
    for pid in group_pids(group):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


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


async def run(port: int, page: int, streams: int, hold: float, group: int) -> dict[str, float]:
    bind = f"127.0.0.1:{port}"
    before = _rss_kib(group)
    opened = []
    started = time.monotonic()
    for start in range(0, streams, 200):
        opened += await asyncio.gather(
            *(_open(port, page) for _ in range(min(200, streams - start)))
        )
    opening = time.monotonic() - started
    await asyncio.sleep(2)
    after = _rss_kib(group)
    waiting = [asyncio.create_task(_until_comment(r)) for r, _ in opened]
    cpu_before, held_from = _cpu_seconds(group), time.monotonic()
    await asyncio.sleep(hold)
    idle_cpu = (_cpu_seconds(group) - cpu_before) / (time.monotonic() - held_from)
    dropped = sum(1 for task in waiting if task.done())  # ended before any comment
    body = json.dumps({"uri": URI, "name": "Bench", "body": "Breaking news"}).encode()
    request = urllib.request.Request(
        f"http://{bind}/api/v1/comments", data=body, headers={"Content-Type": "application/json"}
    )

    def post() -> float:
        with urllib.request.urlopen(request, timeout=30):  # noqa: S310 - loopback
            return time.monotonic()

    # Timed from the moment the POST is sent: the commit comes later, so this bounds the
    # time from the commit from above (the answer may come after the first streams have it).
    posted_at = time.monotonic()
    await asyncio.to_thread(post)
    results = await asyncio.wait_for(asyncio.gather(*waiting, return_exceptions=True), 60)
    arrived = [t for t in results if isinstance(t, float)]
    delays = sorted(max(0.0, t - posted_at) for t in arrived)
    for _, writer in opened:
        writer.close()
    return {
        "streams": streams,
        "seconds_to_open": round(opening, 1),
        "held_seconds": hold,
        "dropped_while_held": dropped,
        "received_the_comment": len(arrived),
        "server_cpu_while_idle_percent": round(idle_cpu * 100, 1),
        "rss_before_kib": before,
        "rss_after_kib": after,
        "kib_per_stream": round((after - before) / streams, 2),
        "p50_ms": round(statistics.median(delays) * 1000, 1),
        "p99_ms": round(delays[int(len(delays) * 0.99) - 1] * 1000, 1),
        "max_ms": round(delays[-1] * 1000, 1),
    }


async def hold_open(port: int, page: int, streams: int) -> None:
    """Open `streams` streams on a running server and keep them open until terminated
    (for `make bench` with streams open: BENCH_STREAMS in bench/run_rejoinder.sh)."""
    opened = []
    for start in range(0, streams, 200):
        opened += await asyncio.gather(
            *(_open(port, page) for _ in range(min(200, streams - start)))
        )
    print(f"[live] {len(opened)} streams open on page {page}", file=sys.stderr, flush=True)

    async def drain(reader: asyncio.StreamReader) -> None:
        while await reader.read(65536):  # heartbeats and events, as a browser reads them
            pass

    await asyncio.gather(*(drain(r) for r, _ in opened))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--attach",
        type=int,
        metavar="PAGE",
        help="only open --streams streams on page PAGE of the server on --port and hold them",
    )
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--hold", type=float, default=60, help="seconds the streams stay idle")
    parser.add_argument(
        "--redis", action="store_true", help="start redis-server and tell the processes by it"
    )
    args = parser.parse_args()
    # Every stream is a socket on this side too.
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < args.streams + 100:
        raise SystemExit(f"the open-file limit ({hard}) is below {args.streams} streams")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if args.attach is not None:
        asyncio.run(hold_open(args.port, args.attach, args.streams))
        return
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "REJOINDER_DATA_DIR": data,
            "REJOINDER_RATE_LIMITS": "0",
            "REJOINDER_MAX_STREAMS": str(args.streams + 10),
            # Every stream comes from 127.0.0.1 here.
            "REJOINDER_STREAMS_PER_ADDRESS": str(args.streams + 10),
        }
        redis = None
        if args.redis:
            redis_port = args.port + 1
            redis = subprocess.Popen(
                ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""],
                stdout=subprocess.DEVNULL,
            )
            env["REJOINDER_REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
            time.sleep(0.5)
        page = prepare(env, URI)
        try:
            with served(args.port, env) as server:
                figures = asyncio.run(run(args.port, page, args.streams, args.hold, server.pid))
        except BaseException:
            log = Path(data, "serve.log")
            print(log.read_text()[-3000:] if log.exists() else "", file=sys.stderr)
            raise
        finally:
            if redis is not None:
                redis.terminate()
                redis.wait(10)
        print(json.dumps({"redis": args.redis, **figures}))


if __name__ == "__main__":
    sys.exit(main())
