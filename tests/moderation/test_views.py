"""The moderation page through the Django test client: access, actions, bans, the audit log."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.moderation.models import AuditEntry, Ban, Flag, ModeratorRole, SiteModeration
from rejoinder.pages.lookup import ensure_page
from rejoinder.pages.models import Page, Site

Post = Callable[..., Comment]


@pytest.fixture
def premoderated(rules: SiteModeration) -> SiteModeration:
    rules.mode = "pre"
    rules.save()
    return rules


@pytest.fixture
def mod_client(moderator: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    return client


@pytest.fixture
def other_site(db: None) -> Site:
    return Site.objects.create(name="Other paper", domain="other.example")


def _queue_url(site: Site, name: str = "pending") -> str:
    return f"/moderation/{site.pk}/queue/{name}/"


def _csrf(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the page has a CSRF token"
    return match.group(1)


def _act(client: Client, site: Site, action: str, *ids: int, **headers: str) -> Any:
    token = _csrf(client, _queue_url(site))
    data = {
        "csrfmiddlewaretoken": token,
        "action": action,
        "comment_ids": [str(i) for i in ids],
        "next": _queue_url(site),
    }
    return client.post(f"/moderation/{site.pk}/act", data, headers=headers)


def _status(comment: Comment) -> str:
    comment.refresh_from_db()
    return comment.status


# Access


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client: Client, site: Site) -> None:
    response = client.get(_queue_url(site))
    assert response.status_code == 302
    assert response["Location"] == (
        f"/moderation/sign-in/?next=/moderation/{site.pk}/queue/pending/"
    )
    home = client.get("/moderation/")
    assert home.status_code == 302
    assert home["Location"].startswith("/moderation/sign-in/?next=/moderation/")


def test_an_account_without_the_role_gets_a_403_page_that_says_why(
    client: Client, site: Site, django_user_model: Any
) -> None:
    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    for url in ("/moderation/", _queue_url(site), f"/moderation/{site.pk}/audit/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "not a moderator" in response.content.decode()
    counts = client.get(f"/moderation/{site.pk}/counts")
    assert counts.status_code == 403


def test_the_start_page_opens_the_moderators_site_and_lists_the_others(
    mod_client: Client, moderator: Any, site: Site, other_site: Site
) -> None:
    response = mod_client.get("/moderation/")
    assert response.status_code == 302
    assert response["Location"] == _queue_url(site)
    assert (
        'aria-label="Sites you moderate"' not in mod_client.get(_queue_url(site)).content.decode()
    )
    ModeratorRole.objects.create(user=moderator, site=other_site)
    html = mod_client.get(_queue_url(site)).content.decode()
    assert 'aria-label="Sites you moderate"' in html
    assert _queue_url(other_site) in html


def test_a_moderator_of_one_site_cannot_see_another_sites_queue(
    mod_client: Client, other_site: Site
) -> None:
    assert mod_client.get(_queue_url(other_site)).status_code == 403
    assert mod_client.get(f"/moderation/{other_site.pk}/counts").status_code == 403


def test_an_unknown_queue_is_not_found(mod_client: Client, site: Site) -> None:
    assert mod_client.get(_queue_url(site, "everything")).status_code == 404


# The queue


def test_the_pending_queue_shows_each_comment_with_its_context(
    mod_client: Client, premoderated: SiteModeration, post: Post, page: Page
) -> None:
    page.title = "Budget <script>alert(1)</script> vote"
    page.save()
    parent = post("The budget is **balanced**.", moderated=False, name="Bea")
    reply = post("I doubt it. <script>alert(2)</script>", parent_id=parent.pk, name="Carl")

    html = mod_client.get(_queue_url(page.site)).content.decode()

    assert f'id="mod-item-{reply.pk}"' in html
    assert "Carl" in html
    assert "In reply to <bdi>Bea</bdi>:" in html
    assert "The budget is **balanced**." in html
    assert "Budget &lt;script&gt;alert(1)&lt;/script&gt; vote" in html
    assert "<script>alert" not in html
    assert "0 published · 0 removed · 0 spam" in html
    assert 'data-rj-count="pending">1<' in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, "no inline scripts under the CSP"


def test_the_spam_queue_says_why_and_shows_the_score(
    mod_client: Client, post: Post, page: Page
) -> None:
    held = post("Earn $5000 per week from home!!! Click www.easy-cash.xyz", honeypot="x")
    assert held.suspected_spam

    html = mod_client.get(_queue_url(page.site, "spam")).content.decode()

    assert f'id="mod-item-{held.pk}"' in html
    assert re.search(r'class="rj-mod-score">\d+%<', html)


# Actions without JavaScript


def test_approving_through_the_page_publishes_redirects_back_and_offers_undo(
    mod_client: Client, premoderated: SiteModeration, post: Post, page: Page
) -> None:
    comment = post()

    response = _act(mod_client, page.site, "approve", comment.pk)

    assert response.status_code == 302
    assert response["Location"] == _queue_url(page.site)
    assert _status(comment) == CommentStatus.PUBLISHED
    page.refresh_from_db()
    assert page.comment_count == 1
    html = mod_client.get(response["Location"]).content.decode()
    assert "Approved 1 comment." in html
    entry = AuditEntry.objects.get(action="approve")
    assert f'name="entry_ids" value="{entry.pk}"' in html
    assert f'id="mod-item-{comment.pk}"' not in html

    undo = mod_client.post(
        f"/moderation/{page.site.pk}/undo",
        {"csrfmiddlewaretoken": _csrf(mod_client, _queue_url(page.site)), "entry_ids": entry.pk},
    )

    assert undo.status_code == 302
    assert _status(comment) == CommentStatus.PENDING
    assert "Undone: 1 action." in mod_client.get(undo["Location"]).content.decode()


@pytest.mark.parametrize(
    ("action", "status"), [("remove", CommentStatus.REMOVED), ("spam", CommentStatus.SPAM)]
)
def test_remove_and_spam_take_the_comment_out_of_the_queue(
    mod_client: Client,
    premoderated: SiteModeration,
    post: Post,
    page: Page,
    action: str,
    status: str,
) -> None:
    comment = post()

    assert _act(mod_client, page.site, action, comment.pk).status_code == 302

    assert _status(comment) == status
    assert (
        f'id="mod-item-{comment.pk}"' not in mod_client.get(_queue_url(page.site)).content.decode()
    )


def test_a_bulk_action_applies_to_every_selected_comment(
    mod_client: Client, premoderated: SiteModeration, post: Post, page: Page
) -> None:
    first, second, untouched = post("One."), post("Two."), post("Three.")

    _act(mod_client, page.site, "approve", first.pk, second.pk)

    assert [_status(c) for c in (first, second, untouched)] == ["published", "published", "pending"]
    assert AuditEntry.objects.filter(action="approve").count() == 2


def test_an_action_on_another_sites_comment_is_refused_and_changes_nothing(
    mod_client: Client,
    moderator: Any,
    premoderated: SiteModeration,
    post: Post,
    page: Page,
    other_site: Site,
) -> None:
    ours = post("Ours.")
    theirs = post("Theirs.", page=ensure_page(other_site, "/elsewhere/", title="Elsewhere"))

    mixed = _act(mod_client, page.site, "remove", ours.pk, theirs.pk)

    assert mixed.status_code == 403
    assert "site you do not moderate" in mixed.content.decode()
    assert (_status(ours), _status(theirs)) == ("pending", "published")
    # Moderating both sites does not let one site's page act on the other's comments.
    ModeratorRole.objects.create(user=moderator, site=other_site)
    assert _act(mod_client, page.site, "remove", theirs.pk).status_code == 403
    assert _status(theirs) == "published"


def test_a_forged_csrf_token_is_refused(
    mod_client: Client, premoderated: SiteModeration, post: Post, page: Page
) -> None:
    comment = post()

    response = mod_client.post(
        f"/moderation/{page.site.pk}/act",
        {"csrfmiddlewaretoken": "x" * 64, "action": "approve", "comment_ids": comment.pk},
    )

    assert response.status_code == 403
    assert _status(comment) == CommentStatus.PENDING


def test_a_refused_action_explains_itself(mod_client: Client, post: Post, page: Page) -> None:
    published = post()
    nothing = _act(mod_client, page.site, "approve")
    unknown = _act(mod_client, page.site, "delete", published.pk)
    wrong_state = _act(mod_client, page.site, "restore", published.pk)

    assert nothing.status_code == 422
    assert "Select at least one comment" in nothing.content.decode()
    assert unknown.status_code == 422
    assert wrong_state.status_code == 409
    assert "cannot be given the action restore" in wrong_state.content.decode()


# Actions from the script


def test_a_scripted_action_answers_json_with_counts_and_the_entries_to_undo(
    mod_client: Client, premoderated: SiteModeration, post: Post, page: Page
) -> None:
    comment, other = post(), post("Another.")

    response = _act(mod_client, page.site, "spam", comment.pk, **{"X-Rejoinder-Fragment": "1"})

    assert response.status_code == 200
    answer = response.json()
    assert answer["done"] == [comment.pk]
    assert answer["counts"]["pending"] == 1
    assert answer["undo"] == [AuditEntry.objects.get(comment=comment).pk]
    assert answer["message"] == "Marked 1 comment as spam."
    assert _status(other) == CommentStatus.PENDING


def test_a_refused_scripted_action_answers_problem_json(
    mod_client: Client, other_site: Site, post: Post
) -> None:
    theirs = post("Theirs.", page=ensure_page(other_site, "/elsewhere/"))
    response = _act(mod_client, other_site, "remove", theirs.pk, **{"X-Rejoinder-Fragment": "1"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_the_queue_list_alone_comes_back_for_the_script(
    mod_client: Client, premoderated: SiteModeration, post: Post, page: Page
) -> None:
    comment = post()
    html = mod_client.get(_queue_url(page.site), headers={"X-Rejoinder-Fragment": "1"}).content
    assert f'id="mod-item-{comment.pk}"'.encode() in html
    assert b"<html" not in html


def test_the_counts_endpoint_follows_the_queues(
    mod_client: Client, premoderated: SiteModeration, post: Post, page: Page
) -> None:
    url = f"/moderation/{page.site.pk}/counts"
    assert mod_client.get(url).json()["counts"]["pending"] == 0
    post()
    response = mod_client.get(url)
    assert response.json()["counts"] == {"pending": 1, "flagged": 0, "spam": 0, "recent": 1}
    assert response["Cache-Control"] == "no-store"


def test_the_counts_endpoint_refuses_an_anonymous_script(client: Client, site: Site) -> None:
    response = client.get(f"/moderation/{site.pk}/counts", headers={"X-Rejoinder-Fragment": "1"})
    assert response.status_code == 403


# Bans


def _ban(client: Client, site: Site, comment: Comment, **fields: str) -> Any:
    url = f"/moderation/{site.pk}/comments/{comment.pk}/ban"
    data = {"csrfmiddlewaretoken": _csrf(client, url), "next": _queue_url(site), **fields}
    return client.post(url, data)


def test_the_ban_form_page_works_without_javascript(
    mod_client: Client, post: Post, page: Page
) -> None:
    comment = post(name="Troll")
    url = f"/moderation/{page.site.pk}/comments/{comment.pk}/ban?next=javascript:alert(1)"

    html = mod_client.get(url).content.decode()

    assert "Ban <bdi>Troll</bdi>" in html
    assert 'value="forever"' in html
    assert "javascript:" not in html
    response = _ban(mod_client, page.site, comment, duration="7", by_reader="1", reason="Insults")
    assert response.status_code == 302
    ban = Ban.objects.get()
    assert (ban.commenter_id, ban.shadow, ban.reason) == (comment.author_id, False, "Insults")
    assert ban.until is not None
    assert "Banned Troll until" in mod_client.get(response["Location"]).content.decode()


def test_a_ban_needs_something_to_ban_by(mod_client: Client, post: Post, page: Page) -> None:
    comment = post()
    response = _ban(mod_client, page.site, comment, duration="forever")
    assert response.status_code == 422
    assert "Choose what to ban by" in response.content.decode()
    assert not Ban.objects.exists()


def test_a_shadow_ban_keeps_the_authors_next_comment_to_themselves(
    mod_client: Client, post: Post, page: Page
) -> None:
    comment = post(name="Troll")

    response = _ban(
        mod_client,
        page.site,
        comment,
        duration="forever",
        by_reader="1",
        shadow="1",
    )

    assert response.status_code == 302
    assert Ban.objects.get().shadow
    later = post("Still here.", author=comment.author, name="Troll")
    assert later.status == CommentStatus.PENDING
    assert later.shadowed


def test_the_bans_page_lists_bans_in_force_and_lifts_them(
    mod_client: Client, post: Post, page: Page, other_site: Site
) -> None:
    comment = post(name="Troll")
    _ban(mod_client, page.site, comment, duration="30", by_reader="1", reason="Spam links")
    ban = Ban.objects.get()
    bans_url = f"/moderation/{page.site.pk}/bans/"

    html = mod_client.get(bans_url).content.decode()

    assert "Troll" in html
    assert "Spam links" in html
    token = _csrf(mod_client, bans_url)
    lifted = mod_client.post(
        f"/moderation/{page.site.pk}/bans/{ban.pk}/lift",
        {"csrfmiddlewaretoken": token, "next": bans_url},
    )
    assert lifted.status_code == 302
    ban.refresh_from_db()
    assert ban.lifted_at is not None
    assert "No bans in force." in mod_client.get(bans_url).content.decode()
    elsewhere = mod_client.post(
        f"/moderation/{other_site.pk}/bans/{ban.pk}/lift", {"csrfmiddlewaretoken": token}
    )
    assert elsewhere.status_code == 403


# The audit log


def test_the_audit_log_shows_who_did_what_and_undoes_it(
    mod_client: Client, premoderated: SiteModeration, post: Post, page: Page
) -> None:
    comment = post(name="Dora")
    _act(mod_client, page.site, "remove", comment.pk)
    entry = AuditEntry.objects.get()
    audit_url = f"/moderation/{page.site.pk}/audit/"

    html = mod_client.get(audit_url).content.decode()

    assert "Removed" in html
    assert "mod" in html
    assert "pending → removed" in html
    assert f'name="entry_ids" value="{entry.pk}"' in html
    response = mod_client.post(
        f"/moderation/{page.site.pk}/undo",
        {
            "csrfmiddlewaretoken": _csrf(mod_client, audit_url),
            "entry_ids": entry.pk,
            "next": audit_url,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == audit_url
    assert _status(comment) == CommentStatus.PENDING
    html = mod_client.get(audit_url).content.decode()
    assert "Undid an action" in html
    assert f'name="entry_ids" value="{entry.pk}"' not in html


def test_undoing_another_sites_entry_is_refused(
    mod_client: Client, moderator: Any, post: Post, other_site: Site
) -> None:
    theirs = post("Theirs.", page=ensure_page(other_site, "/elsewhere/"))
    entry = AuditEntry.objects.create(
        site=other_site,
        moderator=None,
        action="remove",
        comment=theirs,
        previous_status="published",
        new_status="removed",
    )
    site = Site.objects.exclude(pk=other_site.pk).get()
    response = mod_client.post(
        f"/moderation/{site.pk}/undo",
        {"csrfmiddlewaretoken": _csrf(mod_client, _queue_url(site)), "entry_ids": entry.pk},
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.undone_by_id is None


def test_the_flagged_queue_lists_reported_comments_with_their_reasons(
    mod_client: Client, post: Post, page: Page, make_reader: Callable[..., Any]
) -> None:
    comment = post()
    reader = make_reader()
    Flag.objects.create(comment=comment, reader=reader, reason="abuse")

    html = mod_client.get(_queue_url(page.site, "flagged")).content.decode()

    assert f'id="mod-item-{comment.pk}"' in html
    assert "Abusive or hateful" in html
    assert 'data-rj-count="flagged">1<' in html


def test_every_write_checks_the_role_too(
    client: Client, site: Site, post: Post, django_user_model: Any
) -> None:
    comment = post()
    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    for url, data in (
        (f"/moderation/{site.pk}/act", {"action": "remove", "comment_ids": comment.pk}),
        (f"/moderation/{site.pk}/comments/{comment.pk}/ban", {"duration": "1", "by_reader": "1"}),
        (f"/moderation/{site.pk}/undo", {"entry_ids": "1"}),
    ):
        assert client.post(url, data).status_code == 403
    assert _status(comment) == CommentStatus.PUBLISHED
    assert not Ban.objects.exists()


def test_banning_another_sites_commenter_is_refused(
    mod_client: Client, post: Post, page: Page, other_site: Site
) -> None:
    theirs = post("Theirs.", page=ensure_page(other_site, "/elsewhere/"))
    url = f"/moderation/{page.site.pk}/comments/{theirs.pk}/ban"
    assert mod_client.get(url).status_code == 403
    response = mod_client.post(
        url,
        {"csrfmiddlewaretoken": _csrf(mod_client, _queue_url(page.site)), "duration": "1"},
    )
    assert response.status_code == 403
    assert not Ban.objects.exists()


def test_a_long_queue_pages_to_older_comments(
    mod_client: Client, premoderated: SiteModeration, post: Post, page: Page
) -> None:
    held = [post(f"Held number {n}.") for n in range(51)]

    first = mod_client.get(_queue_url(page.site)).content.decode()
    older = re.search(r'href="\?before=(\d+)"', first)

    assert first.count('class="rj-mod-item"') == 50
    assert f'id="mod-item-{held[0].pk}"' not in first
    assert older
    rest = mod_client.get(_queue_url(page.site) + f"?before={older.group(1)}").content.decode()
    assert rest.count('class="rj-mod-item"') == 1
    assert f'id="mod-item-{held[0].pk}"' in rest
    assert "Older comments" not in rest


# Signing in


def test_a_moderator_without_admin_access_signs_in_and_lands_on_the_queue(
    site: Site, moderator: Any
) -> None:
    assert not moderator.is_staff
    client = Client(enforce_csrf_checks=True)
    next_url = _queue_url(site)
    form = client.get(f"/moderation/sign-in/?next={next_url}")
    token = _csrf(client, f"/moderation/sign-in/?next={next_url}")

    wrong = client.post(
        "/moderation/sign-in/",
        {"csrfmiddlewaretoken": token, "username": "mod", "password": "nope", "next": next_url},
    )
    right = client.post(
        "/moderation/sign-in/",
        {"csrfmiddlewaretoken": token, "username": "mod", "password": "pw", "next": next_url},
    )

    assert form.status_code == 200
    assert wrong.status_code == 200
    assert "do not match an account" in wrong.content.decode()
    assert (right.status_code, right["Location"]) == (302, next_url)
    assert client.get(next_url).status_code == 200


def test_signing_in_never_sends_a_moderator_off_site(moderator: Any) -> None:
    client = Client()
    response = client.post(
        "/moderation/sign-in/",
        {"username": "mod", "password": "pw", "next": "https://evil.example/steal"},
    )
    assert (response.status_code, response["Location"]) == (302, "/moderation/")


def test_signing_out_ends_the_session(mod_client: Client, site: Site) -> None:
    token = _csrf(mod_client, _queue_url(site))
    assert mod_client.post("/moderation/sign-out/").status_code == 403  # no CSRF token
    response = mod_client.post("/moderation/sign-out/", {"csrfmiddlewaretoken": token})
    assert (response.status_code, response["Location"]) == (302, "/moderation/sign-in/")
    assert mod_client.get(_queue_url(site)).status_code == 302


def test_guessing_passwords_is_slowed_down_per_account(moderator: Any, settings: Any) -> None:
    settings.REJOINDER = {**settings.REJOINDER, "RATE_SIGN_IN": "2/900"}
    client = Client()
    attempts = [
        client.post("/moderation/sign-in/", {"username": "MOD", "password": guess})
        for guess in ("a", "b")
    ]
    blocked = client.post("/moderation/sign-in/", {"username": "mod", "password": "pw"})

    assert [a.status_code for a in attempts] == [200, 200]
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "too often" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
