"""Benchmark of the spam classifier: time to score 1,000 comments and to learn 1,000 decisions.

usage: .venv/bin/python bench/spam_score.py [--comments 1000]
Pure Python in this process, no server. Comments are the built-in corpus, cycled and numbered
so that each is a new text. The target is under 1 s per 1,000 scores on one core.
"""

import argparse
import time

from rejoinder.moderation.spam import Signals, load_builtin
from rejoinder.moderation.spam.corpus import labelled_corpus

parser = argparse.ArgumentParser()
parser.add_argument("--comments", type=int, default=1000)
args = parser.parse_args()

corpus = labelled_corpus()
comments = [
    (f"{corpus[i % len(corpus)].text} ({i})", corpus[i % len(corpus)].is_spam)
    for i in range(args.comments)
]
signals = Signals(seconds_to_submit=12.0, recent_posts=1)

started = time.perf_counter()
model = load_builtin()
loaded = time.perf_counter() - started

started = time.perf_counter()
for text, _is_spam in comments:
    model.score(text, signals)
scored = time.perf_counter() - started

started = time.perf_counter()
for text, is_spam in comments:
    model.learn(text, signals, is_spam)
learnt = time.perf_counter() - started

started = time.perf_counter()
size = len(model.to_json())
saved = time.perf_counter() - started

print(f"load built-in model   {loaded * 1000:8.1f} ms")
print(
    f"score {len(comments):>5} comments  {scored * 1000:8.1f} ms  ({scored / len(comments) * 1e6:.0f} us each)"
)
print(f"learn {len(comments):>5} decisions {learnt * 1000:8.1f} ms")
print(f"to_json ({size // 1024} KiB)     {saved * 1000:8.1f} ms")
