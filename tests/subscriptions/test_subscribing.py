from collections.abc import Callable
from typing import Any

import pytest
from django.core import signing

from rejoinder.comments.models import Commenter
from rejoinder.errors import Forbidden, InvalidInput, NotFound, RateLimited
from rejoinder.pages.models import Page
from rejoinder.subscriptions.models import ConfirmedAddress, Subscription
from rejoinder.subscriptions.subscribing import confirm_subscription, end_subscription, subscribe
from rejoinder.subscriptions.tokens import (
    confirm_token,
    manage_token,
    managed_address,
    subscription_to_confirm,
    subscription_to_end,
    unsubscribe_token,
)


def test_a_first_subscription_waits_for_confirmation(page: Page, reader: Commenter) -> None:
    result = subscribe(
        page=page, email="ana@example.org", kind="page", reader_key=reader.reader_key, ip_hash=""
    )
    assert not result.confirmed
    assert not result.subscription.is_active


def test_confirming_activates_and_the_same_reader_is_not_asked_again_on_the_site(
    page: Page,
    site,
    reader: Commenter,  # type: ignore[no-untyped-def]
) -> None:
    from rejoinder.pages.lookup import ensure_page

    first = subscribe(
        page=page, email="ana@example.org", kind="page", reader_key=reader.reader_key, ip_hash=""
    )
    confirm_subscription(subscription_to_confirm(confirm_token(first.subscription)))
    assert Subscription.objects.get().is_active
    other_page = ensure_page(site, "/news/other/")
    second = subscribe(
        page=other_page,
        email="ANA@example.org",
        kind="replies",
        reader_key=reader.reader_key,
        ip_hash="",
    )
    assert second.confirmed
    assert second.subscription.is_active


def test_another_reader_typing_a_confirmed_address_must_confirm_again(
    page: Page,
    site,
    make_reader: Callable[[], Commenter],  # type: ignore[no-untyped-def]
) -> None:
    from rejoinder.pages.lookup import ensure_page

    owner, stranger = make_reader(), make_reader()
    first = subscribe(
        page=page, email="ana@example.org", kind="page", reader_key=owner.reader_key, ip_hash=""
    )
    confirm_subscription(first.subscription)
    elsewhere = ensure_page(site, "/news/elsewhere/")
    attempt = subscribe(
        page=elsewhere,
        email="ana@example.org",
        kind="page",
        reader_key=stranger.reader_key,
        ip_hash="",
    )
    assert not attempt.confirmed
    assert not attempt.subscription.is_active
    again = subscribe(
        page=page, email="ana@example.org", kind="page", reader_key=stranger.reader_key, ip_hash=""
    )
    assert not again.confirmed
    assert again.subscription.reader_key == owner.reader_key  # someone else's stays untouched


@pytest.mark.parametrize(
    ("email", "kind"),
    [
        ("a@b.c\r\nBcc: x@y.z", "page"),
        ("not-an-address", "page"),
        ("x" * 250 + "@example.org", "page"),
        ("x" * 65 + "@example.org", "page"),
        ("", "page"),
        ("ana@example.org", "everything"),
    ],
)
def test_bad_addresses_and_kinds_are_refused_and_nothing_is_stored(
    page: Page, reader: Commenter, email: str, kind: str
) -> None:
    with pytest.raises(InvalidInput):
        subscribe(page=page, email=email, kind=kind, reader_key=reader.reader_key, ip_hash="")
    assert not Subscription.objects.exists()


def test_a_closed_page_cannot_be_subscribed_to(page: Page, reader: Commenter) -> None:
    Page.objects.filter(pk=page.pk).update(is_open=False)
    page.refresh_from_db()
    with pytest.raises(Forbidden):
        subscribe(
            page=page,
            email="ana@example.org",
            kind="page",
            reader_key=reader.reader_key,
            ip_hash="",
        )


def test_links_cannot_be_forged_tampered_or_reused_for_another_subscription(
    page: Page, reader: Commenter
) -> None:
    first = subscribe(
        page=page, email="ana@example.org", kind="page", reader_key=reader.reader_key, ip_hash=""
    ).subscription
    second = subscribe(
        page=page, email="bo@example.org", kind="page", reader_key=reader.reader_key, ip_hash=""
    ).subscription
    token = unsubscribe_token(first)
    assert subscription_to_end(token) == first
    with pytest.raises(NotFound):
        subscription_to_end(token[:-3] + "abc")
    forged = signing.Signer(salt="rejoinder.subscription.unsubscribe").sign(f"{second.pk}.guess")
    with pytest.raises(NotFound):
        subscription_to_end(forged)
    with pytest.raises(NotFound):
        subscription_to_confirm(token)  # an unsubscribe link is not a confirmation link
    first.token_salt = "rotated"
    first.save()
    with pytest.raises(NotFound):
        subscription_to_end(token)


def test_confirmation_links_expire(page: Page, reader: Commenter, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import time

    from rejoinder.subscriptions.tokens import CONFIRM_MAX_AGE

    subscription = subscribe(
        page=page, email="ana@example.org", kind="page", reader_key=reader.reader_key, ip_hash=""
    ).subscription
    token = confirm_token(subscription)
    later = time.time() + CONFIRM_MAX_AGE + 10
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(NotFound):
        subscription_to_confirm(token)


def test_unsubscribing_ends_it_and_the_manage_link_lists_an_address(
    page: Page, reader: Commenter
) -> None:
    subscription = subscribe(
        page=page, email="ana@example.org", kind="page", reader_key=reader.reader_key, ip_hash=""
    ).subscription
    confirm_subscription(subscription)
    end_subscription(subscription)
    assert not Subscription.objects.get().is_active
    assert managed_address(manage_token(site_id=page.site_id, email="Ana@Example.org")) == (
        page.site_id,
        "ana@example.org",
    )
    assert ConfirmedAddress.objects.count() == 1


def test_subscribing_is_rate_limited_per_reader_and_per_address_inside_the_domain(
    page: Page, make_reader: Callable[[], Commenter], settings: Any
) -> None:
    settings.REJOINDER = {
        **settings.REJOINDER,
        "RATE_SUBSCRIBE": "2/3600",
        "RATE_SUBSCRIBE_IP": "3/3600",
    }
    reader = make_reader()
    for n in range(2):
        subscribe(
            page=page,
            email=f"r{n}@example.org",
            kind="page",
            reader_key=reader.reader_key,
            ip_hash="a",
        )
    with pytest.raises(RateLimited):
        subscribe(
            page=page,
            email="r2@example.org",
            kind="page",
            reader_key=reader.reader_key,
            ip_hash="a",
        )
    subscribe(
        page=page,
        email="s@example.org",
        kind="page",
        reader_key=make_reader().reader_key,
        ip_hash="a",
    )
    with pytest.raises(RateLimited):
        subscribe(
            page=page,
            email="t@example.org",
            kind="page",
            reader_key=make_reader().reader_key,
            ip_hash="a",
        )
    assert Subscription.objects.count() == 3
