"""What each knob of `rejoinder serve` costs in memory: PSS and RSS of all its processes.

Starts the server (SQLite in a temporary folder) with each setting in turn, reads the box and
posts a few comments so that every process has loaded what it serves with, then sums PSS
(proportional set size: pages the forked processes share count once) and RSS over the server's
process group. For docs/configuration.md; not a timed test:
    .venv/bin/python bench/memory.py
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import urllib.request
from pathlib import Path

from local_server import group_pids, prepare, served

URI = "/bench/memory/"
PORT = 8790
SETUPS = [
    {"workers": 1, "threads": 4, "mail_worker": False},
    {"workers": 1, "threads": 4, "mail_worker": True},
    {"workers": 2, "threads": 4, "mail_worker": False},
    {"workers": 2, "threads": 4, "mail_worker": True},
    {"workers": 2, "threads": 1, "mail_worker": False},
    {"workers": 2, "threads": 16, "mail_worker": False},
    {"workers": 4, "threads": 4, "mail_worker": False},
]


def _group_kib(group: int) -> tuple[int, int, int]:
    """PSS and RSS (KiB) summed over the processes of a process group, and how many."""
    pss = rss = 0
    pids = group_pids(group)
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        for line in rollup:
            name, _, value = line.partition(":")
            if name == "Pss":
                pss += int(value.split()[0])
            elif name == "Rss":
                rss += int(value.split()[0])
    return pss, rss, len(pids)


def _use(base: str) -> None:
    """Read and write a little on every process, so each has loaded what serving needs."""
    for n in range(20):
        body = json.dumps({"uri": URI, "name": "Bench", "body": f"Comment {n} on the story"})
        request = urllib.request.Request(  # noqa: S310 - loopback
            f"{base}/api/v1/comments",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(request, timeout=30).read()  # noqa: S310 - loopback
        urllib.request.urlopen(f"{base}/api/v1/threads?uri={URI}", timeout=30).read()  # noqa: S310


def measure(setup: dict[str, object], env: dict[str, str]) -> dict[str, object]:
    options = ["--workers", str(setup["workers"]), "--threads", str(setup["threads"])]
    if not setup["mail_worker"]:
        options.append("--no-worker")
    with served(PORT, env, *options) as server:
        time.sleep(2)
        idle = _group_kib(server.pid)
        _use(f"http://127.0.0.1:{PORT}")
        time.sleep(2)
        used = _group_kib(server.pid)
    return {
        **setup,
        "processes": used[2],
        "idle_pss_mib": round(idle[0] / 1024, 1),
        "idle_rss_mib": round(idle[1] / 1024, 1),
        "used_pss_mib": round(used[0] / 1024, 1),
        "used_rss_mib": round(used[1] / 1024, 1),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "REJOINDER_DATA_DIR": data, "REJOINDER_RATE_LIMITS": "0"}
        prepare(env, URI)
        for each in SETUPS:
            print(json.dumps(measure(each, env)), flush=True)


if __name__ == "__main__":
    main()
