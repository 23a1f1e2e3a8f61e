"""`rejoinder demo` on another port: the links it prints and the pages it serves name that port."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from tests.servers import free_port

pytestmark = pytest.mark.processes  # starts `rejoinder demo`


def test_the_demo_served_on_another_port_links_to_that_port(tmp_path: Path) -> None:
    port, mail_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REJOINDER_")}
    env["REJOINDER_DATA_DIR"] = str(tmp_path)  # SQLite, as `make demo` runs
    # As if behind a proxy: `rejoinder serve` would refuse to run with the loopback public URL
    # the demo chooses (config/checks.py); the demo does not run those checks.
    env["REJOINDER_TRUSTED_PROXIES"] = "127.0.0.1"
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "rejoinder",
            "demo",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--no-worker",
            "--mail-port",
            str(mail_port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert process.stdout is not None
        printed = ""
        deadline = time.monotonic() + 120
        while "API docs" not in printed and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            printed += line
        article = next(
            w
            for line in printed.splitlines()
            if "article:" in line
            for w in line.split()
            if w.startswith("http")
        )
        assert article.startswith(f"{base}/articles/"), printed
        for _ in range(100):
            try:
                with urllib.request.urlopen(article, timeout=5) as response:  # noqa: S310
                    html = response.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert f'<link rel="canonical" href="{article}"' in html
        assert "http://127.0.0.1:8000" not in html
    finally:
        process.terminate()
        process.wait(timeout=30)
