"""Import and export speed on a generated Disqus export (docs: bench/RESULTS.md).

    .venv/bin/python bench/import.py [--comments 1000000] [--threads 10000] [--keep DIR]
                                     [--isso N] [--isso-bin PATH]

Writes a Disqus export of made-up comments (a third are replies, some to parents listed
later, some deleted or spam), imports it with `rejoinder import disqus` into a fresh SQLite
database in a child process, then exports the site in each format (JSON Lines, WXR, Disqus),
and prints comments per second and each process's peak memory (its maximum resident set
size, from its own rusage when it ends).

With `--isso N` (and Isso installed: `make bench` puts it in $PEERS_DIR/isso/venv), a
second file of N comments is imported by `isso import` and by Rejoinder, one after the other,
for a same-size comparison.
"""

from __future__ import annotations

import argparse
import os
import random
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


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command; return seconds, its own peak RSS in MiB, and its output.

    The peak comes from wait4 on this very process: RUSAGE_CHILDREN would be the largest of
    every child so far, so an export would be charged with the import's peak.
    """
    started = time.monotonic()
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{text}")
    return seconds, usage.ru_maxrss / 1024, text


def _child(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run `rejoinder …` (see `_run`)."""
    return _run([sys.executable, "-m", "rejoinder", *args], env)


def _rate(what: str, comments: int, seconds: float, peak: float, extra: str = "") -> None:
    print(
        f"{what}: {comments:,} comments in {seconds:.0f} s = {comments / seconds:,.0f} "
        f"comments/s, peak memory {peak:.0f} MiB{extra}"
    )


def _env(work: Path) -> dict[str, str]:
    env = {**os.environ, "REJOINDER_DATA_DIR": str(work / "data")}
    env.pop("REJOINDER_DATABASE_URL", None)
    return env


def _rejoinder_import(work: Path, export: Path) -> tuple[float, float, str]:
    """Import `export` into a fresh SQLite database under `work`."""
    env = _env(work)
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
    report = ["--report", str(work / "report.json")]
    return _child(["import", "disqus", str(export), "--site", "bench.example.org", *report], env)


def _isso_import(isso: Path, work: Path, export: Path) -> tuple[float, float, str]:
    """Import `export` with Isso's own importer into a fresh Isso database."""
    work.mkdir(parents=True, exist_ok=True)
    config = work / "isso.cfg"
    config.write_text(
        f"[general]\ndbpath = {work / 'comments.db'}\nhost = https://bench.example.org/\n",
        encoding="utf-8",
    )
    command = [str(isso), "-c", str(config), "import", "--empty-id", str(export)]
    return _run(command, dict(os.environ))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="keep the files in this directory")
    parser.add_argument("--isso", type=int, default=0, help="also compare with Isso on N")
    peers = Path(os.environ.get("PEERS_DIR") or Path(tempfile.gettempdir()) / "peers")
    parser.add_argument("--isso-bin", type=Path, default=peers / "isso/venv/bin/isso")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="rejoinder-bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.isso and not args.isso_bin.exists():
        raise SystemExit(f"{args.isso_bin} not found: install the peers, or give --isso-bin")
    export = work / "disqus.xml"
    started = time.monotonic()
    generate(export, args.comments, args.threads)
    print(
        f"generated {args.comments} comments over {args.threads} threads: "
        f"{export.stat().st_size / 2**20:.0f} MiB in {time.monotonic() - started:.0f} s"
    )
    seconds, peak, output = _rejoinder_import(work, export)
    print(output.strip())
    _rate("import", args.comments, seconds, peak)
    for format_name, suffix in (("jsonl", "jsonl"), ("wxr", "xml"), ("disqus", "xml")):
        out = work / f"export-{format_name}.{suffix}"
        command = ["export", "--site", "bench.example.org", "--format", format_name]
        seconds, peak, _output = _child([*command, "--output", str(out)], _env(work))
        size = f", {out.stat().st_size / 2**20:.0f} MiB"
        _rate(f"export {format_name}", args.comments, seconds, peak, size)
        out.unlink()
    if args.isso:
        small = work / f"disqus-{args.isso}.xml"
        generate(small, args.isso, max(1, args.isso // 100))
        seconds, peak, output = _isso_import(args.isso_bin, work / "isso", small)
        _rate("isso import", args.isso, seconds, peak)
        print("  " + output.strip()[-400:].replace("\n", "\n  "))
        seconds, peak, _output = _rejoinder_import(work / "same-size", small)
        _rate("rejoinder import, same file", args.isso, seconds, peak)


if __name__ == "__main__":
    main()
