"""Each site's spam model: scored against at posting, taught by its moderators' decisions.

A site starts with the built-in model. The first decision copies it into a `SiteSpamModel`
row; every later one updates that row under a row lock, so concurrent decisions never lose
each other. What the model holds about each comment is one `SpamLesson` (spam or ham, with
the text and signals it was taught), so a reversed decision takes back exactly what it taught.
Nothing leaves the database: the model is counts in JSON.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from dataclasses import asdict, fields
from typing import Any

from rejoinder.comments.models import Comment
from rejoinder.comments.policy import Submission
from rejoinder.moderation.models import SiteSpamModel, SpamLesson
from rejoinder.moderation.spam import Signals, SpamModel, load_builtin
from rejoinder.pages.models import Site

# Parsed models by site, kept while their revision is current: parsing costs more than
# the query that checks the revision.
_cache: dict[int, tuple[int, SpamModel]] = {}
_cache_lock = threading.Lock()
_builtin: SpamModel | None = None

SPAM, HAM, NONE = "spam", "ham", ""


def _builtin_model() -> SpamModel:
    global _builtin
    if _builtin is None:
        _builtin = load_builtin()
    return _builtin


_UNKNOWN = -1


def site_model(site: Site | int, *, revision: int | None = _UNKNOWN) -> SpamModel:
    """Return the site's current model for scoring (shared: do not `learn` on it).

    `revision` is the site's `SiteSpamModel.revision` when the caller already read it
    (None: the site has no model of its own), which spares a query.
    """
    site_id = site if isinstance(site, int) else site.pk
    if revision == _UNKNOWN:
        revision = (
            SiteSpamModel.objects.filter(site_id=site_id).values_list("revision", flat=True).first()
        )
    if revision is None:
        return _builtin_model()
    with _cache_lock:
        cached = _cache.get(site_id)
    if cached is not None and cached[0] == revision:
        return cached[1]
    row = SiteSpamModel.objects.get(site_id=site_id)
    model = SpamModel.from_json(row.model_json)
    with _cache_lock:
        _cache[site_id] = (row.revision, model)
    return model


def signals_to_dict(signals: Signals) -> dict[str, Any]:
    return asdict(signals)


def signals_from_dict(data: dict[str, Any] | None) -> Signals | None:
    if data is None:
        return None
    known = {f.name for f in fields(Signals)}
    return Signals(**{k: v for k, v in data.items() if k in known})


def build_signals(
    submission: Submission, *, links: int, velocity: int, repeated: int, published_before: int
) -> Signals:
    """Combine the submission's own evidence with the counts the posting verdict read."""
    return Signals(
        links=links,
        repeated=repeated or 0,
        recent_posts=velocity or 0,
        honeypot_filled=bool(submission.honeypot.strip()),
        seconds_to_submit=submission.elapsed_seconds,
        published_before=published_before or 0,
    )


def teach(comment: Comment, site: Site | int, label: str) -> str:
    """Make the site's model hold `label` ("spam", "ham" or "" to forget) about the comment.

    Takes back what it held before, then learns the new label; returns the old label. Call
    inside the transaction of the decision. Comments without text (deleted by their
    author) teach nothing.
    """
    site_id = site if isinstance(site, int) else site.pk
    existing = SpamLesson.objects.filter(comment=comment).first()
    before = NONE if existing is None else SPAM if existing.is_spam else HAM
    if before == label or (existing is None and not comment.body):
        return before
    SiteSpamModel.objects.get_or_create(
        site_id=site_id, defaults={"model_json": _builtin_model().to_json()}
    )
    row = SiteSpamModel.objects.select_for_update().get(site_id=site_id)
    model = SpamModel.from_json(row.model_json)
    if existing is not None:
        # ValueError: the counts no longer hold it (the model was reset): nothing to take back.
        with contextlib.suppress(ValueError):
            model.unlearn(existing.text, signals_from_dict(existing.signals), existing.is_spam)
        row.decisions -= 1
        existing.delete()
    if label != NONE:
        model.learn(comment.body, signals_from_dict(comment.spam_signals), label == SPAM)
        SpamLesson.objects.create(
            comment=comment,
            site_id=site_id,
            is_spam=label == SPAM,
            text=comment.body,
            signals=comment.spam_signals,
        )
        row.decisions += 1
    row.model_json = model.to_json()
    # Random rather than counted: a model deleted and created again (or a test database
    # rolled back) must never reuse a revision another process has cached.
    row.revision = secrets.randbits(62)
    row.save(update_fields=["model_json", "revision", "decisions", "updated_at"])
    return before
