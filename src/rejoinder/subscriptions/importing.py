"""Writing subscriptions that come from an export: no confirmation mail, none confirmed
unless the source confirmed it (docs/import-export.md)."""

from __future__ import annotations

from rejoinder.subscriptions.models import Subscription


def insert_subscriptions(rows: list[Subscription]) -> None:
    """Insert subscriptions as they stood in the source; nothing is mailed."""
    Subscription.objects.bulk_create(rows, batch_size=500)


def existing_subscription(page_id: int, email: str, kind: str) -> Subscription | None:
    return Subscription.objects.filter(page_id=page_id, email__iexact=email, kind=kind).first()
