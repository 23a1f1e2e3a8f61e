"""The embed's figures, in one run against one `rejoinder serve`:

1. Time from the loader starting to the box shown, on the sample publisher's page with 20
   threads, in Chromium throttled to DevTools' "Fast 3G" (562.5 ms latency, 1.44 Mbit/s down):
   the requests and bytes it took, beside the time the same network needs for one request of
   Isso's (20 KB gzipped) and Remark42's (60 KB) published client sizes.
2. The server's read rate for the embed's box (`/embed/SITE/box?uri=…`, from another origin)
   against the box of Rejoinder's own pages (`/discussion/N/box`), same server and cache (wrk).

    .venv/bin/python bench/embed.py [--duration 10] [--runs 5]

Not a test: it prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
FAST_3G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 180_000,
    "uploadThroughput": 84_375,
}
PUBLISHED_CLIENTS = {"Isso (20 KB gz)": 20_000, "Remark42 (60 KB gz)": 60_000}
THREADS = 20

SEED = """
import django; django.setup()
from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token
from rejoinder.comments.posting import post_comment
from rejoinder.demo.loading import PUBLISHER_PAGE, load_publisher_demo
from rejoinder.pages.models import Page
load_publisher_demo({origin!r})
page = Page.objects.get(uri=PUBLISHER_PAGE)
def reader():
    return commenter_for(reader_key_from_token(issue_reader_token()))
for n in range({threads} - page.comment_count):
    top = post_comment(page=page, author=reader(), name=f"Reader {{n}}", body=f"Thread {{n}}: " + "words " * 30, moderated=False)
    post_comment(page=page, author=reader(), name="Replier", body="A reply.", parent_id=top.pk, moderated=False)
print(page.pk)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def _paint_times(base: str, publisher: str, runs: int) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for _ in range(runs):
            context = browser.new_context()  # a cold cache each time
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", FAST_3G)
            sizes: dict[str, int] = {}
            cdp.on(
                "Network.loadingFinished",
                lambda e, sizes=sizes: sizes.__setitem__(
                    e["requestId"], int(e["encodedDataLength"])
                ),
            )
            urls: dict[str, str] = {}
            cdp.on(
                "Network.requestWillBeSent",
                lambda e, urls=urls: urls.__setitem__(e["requestId"], e["request"]["url"]),
            )
            page.add_init_script(
                "document.addEventListener('rejoinder:ready', () => { window.__ready = performance.now(); }, true);"
            )
            page.goto(f"{publisher}/news/harbour-ferry.html?run={time.monotonic_ns()}")
            page.locator("#rejoinder-thread .rj-comment").first.wait_for(timeout=60_000)
            # The box is shown; `ready` follows once inline feedback is wired too.
            while page.evaluate("window.__ready") is None:
                page.wait_for_timeout(50)
            timing = page.evaluate(
                """(loader) => {
                    const entry = performance.getEntriesByType('resource').find((e) => e.name.startsWith(loader));
                    const box = performance.getEntriesByType('resource').find((e) => e.name.includes('/box?'));
                    return { ready: window.__ready, loaderStart: entry.startTime, loaderEnd: entry.responseEnd, boxEnd: box.responseEnd };
                }""",
                f"{base}/embed.js",
            )
            ours = [rid for rid, url in urls.items() if url.startswith(base)]
            results.append(
                {
                    "from_loader_start_ms": timing["ready"] - timing["loaderStart"],
                    "after_loader_ms": timing["ready"] - timing["loaderEnd"],
                    "box_html_arrived_ms": timing["boxEnd"] - timing["loaderStart"],
                    "requests": len(ours),
                    "bytes": sum(sizes.get(rid, 0) for rid in ours),
                    "threads_shown": page.locator(
                        "#rejoinder-thread .rj-thread > .rj-comment"
                    ).count(),
                }
            )
            context.close()
        browser.close()
    return results


def _wrk(url: str, duration: int, connections: int, origin: str | None) -> float:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", url]
    if origin:
        command[1:1] = ["-H", f"Origin: {origin}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert found, out
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if refused:
        raise SystemExit(f"{url}: {refused.group(1)} answers were not 2xx\n{out}")
    return float(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="rejoinder-embed-bench-"))
    port, publisher_port = _free_port(), _free_port()
    base, publisher = f"http://127.0.0.1:{port}", f"http://localhost:{publisher_port}"
    env = {
        **os.environ,
        "REJOINDER_DATA_DIR": str(data),
        "REJOINDER_RATE_LIMITS": "0",
        # wrk's connections all come from one address: lift the per-address bound on requests
        # in flight, or most answers at c64 would be 429s.
        "REJOINDER_REQUESTS_PER_ADDRESS": "1000",
        "REJOINDER_PUBLIC_URL": base,
        "REJOINDER_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REJOINDER_SECRET_KEY": "embed-benchmark-" + "k" * 48,
        "DJANGO_SETTINGS_MODULE": "rejoinder.config.settings",
    }
    subprocess.run([BIN / "rejoinder", "manage", "migrate", "-v0"], env=env, check=True)
    seeded = subprocess.run(
        [BIN / "python", "-c", SEED.format(origin=publisher, threads=THREADS)],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    page_id = int(seeded.stdout.strip().splitlines()[-1])
    server = subprocess.Popen(
        [BIN / "rejoinder", "serve", "--bind", f"127.0.0.1:{port}", "--no-worker"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    sys.path.insert(0, str(ROOT / "src"))
    from rejoinder.demo.publisher import publisher_server

    site = publisher_server(publisher_port, base, 1)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        _wait(f"{base}/embed.js")
        runs = _paint_times(base, publisher, args.runs)
        box = f"{base}/discussion/{page_id}/box"
        embed_box = f"{base}/embed/1/box?uri=%2Fnews%2Fharbour-ferry.html"
        rates = {}
        for connections in (16, 64):
            _wrk(box, 2, connections, None)  # warm the cache of every worker
            rates[connections] = {
                "box": _wrk(box, args.duration, connections, None),
                "embed_box": _wrk(embed_box, args.duration, connections, publisher),
            }
    finally:
        server.terminate()
        server.wait(30)
        site.shutdown()
    report = {
        "threads": THREADS,
        "fast_3g": FAST_3G,
        "runs": runs,
        "median_from_loader_start_ms": statistics.median(r["from_loader_start_ms"] for r in runs),
        "median_after_loader_ms": statistics.median(r["after_loader_ms"] for r in runs),
        "published_clients_one_request_ms": {
            name: round(FAST_3G["latency"] + 1000 * size / FAST_3G["downloadThroughput"], 1)
            for name, size in PUBLISHED_CLIENTS.items()
        },
        "reads_per_second": rates,
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
