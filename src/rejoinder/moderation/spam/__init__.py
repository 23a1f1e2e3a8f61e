"""Spam scoring for new comments: a local naive Bayes model that learns from moderators.

`load_builtin()` returns the model trained on the built-in corpus; `SpamModel.score(text,
signals)` rates a comment from 0 to 1; `SpamModel.learn(text, signals, is_spam)` counts a
moderator's decision; `to_json()` and `SpamModel.from_json()` store a site's model. Nothing
is sent anywhere: the model is counts in a JSON document.
"""

from rejoinder.moderation.spam.classifier import (
    QUEUE_THRESHOLD,
    REJECT_THRESHOLD,
    Example,
    Signals,
    SpamModel,
    load_builtin,
    train,
)

__all__ = [
    "QUEUE_THRESHOLD",
    "REJECT_THRESHOLD",
    "Example",
    "Signals",
    "SpamModel",
    "load_builtin",
    "train",
]
