"""What readers meet in each language: the box, its plurals (Arabic's six forms), mail, feeds
and the API's `detail`, and a cached thread never served in the wrong language."""

import re
from collections.abc import Callable

import pytest
from django.core import mail as sent_mail
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation
from django.utils.translation import ngettext

from rejoinder.comments.models import Comment, Commenter
from rejoinder.comments.posting import post_comment
from rejoinder.outbox.models import OutboxMail
from rejoinder.pages.models import Page, Site
from rejoinder.subscriptions.mail import send_notification
from rejoinder.subscriptions.subscribing import confirm_subscription, subscribe


def vote_label(language: str, count: int) -> str:
    comment = Comment(pk=1, upvotes=count, downvotes=0)
    with translation.override(language):
        html = render_to_string("widget/votes.html", {"comment": comment})
    found = re.search(r'class="rj-vote rj-up"[^>]* aria-label="([^"]+)"', html)
    assert found
    return found.group(1)


def rating_count(language: str, count: int) -> str:
    page = Page(pk=1, rating_count=count, rating_sum=4 * count)
    with translation.override(language):
        html = render_to_string("widget/rating.html", {"page": page})
    found = re.search(r'<span class="rj-rating-count">([^<]+)</span>', html)
    assert found
    return found.group(1)


@pytest.mark.parametrize(
    ("count", "label"),
    [
        (1, "صوت واحد"),  # one
        (2, "صوتان"),  # two: the dual
        (3, "3 أصوات"),  # few: 3-10
        (10, "10 أصوات"),
        (11, "11 صوتًا"),  # many: 11-99
        (99, "99 صوتًا"),
        (100, "100 صوت"),  # other: 100-102, …
        (102, "102 صوت"),
        (103, "103 أصوات"),  # few again: 103-110
        (111, "111 صوتًا"),  # many again
    ],
)
def test_arabic_counts_take_each_of_its_plural_forms(count: int, label: str) -> None:
    assert rating_count("ar", count) == label


def test_arabic_has_a_form_for_zero() -> None:
    with translation.override("ar"):
        assert ngettext("%(n)s vote", "%(n)s votes", 0) % {"n": 0} == "لا أصوات"


@pytest.mark.parametrize(
    ("count", "label"),
    [(0, "تأييد، 0 صوت"), (2, "تأييد، 2 صوت"), (3, "تأييد، 3 أصوات"), (11, "تأييد، 11 صوتًا")],
)
def test_a_vote_buttons_name_holds_the_count_it_shows(count: int, label: str) -> None:
    # The button shows "▲ 2": its accessible name must say the digits it shows (WCAG 2.5.3).
    assert vote_label("ar", count) == label


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ["Upvote, 0 votes", "Upvote, 1 vote", "Upvote, 2 votes"]),
        ("fr", ["Voter pour, 0 vote", "Voter pour, 1 vote", "Voter pour, 2 votes"]),
        ("de", ["Zustimmen, 0 Stimmen", "Zustimmen, 1 Stimme", "Zustimmen, 2 Stimmen"]),
        ("es", ["Votar a favor, 0 votos", "Votar a favor, 1 voto", "Votar a favor, 2 votos"]),
    ],
)
def test_the_other_languages_count_as_they_do(language: str, labels: list[str]) -> None:
    # French says "0 vote": zero is singular there, unlike English, German and Spanish.
    assert [vote_label(language, n) for n in (0, 1, 2)] == labels


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ar", ["التعليقات", "اكتب تعليقًا", "نشر", "اشترك", "ردّ", "إبلاغ", "الأحدث"]),
        ("de", ["Kommentare", "Kommentar schreiben", "Veröffentlichen", "Abonnieren", "Melden"]),
        ("es", ["Comentarios", "Escriba un comentario", "Publicar", "Suscribirse", "Denunciar"]),
        ("fr", ["Commentaires", "Écrire un commentaire", "Publier", "S'abonner", "Signaler"]),
    ],
)
def test_the_box_speaks_the_language_it_is_asked_for(
    client: Client,
    page: Page,
    make_reader: Callable[[], Commenter],
    language: str,
    words: list[str],
) -> None:
    post_comment(page=page, author=make_reader(), name="Ana", body="Hello")

    html = client.get(f"/discussion/{page.pk}/box", {"lang": language}).content.decode()
    html = html.replace("&#x27;", "'")

    for word in words:
        assert word in html, word
    for english in ("Write a comment", "Subscribe", "Notify of", "Reply</a>", ">Report<"):
        assert english not in html, english


def test_a_cached_thread_is_never_served_in_another_language(
    client: Client, page: Page, make_reader: Callable[[], Commenter]
) -> None:
    post_comment(page=page, author=make_reader(), name="Ana", body="Hello")

    english = client.get(f"/discussion/{page.pk}/thread").content.decode()
    arabic = client.get(f"/discussion/{page.pk}/thread", {"lang": "ar"}).content.decode()
    again = client.get(f"/discussion/{page.pk}/thread").content.decode()

    assert ">Reply</a>" in english
    assert ">ردّ</a>" in arabic
    assert ">Reply</a>" not in arabic
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", again) == token.sub("", english)


def test_the_article_page_mirrors_in_arabic(
    client: Client, site: Site, make_reader: Callable[[], Commenter]
) -> None:
    from rejoinder.pages.models import Article
    from rejoinder.pages.publishing import save_article

    article = save_article(
        Article(slug="ferry", headline="Ferry", body="The ferry leaves.", author_name="Ruth")
    )
    post_comment(page=article.page, author=make_reader(), name="Ana", body="Hi")
    site.language = "ar"
    site.save()

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert "انتقل إلى نموذج التعليق" in html  # the skip link
    assert "تعليق واحد" in html  # the byline's count
    assert "<bdi>Ana</bdi>" in html
    assert '<div class="rj-body" dir="auto">' in html


def test_mail_is_written_in_the_sites_language(
    page: Page, site: Site, make_reader: Callable[[], Commenter]
) -> None:
    site.language = "de"
    site.save()
    reader = make_reader()
    result = subscribe(
        page=page, email="ana@example.org", kind="page", reader_key=reader.reader_key, ip_hash=""
    )
    subscription = confirm_subscription(result.subscription)
    comments = [
        post_comment(page=page, author=make_reader(), name=name, body="Hallo")
        for name in ("Bo", "Cy")
    ]
    OutboxMail.objects.all().delete()

    with translation.override("en"):  # the worker speaks the server's language
        send_notification(subscription, comments, email="ana@example.org")

    queued = OutboxMail.objects.get()
    assert queued.subject == "2 neue Kommentare zu „Budget vote“"
    assert "Alle Ihre Abonnements" in queued.html_body
    assert '<html lang="de" dir="ltr">' in queued.html_body
    assert not sent_mail.outbox


def test_feed_titles_speak_the_sites_language(client: Client, page: Page, site: Site) -> None:
    site.language = "es"
    site.save()

    feed = client.get(f"/feeds/pages/{page.pk}/comments.atom").content.decode()

    assert "<title>Comentarios en Budget vote</title>" in feed


def test_the_apis_detail_follows_the_readers_language_where_the_site_allows(
    client: Client, page: Page, site: Site
) -> None:
    url = f"/api/v1/threads?site={site.pk}&uri={page.uri}&limit=0"

    assert client.get(url, HTTP_ACCEPT_LANGUAGE="fr").json()["detail"].startswith("`limit` is")

    site.reader_language = True
    site.save()
    answer = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")

    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("`limit` est un nombre")
    assert "Accept-Language" in answer["Vary"]
