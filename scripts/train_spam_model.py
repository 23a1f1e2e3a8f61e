"""Regenerate the built-in spam model from the corpus and report how it does on held-out comments.

usage: .venv/bin/python scripts/train_spam_model.py [--check]

Trains on the training part of the corpus only (rejoinder/moderation/spam/corpus.csv), so that
the held-out figures printed here (and asserted by tests/moderation/test_spam_classifier.py)
measure comments the model never saw, and writes rejoinder/moderation/spam/model.json.
`--check` writes nothing and fails when model.json is not what training produces.

A script rather than part of the package: training needs no Django and no database, and its
output is committed; a server never retrains the built-in model (each site's copy learns from
its moderators), so operators have no use for it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import rejoinder.moderation.spam as spam_package
from rejoinder.moderation.spam.classifier import (
    QUEUE_THRESHOLD,
    REJECT_THRESHOLD,
    Example,
    SpamModel,
    train,
)
from rejoinder.moderation.spam.corpus import is_hand_written, split_corpus

MODEL_PATH = Path(spam_package.__file__).with_name("model.json")


@dataclass(frozen=True, slots=True)
class Measurement:
    """How a model's verdicts at one threshold compare with the labels."""

    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        spam = self.true_positives + self.false_negatives
        return self.true_positives / spam if spam else 1.0

    def __str__(self) -> str:
        return (
            f"at {self.threshold:.2f}: precision {self.precision:.3f}, recall {self.recall:.3f} "
            f"({self.true_positives} spam caught, {self.false_negatives} missed, "
            f"{self.false_positives} of {self.false_positives + self.true_negatives} ham flagged)"
        )


def measure(model: SpamModel, examples: Iterable[Example], *, threshold: float) -> Measurement:
    """Count the model's hits and misses on labelled examples, flagging at `threshold`."""
    counts = [0, 0, 0, 0]
    for example in examples:
        flagged = model.score(example.text, example.signals) >= threshold
        counts[(0 if flagged else 2) + (0 if example.is_spam else 1)] += 1
    true_positives, false_positives, false_negatives, true_negatives = counts
    return Measurement(threshold, true_positives, false_positives, false_negatives, true_negatives)


def build_builtin() -> SpamModel:
    """Train the built-in model on the training part of the corpus."""
    training, _held_out = split_corpus()
    return train(training)


def report(model: SpamModel) -> list[str]:
    """Describe the corpus and the model's held-out precision and recall, one line each."""
    training, held_out = split_corpus()
    hand_written = [example for example in held_out if is_hand_written(example.text)]
    spam = sum(example.is_spam for example in [*training, *held_out])
    lines = [
        f"corpus: {len(training) + len(held_out)} comments ({spam} spam), "
        f"{len(training)} for training, {len(held_out)} held out "
        f"({sum(e.is_spam for e in held_out)} spam, {len(hand_written)} hand-written)",
    ]
    for threshold in (QUEUE_THRESHOLD, REJECT_THRESHOLD):
        lines.append(f"held out {measure(model, held_out, threshold=threshold)}")
        lines.append(f"  hand-written only {measure(model, hand_written, threshold=threshold)}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="fail if model.json is stale")
    args = parser.parse_args(argv)
    model = build_builtin()
    text = model.to_json() + "\n"
    if args.check:
        current = MODEL_PATH.read_text(encoding="utf-8") if MODEL_PATH.exists() else ""
        if current != text:
            sys.stderr.write(f"{MODEL_PATH} is stale: run scripts/train_spam_model.py\n")
            return 1
    else:
        MODEL_PATH.write_text(text, encoding="utf-8")
    sys.stdout.write("\n".join(report(model)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
