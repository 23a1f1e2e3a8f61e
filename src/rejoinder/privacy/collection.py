"""Everything Rejoinder holds about one reader, in one place: whose it is, and where it lies.

A reader is found by their reader key (from the box or the API) or by an email address (the
publisher, answering a request by mail). `ReaderScope` says who; the functions below return
each store's rows about them, for the download (`download.py`) and the erasure
(`erasure.py`) alike. A store that lives in an app above this one (the API's idempotency
records, the live event log, accounts) adds itself with `register_store`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from rejoinder.accounts.models import Account
from rejoinder.comments.models import Comment, Commenter, Vote
from rejoinder.email_address import clean_email_address
from rejoinder.limits.models import RateCounter
from rejoinder.moderation.models import Flag
from rejoinder.outbox.models import OutboxMail
from rejoinder.ratings.models import Rating
from rejoinder.subscriptions.models import ConfirmedAddress, Notification, Subscription


@dataclass(frozen=True)
class ReaderScope:
    """Whose data: their Commenter rows, reader keys, and the addresses proven theirs.

    `addresses` pairs a site id with a lower-cased address; a site id of None means every
    site (the publisher's request by address). A reader acting for themselves reaches an
    address only on the sites where they confirmed it: anyone can type an address into a
    form, and that must not let them download or erase somebody else's subscriptions.
    """

    commenter_ids: tuple[int, ...]
    reader_keys: tuple[str, ...]
    addresses: tuple[tuple[int | None, str], ...]

    @property
    def is_empty(self) -> bool:
        return not (self.commenter_ids or self.reader_keys or self.addresses)

    @property
    def emails(self) -> set[str]:
        return {email for _site, email in self.addresses}


def scope_of_reader(commenter: Commenter) -> ReaderScope:
    """Return the scope of a reader known by their key."""
    confirmed = ConfirmedAddress.objects.filter(reader_key=commenter.reader_key)
    return ReaderScope(
        commenter_ids=(commenter.pk,),
        reader_keys=(commenter.reader_key,),
        addresses=tuple(
            sorted(
                {(site, email.lower()) for site, email in confirmed.values_list("site_id", "email")}
            )
        ),
    )


def scope_of_address(address: str) -> ReaderScope:
    """Return the scope of an email address on every site, as the publisher asks for it.

    Raises InvalidInput (field `email`) for something that is not an address.
    """
    email = clean_email_address(address)
    # Stored addresses keep the domain as typed: look for both spellings.
    spellings = sorted({email.lower(), address.strip().lower()})
    same = Q(pk__in=[])
    for spelling in spellings:
        same |= Q(email__iexact=spelling)
    # A signed-in reader's address is their account's (the commenter may hold none).
    of_accounts = Account.objects.filter(same).values("commenter_id")
    commenters = list(
        Commenter.objects.filter(same | Q(pk__in=of_accounts)).values_list("pk", "reader_key")
    )
    return ReaderScope(
        commenter_ids=tuple(pk for pk, _key in commenters),
        reader_keys=tuple(key for _pk, key in commenters),
        addresses=tuple((None, spelling) for spelling in spellings),
    )


def _address_q(scope: ReaderScope, *, email: str = "email", site: str = "site_id") -> Q:
    q = Q(pk__in=[])
    for site_id, address in scope.addresses:
        one = Q(**{f"{email}__iexact": address})
        q |= one if site_id is None else one & Q(**{site: site_id})
    return q


def commenters_of(scope: ReaderScope) -> QuerySet[Commenter]:
    return Commenter.objects.filter(pk__in=scope.commenter_ids).order_by("pk")


def comments_of(scope: ReaderScope) -> QuerySet[Comment]:
    return Comment.objects.filter(author_id__in=scope.commenter_ids).order_by("pk")


def votes_of(scope: ReaderScope) -> QuerySet[Vote]:
    return Vote.objects.filter(voter_id__in=scope.commenter_ids).order_by("pk")


def ratings_of(scope: ReaderScope) -> QuerySet[Rating]:
    return Rating.objects.filter(rater_id__in=scope.commenter_ids).order_by("pk")


def flags_of(scope: ReaderScope) -> QuerySet[Flag]:
    return Flag.objects.filter(reader_id__in=scope.commenter_ids).order_by("pk")


def subscriptions_of(scope: ReaderScope) -> QuerySet[Subscription]:
    """The reader's own subscriptions, and every one of their proven addresses on its site."""
    return Subscription.objects.filter(
        Q(reader_key__in=scope.reader_keys) | _address_q(scope, site="page__site_id")
    ).order_by("pk")


def confirmed_addresses_of(scope: ReaderScope) -> QuerySet[ConfirmedAddress]:
    return ConfirmedAddress.objects.filter(
        Q(reader_key__in=scope.reader_keys) | _address_q(scope)
    ).order_by("pk")


def notifications_of(scope: ReaderScope) -> QuerySet[Notification]:
    """Notifications for the reader's subscriptions or to their addresses, mailed or not."""
    return Notification.objects.filter(
        Q(subscription__in=subscriptions_of(scope)) | _address_q(scope, site="page__site_id")
    )


UNSENT = (OutboxMail.Status.QUEUED, OutboxMail.Status.FAILED, OutboxMail.Status.CANCELLED)


def mail_to(scope: ReaderScope) -> QuerySet[OutboxMail]:
    """Mail in the outbox to the reader: to their proven addresses, or confirming their own
    subscriptions (the address they typed, proven or not). Being handed over right now is
    left to finish (`sending`): the worker holds it."""
    confirmations = Q(pk__in=[])
    for pk, salt in subscriptions_of(scope).values_list("pk", "token_salt"):
        confirmations |= Q(dedupe_key__startswith=f"confirm:{pk}:{salt}:")
    emails = Q(pk__in=[])
    for email in scope.emails:
        emails |= Q(to_address__iexact=email)
    return OutboxMail.objects.filter(confirmations | emails).exclude(
        status=OutboxMail.Status.SENDING
    )


def mail_about(scope: ReaderScope) -> Iterator[int]:
    """Yield the ids of unsent mail to others that quotes one of the reader's comments.

    Notifications, digests and moderators' alerts link every comment they show by its
    permalink (`/c/<id>/`, its end marked by the slash), so the link finds the mail.
    """
    unsent = OutboxMail.objects.filter(status__in=UNSENT)
    if not unsent.exists():
        return
    ids = list(comments_of(scope).values_list("pk", flat=True))
    for start in range(0, len(ids), 200):
        q = Q(pk__in=[])
        for pk in ids[start : start + 200]:
            q |= Q(text_body__contains=reverse("widget:permalink", kwargs={"comment_id": pk}))
        yield from unsent.filter(q).values_list("pk", flat=True)


def rate_counters_of(scope: ReaderScope) -> QuerySet[RateCounter]:
    """The reader's own rate-limit counters (`<action>:r:<reader key>`)."""
    q = Q(pk__in=[])
    for key in scope.reader_keys:
        q |= Q(bucket__endswith=f":r:{key}")
    return RateCounter.objects.filter(q)


@dataclass(frozen=True)
class Erased:
    """What an erasure changed, for the stores that hold copies of it: the pages whose
    discussions changed, and the reader's comments as they were before it."""

    page_ids: frozenset[int]
    comment_ids: frozenset[int]


@dataclass(frozen=True)
class Store:
    """A store kept by an app above this one, with what it holds about a reader.

    `export` yields JSON-ready records for the download's section `name`; `erase` erases the
    reader's rows (inside the erasure's transaction, after the comments changed) and returns
    how many; it is told what changed (`Erased`).
    """

    name: str
    export: Callable[[ReaderScope], Iterable[dict[str, Any]]] | None
    erase: Callable[[ReaderScope, Erased], int] | None


_stores: dict[str, Store] = {}


def register_store(
    name: str,
    *,
    export: Callable[[ReaderScope], Iterable[dict[str, Any]]] | None = None,
    erase: Callable[[ReaderScope, Erased], int] | None = None,
) -> None:
    """Add a store to every download (when it has `export`) and every erasure (`erase`)."""
    _stores[name] = Store(name=name, export=export, erase=erase)


def registered_stores() -> list[Store]:
    return sorted(_stores.values(), key=lambda store: store.name)


def summarize(scope: ReaderScope) -> dict[str, int]:
    """Count what the reader has, for the page that offers the download and the erasure."""
    return {
        "comments": comments_of(scope).count(),
        "votes": votes_of(scope).count(),
        "ratings": ratings_of(scope).count(),
        "subscriptions": subscriptions_of(scope).count(),
    }
