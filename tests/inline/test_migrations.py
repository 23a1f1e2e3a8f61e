"""Articles published before revisions were kept get revision 1 from the data migration."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from rejoinder.inline.models import ArticleRevision
from rejoinder.inline.text import extract_text
from rejoinder.pages.lookup import default_site
from rejoinder.pages.models import Article, Page
from rejoinder.pages.publishing import render_article_markdown


@pytest.mark.django_db(transaction=True)
def test_existing_articles_get_their_first_revision() -> None:
    call_command("migrate", "inline", "0001", verbosity=0)
    try:
        page = Page.objects.create(site=default_site(), uri="/old/", title="Old")
        body = "An old article.\n\n- with a list"
        Article.objects.create(
            page=page,
            slug="old",
            headline="Old",
            body=body,
            body_html=render_article_markdown(body),
            author_name="R",
        )
        call_command("migrate", "inline", verbosity=0)
        revisions = list(ArticleRevision.objects.filter(page_id=page.pk))
        assert [(r.number, r.body) for r in revisions] == [(1, body)]
        assert revisions[0].text == extract_text(render_article_markdown(body)).text
        assert revisions[0].text == "An old article.\n\nwith a list"
    finally:
        call_command("migrate", verbosity=0)
