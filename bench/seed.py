"""Seed Rejoinder with the peers' shared plan (seedplan.plan()) through its HTTP API.

Pages are publisher-side objects, so they are created with the ORM (ensure_page, titles from
the plan); every comment is then POSTed to /api/v1/comments like the widget does, replies with
`parent` = the id the API returned for the parent. Needs REJOINDER_RATE_LIMITS=0 on the server.
Run with the project's python and the server's REJOINDER_* environment.
usage: seed.py BASE_URL [HARNESS_DIR]   (HARNESS_DIR holds seedplan.py; default /work/shared/peers)
"""

import json
import os
import sys

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8094"
sys.path.insert(0, sys.argv[2] if len(sys.argv) > 2 else "/work/shared/peers")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rejoinder.config.settings")

import django  # noqa: E402

django.setup()
from seedhttp import Client, seed, wait_ready  # noqa: E402
from seedplan import BIG_URI, plan  # noqa: E402

from rejoinder.pages.lookup import default_site, ensure_page  # noqa: E402

site = default_site()
for th in plan():
    ensure_page(site, th["uri"], title=th["title"])
wait_ready(base, "/api/v1/threads?uri=" + BIG_URI)
cl = Client(base)


def post_one(th, c, pid, rid, parent):
    body = {"uri": th["uri"], "name": c["author"], "email": c["email"], "body": c["text"]}
    body["parent"] = pid
    st, raw = cl.request("POST", "/api/v1/comments", body)
    if st != 201:
        raise SystemExit(f"rejoinder POST failed {st}: {raw[:300]!r}")
    return json.loads(raw)["comment"]["id"]


seed(post_one, "rejoinder")
st, raw = cl.request("GET", f"/api/v1/threads?uri={BIG_URI}&limit=all")
j = json.loads(raw)


def count(cs):
    return sum(1 + count(c["replies"]) for c in cs)


top, total = len(j["comments"]), count(j["comments"])
print(f"[seed rejoinder] big thread via API: {st} all={total} top-level={top}", file=sys.stderr)
