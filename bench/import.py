"""Import and export speed on a generated Disqus export (docs: bench/RESULTS.md).

    .venv/bin/python bench/import.py [--comments 1000000] [--threads 10000] [--keep DIR]

Writes a Disqus export of made-up comments (a third are replies, some to parents listed
later, some deleted or spam), imports it with `rejoinder import disqus` into a fresh SQLite
database in a child process, then exports the site as JSON Lines, and prints comments per
second and each process's peak memory (its maximum resident set size).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "harbour",
    "ferry",
    "council",
    "timetable",
    "bus",
    "night",
    "vote",
    "budget",
    "school",
    "road",
    "bridge",
    "market",
    "fish",
    "weather",
    "storm",
    "pier",
    "wall",
    "lighthouse",
    "library",
    "park",
    "festival",
    "tram",
    "ticket",
    "price",
    "rent",
]


def generate(path: Path, comments: int, threads: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
            'xmlns:dsq="http://disqus.com/disqus-internals">\n'
        )
        for t in range(threads):
            out.write(
                f'<thread dsq:id="{t + 1}"><id /><forum>bench</forum>'
                f"<link>https://bench.example.org/articles/{t + 1}/</link>"
                f"<title>Article {t + 1}</title><createdAt>2020-01-01T00:00:00Z</createdAt>"
                "<isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n"
            )
        per_thread: dict[int, list[int]] = {}
        for c in range(comments):
            post = 10_000_000 + c
            thread = rng.randrange(threads) + 1
            earlier = per_thread.setdefault(thread, [])
            parent = ""
            if earlier and rng.random() < 0.33:
                parent = f'<parent dsq:id="{rng.choice(earlier[-50:])}" />'
            if rng.random() < 0.01 and c + 1 < comments:
                parent = f'<parent dsq:id="{post + 1}" />'  # a parent listed later
            earlier.append(post)
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(8, 60)))
            deleted = "true" if rng.random() < 0.02 else "false"
            spam = "true" if rng.random() < 0.01 else "false"
            user = rng.randrange(comments // 20 + 1)
            out.write(
                f'<post dsq:id="{post}"><id /><message><![CDATA[<p>{text}</p><p>'
                f'<a href="https://example.net/{c}">a link</a> &amp; <b>more</b></p>]]></message>'
                f"<createdAt>2020-0{1 + c % 9}-1{c % 10}T{c % 24:02d}:00:00Z</createdAt>"
                f"<isDeleted>{deleted}</isDeleted><isSpam>{spam}</isSpam><author>"
                f"<name>Reader {user}</name><isAnonymous>false</isAnonymous>"
                f"<username>reader{user}</username></author><ipAddress>198.51.100.{c % 250}"
                f'</ipAddress><thread dsq:id="{thread}" />{parent}</post>\n'
            )
        out.write("</disqus>\n")


def _child(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run `rejoinder …`; return seconds, the child's peak RSS in MiB, and its output."""
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(
        [sys.executable, "-m", "rejoinder", *args], env=env, capture_output=True, text=True
    )
    seconds = time.monotonic() - started
    if done.returncode:
        raise SystemExit(f"rejoinder {' '.join(args)} failed:\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024, done.stdout + done.stderr


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="keep the files in this directory")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="rejoinder-bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    export = work / "disqus.xml"
    started = time.monotonic()
    generate(export, args.comments, args.threads)
    print(
        f"generated {args.comments} comments over {args.threads} threads: "
        f"{export.stat().st_size / 2**20:.0f} MiB in {time.monotonic() - started:.0f} s"
    )
    env = {**os.environ, "REJOINDER_DATA_DIR": str(work / "data")}
    env.pop("REJOINDER_DATABASE_URL", None)
    _child(["manage", "migrate", "-v0"], env)
    _child(
        [
            "manage",
            "shell",
            "-c",
            "from rejoinder.pages.models import Site; "
            "Site.objects.create(name='Bench', domain='bench.example.org')",
        ],
        env,
    )
    seconds, peak, output = _child(
        [
            "import",
            "disqus",
            str(export),
            "--site",
            "bench.example.org",
            "--report",
            str(work / "report.json"),
        ],
        env,
    )
    print(output.strip())
    print(
        f"import: {args.comments} comments in {seconds:.0f} s = "
        f"{args.comments / seconds:,.0f} comments/s, peak memory {peak:.0f} MiB"
    )
    out = work / "export.jsonl"
    seconds, peak, _output = _child(
        ["export", "--site", "bench.example.org", "--output", str(out)], env
    )
    print(
        f"export: {args.comments} comments in {seconds:.0f} s = "
        f"{args.comments / seconds:,.0f} comments/s, peak memory {peak:.0f} MiB, "
        f"{out.stat().st_size / 2**20:.0f} MiB"
    )


if __name__ == "__main__":
    main()
