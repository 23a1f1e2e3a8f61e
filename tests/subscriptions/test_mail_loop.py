"""The whole loop against a real SMTP server: subscribe, confirm, get a reply, unsubscribe."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.test import Client
from tests.conftest import ApiClient
from tests.outbox.smtp_sink import SmtpSink

from rejoinder.outbox.sending import send_due
from rejoinder.pages.models import Page
from rejoinder.subscriptions.fanout import deliver_due


def _run_worker() -> None:
    while deliver_due() or send_due():
        pass


def _link(text: str, path: str) -> str:
    match = re.search(rf"https?://\S+({re.escape(path)}\S+/)", text)
    assert match, text
    return match.group(1)


def test_subscribe_confirm_reply_arrives_then_one_click_unsubscribe(
    smtp: SmtpSink,
    page: Page,
    make_api,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "NOTIFY_WINDOW_SECONDS": 0}
    reader = Client()
    author = ApiClient()
    author.client = reader  # the same browser writes and subscribes
    mine = author.post_comment(page.uri, "My view", name="Ana").json()["comment"]
    answer = reader.post(
        f"/discussion/{page.pk}/subscribe", {"email": "ana@example.org", "kind": "replies"}
    )
    assert "Check the inbox" in answer.content.decode()
    _run_worker()
    (confirmation,) = smtp.received
    assert confirmation.rcpt_tos == ["ana@example.org"]
    confirm_path = _link(
        confirmation.message.get_body(("plain",)).get_content(), "/subscriptions/confirm/"
    )
    assert reader.post(confirm_path).status_code == 200

    replier: ApiClient = make_api()
    reply = replier.post_comment(
        page.uri, "I *disagree*", name="Bo", parent=mine["id"], email="bo@example.org"
    )
    make_api().post_comment(page.uri, "Unrelated", name="Cy")
    _run_worker()
    assert len(smtp.received) == 2
    notice = smtp.received[1].message
    assert notice["Subject"] == f'Bo replied to your comment on "{page.title}"'
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert notice["Message-ID"].startswith(f"<comment-{reply.json()['comment']['id']}.")
    assert f"<comment-{mine['id']}." in notice["In-Reply-To"]
    text = notice.get_body(("plain",)).get_content()
    html = notice.get_body(("html",)).get_content()
    assert "I disagree" in text
    assert "<em>disagree</em>" in html
    assert f"/c/{reply.json()['comment']['id']}/" in text
    assert "bo@example.org" not in smtp.received[1].raw.decode()

    one_click = urlsplit(notice["List-Unsubscribe"].strip("<>")).path
    gone = Client(enforce_csrf_checks=True).post(
        one_click, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert gone.status_code == 200
    replier.post_comment(page.uri, "Still here?", name="Bo", parent=mine["id"])
    _run_worker()
    assert len(smtp.received) == 2


def test_nothing_is_sent_before_the_address_is_confirmed(
    smtp: SmtpSink,
    page: Page,
    make_api,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "NOTIFY_WINDOW_SECONDS": 0}
    Client().post(f"/discussion/{page.pk}/subscribe", {"email": "eve@example.org", "kind": "page"})
    make_api().post_comment(page.uri, "News")
    _run_worker()
    assert [r.message["Subject"] for r in smtp.received] == [
        f'Confirm your subscription to "{page.title}"'
    ]


def test_a_header_injecting_address_is_refused_and_nothing_is_sent(
    smtp: SmtpSink, page: Page
) -> None:
    response = Client().post(
        f"/discussion/{page.pk}/subscribe",
        {"email": "a@b.c\r\nBcc: x@y.z", "kind": "page"},
        headers={"X-Rejoinder-Fragment": "1"},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "email"
    _run_worker()
    assert smtp.received == []
