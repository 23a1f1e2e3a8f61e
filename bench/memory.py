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
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from local_server import ROOT

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
    pss = rss = count = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.getpgid(int(pid)) != group:
                continue
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except (OSError, ProcessLookupError):
            continue
        count += 1
        for line in rollup:
            name, _, value = line.partition(":")
            if name == "Pss":
                pss += int(value.split()[0])
            elif name == "Rss":
                rss += int(value.split()[0])
    return pss, rss, count


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


def measure(setup: dict[str, object], data: str) -> dict[str, object]:
    env = {**os.environ, "REJOINDER_DATA_DIR": data, "REJOINDER_RATE_LIMITS": "0"}
    command = [str(ROOT / ".venv/bin/rejoinder"), "serve", "--bind", f"127.0.0.1:{PORT}"]
    command += ["--workers", str(setup["workers"]), "--threads", str(setup["threads"])]
    if not setup["mail_worker"]:
        command.append("--no-worker")
    server = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/api/v1/counts?uri={URI}", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(2)
        idle = _group_kib(server.pid)
        _use(base)
        time.sleep(2)
        used = _group_kib(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
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
        setup = (
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='rejoinder.config.settings';"
            "django.setup(); from django.core.management import call_command;"
            "call_command('migrate', verbosity=0);"
            "from rejoinder.pages.lookup import default_site, ensure_page;"
            f"ensure_page(default_site(), {URI!r})"
        )
        env = {**os.environ, "REJOINDER_DATA_DIR": data}
        subprocess.run([str(ROOT / ".venv/bin/python"), "-c", setup], env=env, check=True)
        for each in SETUPS:
            print(json.dumps(measure(each, data)), flush=True)


if __name__ == "__main__":
    main()
