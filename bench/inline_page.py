"""Benchmark: the article page with 200 inline comments against the same article with 200 plain ones.

usage: .venv/bin/python bench/inline_page.py [--comments 200] [--duration 10] [--conns 8]
Seeds a throw-away SQLite data directory with the demo article twice, one copy with comments
anchored to passages spread over its text (highlighted in the rendered body), the other with
ordinary comments; serves it with `rejoinder serve --no-worker`, loads each article page with
wrk on loopback and prints one line: both p99 latencies and their ratio (the goal: within 20%).
"""

import argparse
import os
import random
import re
import shutil
import tempfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PORT = 8098

parser = argparse.ArgumentParser()
parser.add_argument("--comments", type=int, default=200)
parser.add_argument("--duration", type=int, default=10)
parser.add_argument("--conns", type=int, default=8)
args = parser.parse_args()

data = Path(tempfile.mkdtemp(prefix="rejoinder-inline-"))
env = {
    **os.environ,
    "REJOINDER_DATA_DIR": str(data),
    "REJOINDER_RATE_LIMITS": "0",
    "REJOINDER_ALLOWED_HOSTS": "127.0.0.1,localhost",
}
os.environ.update(env)
os.environ["DJANGO_SETTINGS_MODULE"] = "rejoinder.config.settings"

import django  # noqa: E402

from local_server import latency_ms, served, wrk  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from rejoinder.comments.identity import commenter_for, issue_reader_token, reader_key_from_token  # noqa: E402
from rejoinder.comments.models import Commenter  # noqa: E402
from rejoinder.comments.posting import post_comment  # noqa: E402
from rejoinder.demo.content import load_content  # noqa: E402
from rejoinder.inline.posting import PassageSelector, post_inline_comment  # noqa: E402
from rejoinder.inline.text import extract_text  # noqa: E402
from rejoinder.pages.models import Article  # noqa: E402
from rejoinder.pages.publishing import save_article  # noqa: E402

ARTICLE = load_content().article


def reader() -> Commenter:
    key = reader_key_from_token(issue_reader_token())
    assert key is not None
    return commenter_for(key)


def publish(slug: str) -> Article:
    return save_article(
        Article(
            slug=slug,
            headline=ARTICLE["headline"],
            standfirst=ARTICLE["standfirst"],
            author_name=ARTICLE["author_name"],
            body=ARTICLE["body"],
            source_line=ARTICLE["source_line"],
        )
    )


call_command("migrate", verbosity=0)
rng = random.Random(1)
inline = publish("inline-comments")
plain = publish("plain-comments")
text = extract_text(inline.body_html)
words = [m.span() for m in re.finditer(r"\S+", text.text)]
for n in range(args.comments):
    body = f"Comment {n} about the council's plan, the car park and the homes it brings."
    first = rng.randrange(len(words) - 8)
    start, end = words[first][0], words[first + rng.randint(1, 7)][1]
    post_inline_comment(
        page=inline.page,
        author=reader(),
        name=f"Reader {n}",
        body=body,
        selector=PassageSelector(exact=text.text[start:end], start=start, end=end),
        moderated=False,
    )
    post_comment(page=plain.page, author=reader(), name=f"Reader {n}", body=body, moderated=False)
connections.close_all()


def p99(path: str) -> float:
    report = wrk(f"http://127.0.0.1:{PORT}{path}", conns=args.conns, duration=args.duration)
    assert "Non-2xx" not in report, report
    return latency_ms(report, "99")


paths = {
    name: article.get_absolute_url() for name, article in (("inline", inline), ("plain", plain))
}
try:
    with served(PORT, env):
        for name, path in paths.items():  # warm the caches, as a live site's are
            html = urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30).read()
            # The inline copy must really carry its highlights, or the comparison means nothing.
            assert (b"data-rj-passage" in html) == (name == "inline"), name
        plain_p99 = p99(paths["plain"])
        inline_p99 = p99(paths["inline"])
finally:
    shutil.rmtree(data, ignore_errors=True)
print(
    f"article page p99, {args.comments} comments, wrk -c{args.conns} -d{args.duration}s: "
    f"inline {inline_p99:.1f} ms, plain {plain_p99:.1f} ms, ratio {inline_p99 / plain_p99:.2f}"
)
