"""What the in-project benchmarks share: a `rejoinder serve` on loopback, and wrk against it."""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def prepare(env: Mapping[str, str], uri: str) -> int:
    """Migrate the database `env` names, create the page `uri` there; return its id."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='rejoinder.config.settings';"
        "django.setup(); from django.core.management import call_command;"
        "call_command('migrate', verbosity=0);"
        "from rejoinder.pages.lookup import default_site, ensure_page;"
        f"print(ensure_page(default_site(), {uri!r}).pk)"
    )
    python = str(ROOT / ".venv/bin/python")
    done = subprocess.run(
        [python, "-c", code], env=dict(env), check=True, capture_output=True, text=True
    )
    return int(done.stdout)


def group_pids(group: int) -> list[int]:
    """The processes of a process group (a server started by `served` leads its own)."""
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.getpgid(int(pid)) == group:
                pids.append(int(pid))
        except ProcessLookupError:
            continue
    return pids


@contextmanager
def served(port: int, env: Mapping[str, str], *options: str) -> Iterator[subprocess.Popen[bytes]]:
    """Run `rejoinder serve` on 127.0.0.1:port (with `options`, else `--no-worker`) until the
    block ends; yield its process, the leader of its process group."""
    log = Path(env.get("REJOINDER_DATA_DIR", ".")).joinpath("serve.log").open("ab")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/rejoinder"),
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            *(options or ["--no-worker"]),
        ],
        env=dict(env),
        stdout=subprocess.DEVNULL,
        stderr=log,  # what went wrong, for after a failed run (a pipe nobody reads could block)
        start_new_session=True,
    )
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/counts?uri=/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield server
    finally:
        os.killpg(server.pid, 15)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            print("[bench] the server did not stop within 60 s of SIGTERM: killed", flush=True)
            os.killpg(server.pid, 9)
            server.wait(10)
        log.close()


def wrk(url: str, *, conns: int, duration: int, script: Path | None = None) -> str:
    """Load `url` with wrk (2 threads, latency percentiles on) and return its report."""
    command = ["wrk", "-t2", f"-c{conns}", f"-d{duration}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    return subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout


def latency_ms(report: str, percent: str) -> float:
    """Return one latency percentile ("50", "99") of a wrk report, in milliseconds."""
    value = re.search(rf"{percent}%\s+([\d.]+)(us|ms|s)", report)
    assert value, report
    return float(value.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[value.group(2)]


_POST_LUA = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, '{"uri": "%s", "name": "Bench", "body": "%s comment ' .. n .. ' about the council budget, the bridge and the river, long enough to look like a real comment of a few sentences."}')
end
"""


def post_script(path: Path, uri: str, tag: str = "A") -> Path:
    """Write a wrk script to `path` that posts new top-level comments on `uri`, each body
    unique within this script (`tag` keeps them apart from another wrk's)."""
    path.write_text(_POST_LUA % (uri, tag))
    return path


def figures(report: str) -> dict[str, float]:
    """Rate, p50/p99 latency, requests and non-2xx answers of a wrk report."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", report)
    done = re.search(r"(\d+) requests in", report)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    assert rate, report
    assert done, report
    return {
        "req_per_s": float(rate.group(1)),
        "p50_ms": round(latency_ms(report, "50"), 1),
        "p99_ms": round(latency_ms(report, "99"), 1),
        "requests": int(done.group(1)),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
    }
