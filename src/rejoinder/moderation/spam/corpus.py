"""The built-in labelled corpus (`corpus.csv` beside this module), read and split.

Comments as a news site's discussion gets them, written for Rejoinder, nothing downloaded. One
row per comment: `label` (`ham` or `spam`), `origin` and `text`. The hand-written core carries
the variety that matters: agreement and disagreement, rude but legitimate criticism, questions,
corrections, links to real sources, one-word replies, names from many languages, a few
comments in other languages, and legitimate comments that talk *about* loans, crypto, casinos,
pharmacies or working from home. Spam covers SEO links, crypto and forex, loans, work from
home, fake pharmacies, adult-ish come-ons, recovery scams, obfuscated spellings, link-only
posts, junk and "message me on Telegram". The `templated` rows add volume around that core;
they were generated once from sentence templates and are kept as written.

The model is built from it by `scripts/train_spam_model.py`, outside the package: a running
server only reads the trained `model.json`. The split into training and held-out comments is
by a hash of each text, so it never changes when comments are added elsewhere in the corpus.
"""

from __future__ import annotations

import csv
import hashlib
import io
from functools import cache
from importlib import resources

from rejoinder.moderation.spam.classifier import Example

_LABELS = {"ham": False, "spam": True}
_ORIGINS = {"hand-written", "templated"}


@cache
def _rows() -> tuple[tuple[str, bool, str], ...]:
    text = (resources.files(__package__) / "corpus.csv").read_text(encoding="utf-8")
    rows = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text, newline="")), start=2):
        if row["label"] not in _LABELS or row["origin"] not in _ORIGINS or not row["text"]:
            raise ValueError(f"corpus.csv, line {line}: not a labelled comment: {row!r}")
        rows.append((row["text"], _LABELS[row["label"]], row["origin"]))
    return tuple(rows)


def labelled_corpus() -> list[Example]:
    """Return the whole corpus in its file's order (training depends on the order)."""
    return [Example(text, is_spam) for text, is_spam, _origin in _rows()]


def is_held_out(text: str) -> bool:
    """Tell whether a comment belongs to the held-out quarter of the corpus."""
    return hashlib.sha256(text.encode()).digest()[0] % 4 == 0


def split_corpus() -> tuple[list[Example], list[Example]]:
    """Split the corpus into training (about 75%) and held-out examples, the same every time."""
    corpus = labelled_corpus()
    return (
        [example for example in corpus if not is_held_out(example.text)],
        [example for example in corpus if is_held_out(example.text)],
    )


def is_hand_written(text: str) -> bool:
    """Tell whether a comment is one of the hand-written core rather than templated."""
    return text in _hand_written()


@cache
def _hand_written() -> frozenset[str]:
    return frozenset(text for text, _is_spam, origin in _rows() if origin == "hand-written")
