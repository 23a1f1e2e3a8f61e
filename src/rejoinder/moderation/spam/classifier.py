"""Score comments for spam with a naive Bayes model that learns from moderator decisions.

Two kinds of evidence add up, in log-odds:

* **The text** — a binarised multinomial naive Bayes over the tokens `read_text` finds (words,
  link domains, markers such as `#phone` or `#obfuscated`), Laplace-smoothed, then
  calibrated with one slope and intercept fitted on out-of-fold scores (naive Bayes is
  overconfident on its own) and clipped, so that no wording outweighs a filled honeypot.
* **The context** the caller knows and the text does not (`Signals`): a filled honeypot,
  a very fast submit, posting velocity, the same body seen recently, a published history.
  Each is a categorical feature whose class-conditional frequencies start from stated priors
  (see `_CONTEXT_PRIORS`) and move towards what this site's decisions show.

Everything the model knows is counts, so `learn` and `unlearn` are exact and
order-independent: a model that learnt A then B serialises identically to one that learnt
B then A, and unlearning a decision restores the model that existed before it. (The text
calibration is fitted once, by `train`; `learn` leaves it alone.) Scoring is deterministic
and local; no text leaves the process.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from rejoinder.moderation.spam.features import TextReading, read_text

FORMAT = "rejoinder-spam/1"

# Suggested thresholds, chosen on out-of-fold scores of the training comments (5-fold
# cross-validation, repeated over 4 shufflings) and then checked on the held-out ones. On
# out-of-fold text alone, QUEUE held 94% of spam and 2.5% of legitimate comments, REJECT
# refused 74% of spam and 1 legitimate comment in 868. Signals push bots well past REJECT.
# `scripts/train_spam_model.py` prints the held-out figures.
QUEUE_THRESHOLD = 0.5
REJECT_THRESHOLD = 0.99

# How many decisions' worth of weight the stated priors of the context signals carry: after
# about this many decisions with known signals, this site's own figures count as much.
PRIOR_WEIGHT = 50.0
# Largest share of the log-odds the text alone can contribute, either way.
TEXT_CLIP = 6.0

# name: (P(bin | spam), P(bin | ham)), bins as `_context_bins` numbers them. Bin 0 is the
# ordinary value, which is no evidence either way; the other bins count by how much likelier
# they are in spam than in ham, relative to bin 0. The figures are judgement, not measurement
# (the corpus holds text only), sized so that the strongest signals decide alone: a filled
# honeypot is about +10.7 in log-odds (more than the text can say either way), a submit
# under 2 s after the form rendered +4.2, the same body seen twice before +4.4.
_CONTEXT_PRIORS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    # empty, filled. Humans do not see the field. If some browser's autofill fills it
    # anyway, approving those comments teaches the model so.
    "honeypot": ((0.7, 0.3), (0.99999, 0.00001)),
    # 15 s or more, 5-15 s, 2-5 s, under 2 s. Reading and typing take time; bots post at once.
    "time_to_submit": ((0.35, 0.15, 0.2, 0.3), (0.79, 0.14, 0.06, 0.01)),
    # 0-2, 3-5, 6-10, 11 or more comments by this reader or IP in the last hour. Shared IPs
    # (offices, mobile carriers) make a few legitimate bursts.
    "velocity": ((0.5, 0.2, 0.15, 0.15), (0.93, 0.05, 0.015, 0.005)),
    # 0, 1, 2 or more times the same body was seen recently; readers double-click Post.
    "repeated": ((0.6, 0.15, 0.25), (0.98, 0.015, 0.005)),
    # 0, 1-4, 5 or more earlier comments by this commenter that stayed published.
    "history": ((0.9, 0.08, 0.02), (0.5, 0.3, 0.2)),
}


@dataclass(frozen=True, slots=True)
class Signals:
    """What the caller knows about a comment beyond its text."""

    links: int | None = None  # links in the comment; None: count them in the text
    repeated: int = 0  # times the same body was seen recently (a bool works: True is 1)
    recent_posts: int = 0  # comments by this reader or IP in the last hour, this one excluded
    honeypot_filled: bool = False
    seconds_to_submit: float | None = None  # form render to submit; None: unknown (API)
    published_before: int = 0  # this commenter's earlier comments that stayed published


@dataclass(frozen=True, slots=True)
class Example:
    """A labelled comment: the built-in corpus's, or a moderator's decision."""

    text: str
    is_spam: bool
    signals: Signals | None = None  # None: not known, so the context priors are left alone


def _context_bins(signals: Signals) -> dict[str, int]:
    recent, seen = signals.recent_posts, signals.repeated
    bins = {
        "honeypot": int(signals.honeypot_filled),
        "velocity": 0 if recent <= 2 else 1 if recent <= 5 else 2 if recent <= 10 else 3,
        "repeated": min(int(seen), 2),
        "history": 0 if signals.published_before <= 0 else 1 if signals.published_before < 5 else 2,
    }
    seconds = signals.seconds_to_submit
    if seconds is not None:
        bins["time_to_submit"] = (
            0 if seconds >= 15 else 1 if seconds >= 5 else 2 if seconds >= 2 else 3
        )
    return bins


@dataclass(slots=True)
class _ContextFeature:
    prior_spam: tuple[float, ...]
    prior_ham: tuple[float, ...]
    spam: list[int]
    ham: list[int]

    def log_odds(self, bin_: int, weight: float) -> float:
        def log_p(prior: Sequence[float], counts: Sequence[int], i: int) -> float:
            return math.log((weight * prior[i] + counts[i]) / (weight + sum(counts)))

        def log_ratio(i: int) -> float:
            return log_p(self.prior_spam, self.spam, i) - log_p(self.prior_ham, self.ham, i)

        return log_ratio(bin_) - log_ratio(0)


@dataclass(slots=True)
class SpamModel:
    """A spam classifier's state: token counts, calibration and context-signal counts.

    Mutable through `learn` and `unlearn` only; callers that share one model between
    processes must serialise those updates (store `to_json()` and reload).
    """

    tokens: dict[str, list[int]] = field(default_factory=dict)  # token: [spam docs, ham docs]
    token_totals: list[int] = field(default_factory=lambda: [0, 0])  # sum of the counts above
    docs: list[int] = field(default_factory=lambda: [0, 0])  # [spam, ham] documents learnt
    alpha: float = 1.0  # Laplace smoothing of the token counts
    slope: float = 1.0
    intercept: float = 0.0
    context: dict[str, _ContextFeature] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, (prior_spam, prior_ham) in _CONTEXT_PRIORS.items():
            if name not in self.context:
                zeros = [0] * len(prior_spam)
                self.context[name] = _ContextFeature(prior_spam, prior_ham, zeros, list(zeros))

    def score(self, text: str, signals: Signals | None = None) -> float:
        """Return the probability, in [0, 1], that the comment is spam."""
        signals = signals or Signals()
        return self.score_reading(read_text(text, links=signals.links), signals)

    def score_reading(self, reading: TextReading, signals: Signals) -> float:
        """Score a text already read (`read_text`) whose link count `signals.links` repeats."""
        return _sigmoid(
            self._text_log_odds(reading.tokens) + sum(self._context_log_odds(signals).values())
        )

    def learn(self, text: str, signals: Signals | None, is_spam: bool) -> None:
        """Count one decision: approve means ham, spam or remove means spam.

        `signals` are those the comment had when it was posted; None when unknown (an
        imported comment), which leaves the context counts alone.
        """
        self._count(_reading(text, signals), is_spam, +1)

    def unlearn(self, text: str, signals: Signals | None, is_spam: bool) -> None:
        """Take back a decision learnt with the same arguments (a moderator reversed it).

        Raises ValueError, changing nothing, when the counts show it was never learnt.
        """
        self._count(_reading(text, signals), is_spam, -1)

    def to_json(self) -> str:
        """Serialise the model; `from_json` reads it back into an identical model."""
        state: dict[str, Any] = {
            "format": FORMAT,
            "alpha": self.alpha,
            "slope": self.slope,
            "intercept": self.intercept,
            "docs": self.docs,
            "token_totals": self.token_totals,
            "tokens": self.tokens,
            "context": {
                name: {
                    "prior_spam": feature.prior_spam,
                    "prior_ham": feature.prior_ham,
                    "spam": feature.spam,
                    "ham": feature.ham,
                }
                for name, feature in self.context.items()
            },
        }
        return json.dumps(state, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> SpamModel:
        """Read a model written by `to_json`; raise ValueError on any other format."""
        state = json.loads(text)
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model")
        return cls(
            tokens={token: [int(s), int(h)] for token, (s, h) in state["tokens"].items()},
            token_totals=[int(n) for n in state["token_totals"]],
            docs=[int(n) for n in state["docs"]],
            alpha=float(state["alpha"]),
            slope=float(state["slope"]),
            intercept=float(state["intercept"]),
            context={
                name: _ContextFeature(
                    tuple(float(p) for p in feature["prior_spam"]),
                    tuple(float(p) for p in feature["prior_ham"]),
                    [int(n) for n in feature["spam"]],
                    [int(n) for n in feature["ham"]],
                )
                for name, feature in state["context"].items()
            },
        )

    def _token_log_odds(self, token: str) -> float:
        spam, ham = self.tokens[token]
        vocabulary = self.alpha * len(self.tokens)
        return (
            math.log(spam + self.alpha)
            - math.log(ham + self.alpha)
            + math.log(self.token_totals[1] + vocabulary)
            - math.log(self.token_totals[0] + vocabulary)
        )

    def _raw_text_log_odds(self, tokens: Iterable[str]) -> float:
        return sum(self._token_log_odds(token) for token in tokens if token in self.tokens)

    def _text_log_odds(self, tokens: Iterable[str]) -> float:
        calibrated = self.intercept + self.slope * self._raw_text_log_odds(tokens)
        return max(-TEXT_CLIP, min(TEXT_CLIP, calibrated))

    def _context_log_odds(self, signals: Signals) -> dict[str, float]:
        return {
            name: self.context[name].log_odds(bin_, PRIOR_WEIGHT)
            for name, bin_ in _context_bins(signals).items()
        }

    def _count(self, reading: _Reading, is_spam: bool, step: int) -> None:
        column = 0 if is_spam else 1
        tokens, bins = reading
        if step < 0 and (
            self.docs[column] < 1
            or any(self.tokens.get(token, (0, 0))[column] < 1 for token in tokens)
            or any(self._context_counts(name, is_spam)[bin_] < 1 for name, bin_ in bins.items())
        ):
            raise ValueError("this decision was not learnt")
        self.docs[column] += step
        self.token_totals[column] += step * len(tokens)
        for token in tokens:
            counts = self.tokens.setdefault(token, [0, 0])
            counts[column] += step
            if counts == [0, 0]:
                del self.tokens[token]
        for name, bin_ in bins.items():
            self._context_counts(name, is_spam)[bin_] += step

    def _context_counts(self, name: str, is_spam: bool) -> list[int]:
        feature = self.context[name]
        return feature.spam if is_spam else feature.ham


_Reading = tuple[tuple[str, ...], dict[str, int]]


def _reading(text: str, signals: Signals | None) -> _Reading:
    tokens = read_text(text, links=signals.links if signals else None).tokens
    return tokens, _context_bins(signals) if signals else {}


def train(examples: Iterable[Example], *, alpha: float = 1.0, folds: int = 5) -> SpamModel:
    """Fit a model on labelled examples: token counts, then the text calibration.

    The calibration is fitted on out-of-fold scores (each example scored by a model that did
    not see it, folds taken by position), so it reflects how the counts do on new text.
    Deterministic: the same examples in the same order give the same model.
    """
    examples = list(examples)
    readings = [_reading(example.text, example.signals) for example in examples]
    held_out_scores: list[float] = []
    labels: list[bool] = []
    for fold in range(folds):
        partial = SpamModel(alpha=alpha)
        for i, (example, reading) in enumerate(zip(examples, readings, strict=True)):
            if i % folds != fold:
                partial._count(reading, example.is_spam, +1)
        for example, (tokens, _bins) in zip(
            examples[fold::folds], readings[fold::folds], strict=True
        ):
            held_out_scores.append(partial._raw_text_log_odds(tokens))
            labels.append(example.is_spam)
    slope, intercept = _fit_calibration(held_out_scores, labels)
    model = SpamModel(alpha=alpha, slope=slope, intercept=intercept)
    for example, reading in zip(examples, readings, strict=True):
        model._count(reading, example.is_spam, +1)
    return model


def _fit_calibration(scores: Sequence[float], labels: Sequence[bool]) -> tuple[float, float]:
    """Fit p = sigmoid(slope * score + intercept), lightly ridged, by damped Newton steps."""
    ridge = 1.0  # pulls the slope towards 1 and the intercept towards 0 on separable data

    def loss(slope: float, intercept: float) -> float:
        total = ridge / 2 * ((slope - 1.0) ** 2 + intercept**2)
        for x, y in zip(scores, labels, strict=True):
            z = slope * x + intercept
            total += _log1p_exp(-z if y else z)
        return total

    slope, intercept = 1.0, 0.0
    current = loss(slope, intercept)
    for _ in range(100):
        g_s, g_i = ridge * (slope - 1.0), ridge * intercept
        h_ss, h_si, h_ii = ridge, 0.0, ridge
        for x, y in zip(scores, labels, strict=True):
            p = _sigmoid(slope * x + intercept)
            w = p * (1 - p)
            g_s += (p - y) * x
            g_i += p - y
            h_ss += w * x * x
            h_si += w * x
            h_ii += w
        det = h_ss * h_ii - h_si * h_si
        d_s = (h_ii * g_s - h_si * g_i) / det
        d_i = (h_ss * g_i - h_si * g_s) / det
        step = 1.0
        while step > 1e-6:
            candidate = loss(slope - step * d_s, intercept - step * d_i)
            if candidate <= current:
                break
            step /= 2
        else:
            break
        slope, intercept = slope - step * d_s, intercept - step * d_i
        if current - candidate < 1e-12:
            break
        current = candidate
    return slope, intercept


def _log1p_exp(z: float) -> float:
    return z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@cache
def _builtin_json() -> str:
    return (resources.files(__package__) / "model.json").read_text(encoding="utf-8")


def load_builtin() -> SpamModel:
    """Return a fresh copy of the model trained on the built-in corpus."""
    return SpamModel.from_json(_builtin_json())
