"""One machine against two: the read and POST rates of one `rejoinder serve`, then of two
sharing one database and one Redis (each loaded with half the connections, at the same time).

This machine has 2 cores, so a second server adds no CPU: the point is that two servers lose
nothing and keep the rates, not a speed-up. Every acknowledged POST is checked against the
database. Not a timed test:
    .venv/bin/python bench/machines.py                             # one SQLite file both open
    scripts/with-postgres .venv/bin/python bench/machines.py       # PostgreSQL
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from local_server import ROOT, figures, post_script, served, wrk

READ, WRITE = "/bench/machines/read/", "/bench/machines/write/"
DJANGO = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='rejoinder.config.settings';"
    "django.setup();"
)
SETUP = (
    DJANGO + "from django.core.management import call_command;"
    "call_command('migrate', verbosity=0);"
    "from rejoinder.comments.identity import commenter_for, issue_reader_token,"
    " reader_key_from_token;"
    "from rejoinder.comments.posting import post_comment;"
    "from rejoinder.pages.lookup import default_site, ensure_page;"
    f"read = ensure_page(default_site(), {READ!r}); ensure_page(default_site(), {WRITE!r});"
    "[post_comment(page=read, author=commenter_for(reader_key_from_token(issue_reader_token())),"
    " name='Reader', body=f'Comment {n} on the story') for n in range(20)]"
)
STORED = (
    DJANGO + "from rejoinder.comments.models import Comment;"
    f"print(Comment.objects.filter(page__uri={WRITE!r}).count())"
)


def _python(code: str, env: Mapping[str, str]) -> str:
    python = str(ROOT / ".venv/bin/python")
    done = subprocess.run([python, "-c", code], env=dict(env), check=True, capture_output=True)
    return done.stdout.decode().strip()


def _load(ports: list[int], conns: int, duration: int, data: Path, kind: str) -> dict:
    """Load the servers at once, `conns` connections split between them; the summed rate."""

    def one(port: int) -> dict[str, float]:
        if kind == "read":
            url, script = f"http://127.0.0.1:{port}/api/v1/threads?uri={READ}", None
        else:
            url = f"http://127.0.0.1:{port}/api/v1/comments"
            script = post_script(data / f"post-{port}.lua", WRITE, tag=f"{port}x{len(ports)}")
        return figures(wrk(url, conns=conns // len(ports), duration=duration, script=script))

    with ThreadPoolExecutor(len(ports)) as pool:
        each = list(pool.map(one, ports))
    return {
        "req_per_s": round(sum(f["req_per_s"] for f in each), 1),
        "p99_ms": max(f["p99_ms"] for f in each),
        "acknowledged": sum(int(f["requests"] - f["non_2xx"]) for f in each),
        "non_2xx": sum(int(f["non_2xx"]) for f in each),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--conns", type=int, default=64)
    parser.add_argument("--port", type=int, default=8770)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        data = Path(tmp)
        redis_port = args.port + 10
        redis = subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        stack.callback(redis.wait, 10)
        stack.callback(redis.terminate)
        time.sleep(0.5)
        env = {
            **os.environ,
            "REJOINDER_DATA_DIR": tmp,
            "REJOINDER_RATE_LIMITS": "0",
            "REJOINDER_REQUESTS_PER_ADDRESS": "1000",  # wrk's connections all come from here
            "REJOINDER_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        }
        _python(SETUP, env)
        results: dict[str, object] = {
            "database": "postgresql" if "REJOINDER_DATABASE_URL" in os.environ else "sqlite",
            "conns": args.conns,
            "duration_s": args.duration,
            "load_before": os.getloadavg()[0],
        }
        for servers in (1, 2):
            ports = [args.port + n for n in range(servers)]
            with ExitStack() as running:
                for port in ports:
                    running.enter_context(served(port, env))
                stored_before = int(_python(STORED, env))
                for kind in ("read", "post"):
                    results[f"{kind}_{servers}"] = _load(
                        ports, args.conns, args.duration, data, kind
                    )
                time.sleep(1)  # the last POSTs wrk gave up on may still commit
                posted = results[f"post_{servers}"]
                assert isinstance(posted, dict)
                posted["stored"] = int(_python(STORED, env)) - stored_before
                posted["lost"] = max(0, posted["acknowledged"] - posted["stored"])
        results["load_after"] = os.getloadavg()[0]
        print(json.dumps(results))


if __name__ == "__main__":
    main()
