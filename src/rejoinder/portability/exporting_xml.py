"""Exports for publishers who leave: WordPress WXR 1.2 with wpDiscuz's meta, and Disqus's
custom XML import format (WXR-shaped, with `dsq:thread_identifier`).

Both are written as they are read: pages in id order, each page's comments read with one
query and written parents first (Disqus wants every parent before its replies; WordPress
does not mind), so memory grows with the largest page, never with the site.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

from django.db.models import Q

from rejoinder.comments.models import Comment, CommentStatus
from rejoinder.inline.models import Anchor, Prompt
from rejoinder.pages.models import Article, Page, Site
from rejoinder.portability.models import SourceLink

CHUNK = 500
# Characters XML 1.0 cannot hold at all (C0 controls but tab, CR and LF; lone surrogates;
# U+FFFE and U+FFFF): dropped from every text written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# WordPress's comment_approved for each status. A removed comment goes to the trash (kept,
# with its place in the tree), as WordPress does with a comment deleted by a moderator.
WP_APPROVED = {
    CommentStatus.PUBLISHED: "1",
    CommentStatus.PENDING: "0",
    CommentStatus.SPAM: "spam",
    CommentStatus.REMOVED: "trash",
}


def cdata(text: str) -> str:
    """Text as a CDATA section, `]]>` split as WordPress's exporter splits it."""
    clean = _NOT_XML.sub("", text)
    return "<![CDATA[" + clean.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def escaped(text: str) -> str:
    return html.escape(_NOT_XML.sub("", text), quote=True)


def wp_html(rendered: str) -> str:
    """Rendered HTML as WordPress keeps it: its wpautop adds no second break after `<br />`."""
    return rendered.replace("<br>\n", "<br />\n")


def wp_time(moment: datetime | None) -> str:
    if moment is None:
        return "0000-00-00 00:00:00"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def rfc822(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def php_votes(up: int, down: int) -> str:
    """wpDiscuz's `wpdiscuz_votes_seperate`: a PHP-serialized array of likes and dislikes."""
    return f'a:2:{{s:4:"like";i:{up};s:7:"dislike";i:{down};}}'


@dataclass(slots=True)
class _Row:
    pk: int
    parent_id: int | None
    created_at: datetime
    edited_at: datetime | None
    status: str
    body_html: str
    author_name: str
    author_website: str
    email: str
    upvotes: int
    downvotes: int


def public_link(site: Site, page: Page) -> str:
    """The page's public address: its URL, else its URI on the site's domain."""
    if page.url:
        return page.url
    if page.uri.startswith("/") and site.domain:
        return f"https://{site.domain}{page.uri}"
    return page.uri


def _pages(site: Site) -> Iterator[Page]:
    """The site's pages with comments, ratings or prompts, in id order."""
    pages = (
        Page.objects.filter(site=site)
        .filter(
            Q(comment_count__gt=0)
            | Q(rating_count__gt=0)
            | Q(pk__in=Comment.objects.filter(page__site=site).values("page_id"))
            | Q(pk__in=Prompt.objects.filter(page__site=site).values("page_id"))
        )
        .order_by("pk")
    )
    yield from pages.iterator(chunk_size=CHUNK)


def _comments(page: Page) -> list[_Row]:
    """A page's comments, every parent before its replies (then by time)."""
    rows = []
    for values in (
        Comment.objects.filter(page=page)
        .order_by("created_at", "pk")
        .values(
            "pk",
            "parent_id",
            "reply_to_id",
            "created_at",
            "edited_at",
            "status",
            "body_html",
            "author_name",
            "author_website",
            "author__email",
            "upvotes",
            "downvotes",
        )
    ):
        rows.append(
            _Row(
                pk=values["pk"],
                parent_id=values["reply_to_id"] or values["parent_id"],
                created_at=values["created_at"],
                edited_at=values["edited_at"],
                status=values["status"],
                body_html=values["body_html"],
                author_name=values["author_name"],
                author_website=values["author_website"],
                email=values["author__email"],
                upvotes=values["upvotes"],
                downvotes=values["downvotes"],
            )
        )
    # `reply_to` is whom a reply answers; a reply deeper than the site's maximum depth hangs
    # higher (`parent`), but names its real parent there.
    ids = {row.pk for row in rows}
    children: dict[int | None, list[_Row]] = {}
    for row in rows:
        parent = row.parent_id if row.parent_id in ids else None
        row.parent_id = parent
        children.setdefault(parent, []).append(row)
    ordered: list[_Row] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        row = stack.pop()
        ordered.append(row)
        stack.extend(reversed(children.get(row.pk, [])))
    return ordered


def _comment_facts(site: Site, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The facts kept from other systems for these comments (pinned, closed…), merged."""
    facts: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), CHUNK):
        for object_id, kept in SourceLink.objects.filter(
            site=site, kind="comment", object_id__in=ids[start : start + CHUNK]
        ).values_list("object_id", "facts"):
            if object_id is not None and isinstance(kept, dict):
                facts.setdefault(object_id, {}).update(kept)
    return facts


def _answers(page: Page) -> dict[int, int]:
    """Which comment answers which prompt, on this page."""
    return {
        comment_id: prompt_id
        for comment_id, prompt_id in Anchor.objects.filter(
            page=page, prompt__isnull=False
        ).values_list("comment_id", "prompt_id")
        if prompt_id is not None
    }


def feedback_uid(prompt_id: int) -> str:
    """A prompt's id in a wpDiscuz inline-feedback shortcode (ten base-36 characters)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    number, out = prompt_id, ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return "rj" + out.rjust(8, "0")


def _content(page: Page) -> str:
    """The post's HTML: the article's body if Rejoinder publishes it, and its prompts as
    wpDiscuz inline-feedback shortcodes around the passages they ask about."""
    article = Article.objects.filter(page=page).only("body_html").first()
    parts = [article.body_html] if article is not None else []
    for prompt in Prompt.objects.filter(page=page).order_by("pk"):
        question = prompt.question.replace('"', "&quot;").replace("]", "&#93;")
        passage = html.escape(prompt.exact).replace("[", "&#91;")
        parts.append(
            f'<p>[wpdiscuz-feedback id="{feedback_uid(prompt.pk)}" question="{question}" '
            f'opened="{1 if prompt.is_open else 0}"]{passage}[/wpdiscuz-feedback]</p>'
        )
    return "\n".join(parts)


def _meta(tag: str, key: str, value: str) -> str:
    return (
        f"\t\t\t<wp:{tag}><wp:meta_key>{cdata(key)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:{tag}>\n"
    )


def export_wxr(site: Site, out: TextIO) -> int:
    """Write the site as WordPress WXR 1.2 with wpDiscuz's meta; return the comments written.

    One `<item>` per page with comments, ratings or prompts (post ids and comment ids are
    Rejoinder's own; WordPress gives new ones on import and keeps the parents). Times are
    UTC in both the local and the GMT fields. Bodies are the rendered, sanitised HTML.
    wpDiscuz meta: `wpdiscuz_votes` and `wpdiscuz_votes_seperate` on every comment,
    `wpdiscuz_last_edited_at` on edited ones, `wpdiscuz_closed` and the sticky comment type
    where an import kept those facts, `wpdiscuz_feedback_form_id` on answers to a prompt, and
    the article rating (`wpdiscuz_post_rating`, `wpdiscuz_post_rating_count`) on the post.
    """
    now = datetime.now(UTC)
    out.write(
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        f'<!-- generator="Rejoinder" created="{now:%Y-%m-%d %H:%M}" -->\n'
        '<rss version="2.0"\n'
        '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n<channel>\n'
        f"\t<title>{escaped(site.name)}</title>\n"
        f"\t<link>{escaped('https://' + site.domain if site.domain else '')}</link>\n"
        "\t<description></description>\n"
        f"\t<pubDate>{rfc822(now)}</pubDate>\n"
        "\t<language>en</language>\n"
        "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
        f"\t<wp:base_site_url>{escaped('https://' + site.domain if site.domain else '')}"
        "</wp:base_site_url>\n"
        f"\t<wp:base_blog_url>{escaped('https://' + site.domain if site.domain else '')}"
        "</wp:base_blog_url>\n"
        "\t<generator>Rejoinder</generator>\n"
    )
    written = 0
    for page in _pages(site):
        link = public_link(site, page)
        out.write(
            "\t<item>\n"
            f"\t\t<title>{cdata(page.title)}</title>\n"
            f"\t\t<link>{escaped(link)}</link>\n"
            f"\t\t<pubDate>{rfc822(page.created_at)}</pubDate>\n"
            "\t\t<dc:creator><![CDATA[]]></dc:creator>\n"
            f'\t\t<guid isPermaLink="false">{escaped(link)}</guid>\n'
            "\t\t<description></description>\n"
            f"\t\t<content:encoded>{cdata(_content(page))}</content:encoded>\n"
            "\t\t<excerpt:encoded><![CDATA[]]></excerpt:encoded>\n"
            f"\t\t<wp:post_id>{page.pk}</wp:post_id>\n"
            f"\t\t<wp:post_date>{cdata(wp_time(page.created_at))}</wp:post_date>\n"
            f"\t\t<wp:post_date_gmt>{cdata(wp_time(page.created_at))}</wp:post_date_gmt>\n"
            f"\t\t<wp:post_modified>{cdata(wp_time(page.created_at))}</wp:post_modified>\n"
            f"\t\t<wp:post_modified_gmt>{cdata(wp_time(page.created_at))}"
            "</wp:post_modified_gmt>\n"
            f"\t\t<wp:comment_status>{cdata('open' if page.is_open else 'closed')}"
            "</wp:comment_status>\n"
            "\t\t<wp:ping_status><![CDATA[closed]]></wp:ping_status>\n"
            f"\t\t<wp:post_name>{cdata(_slug(page))}</wp:post_name>\n"
            "\t\t<wp:status><![CDATA[publish]]></wp:status>\n"
            "\t\t<wp:post_parent>0</wp:post_parent>\n"
            "\t\t<wp:menu_order>0</wp:menu_order>\n"
            "\t\t<wp:post_type><![CDATA[post]]></wp:post_type>\n"
            "\t\t<wp:post_password><![CDATA[]]></wp:post_password>\n"
            "\t\t<wp:is_sticky>0</wp:is_sticky>\n"
        )
        if page.rating_count:
            average = round(page.rating_sum / page.rating_count, 1)
            out.write(_meta("postmeta", "wpdiscuz_post_rating", f"{average:g}"))
            out.write(_meta("postmeta", "wpdiscuz_post_rating_count", str(page.rating_count)))
        rows = _comments(page)
        facts = _comment_facts(site, [row.pk for row in rows])
        answers = _answers(page)
        for row in rows:
            kept = facts.get(row.pk, {})
            kind = "wpdiscuz_sticky" if kept.get("pinned") else "comment"
            out.write(
                "\t\t<wp:comment>\n"
                f"\t\t\t<wp:comment_id>{row.pk}</wp:comment_id>\n"
                f"\t\t\t<wp:comment_author>{cdata(row.author_name)}</wp:comment_author>\n"
                f"\t\t\t<wp:comment_author_email>{cdata(row.email)}</wp:comment_author_email>\n"
                f"\t\t\t<wp:comment_author_url>{escaped(row.author_website)}"
                "</wp:comment_author_url>\n"
                "\t\t\t<wp:comment_author_IP><![CDATA[]]></wp:comment_author_IP>\n"
                f"\t\t\t<wp:comment_date>{cdata(wp_time(row.created_at))}</wp:comment_date>\n"
                f"\t\t\t<wp:comment_date_gmt>{cdata(wp_time(row.created_at))}"
                "</wp:comment_date_gmt>\n"
                f"\t\t\t<wp:comment_content>{cdata(wp_html(row.body_html))}</wp:comment_content>\n"
                f"\t\t\t<wp:comment_approved>{cdata(WP_APPROVED[CommentStatus(row.status)])}"
                "</wp:comment_approved>\n"
                f"\t\t\t<wp:comment_type>{cdata(kind)}</wp:comment_type>\n"
                f"\t\t\t<wp:comment_parent>{row.parent_id or 0}</wp:comment_parent>\n"
                "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
            )
            out.write(_meta("commentmeta", "wpdiscuz_votes", str(row.upvotes - row.downvotes)))
            out.write(
                _meta(
                    "commentmeta", "wpdiscuz_votes_seperate", php_votes(row.upvotes, row.downvotes)
                )
            )
            if row.edited_at is not None:
                out.write(_meta("commentmeta", "wpdiscuz_last_edited_at", wp_time(row.edited_at)))
            if kept.get("closed"):
                out.write(_meta("commentmeta", "wpdiscuz_closed", "1"))
            if row.pk in answers:
                out.write(_meta("commentmeta", "wpdiscuz_feedback_form_id", str(answers[row.pk])))
            out.write("\t\t</wp:comment>\n")
            written += 1
        out.write("\t</item>\n")
    out.write("</channel>\n</rss>\n")
    return written


def _slug(page: Page) -> str:
    path = page.uri.split("?", 1)[0].strip("/")
    return path.rsplit("/", 1)[-1][:200] if path else f"page-{page.pk}"


# Disqus takes published, pending and spam comments; a removed one keeps its place in the
# tree as WordPress's "trash" (Disqus's importer reads WordPress's values).
DISQUS_APPROVED = WP_APPROVED


def export_disqus(site: Site, out: TextIO) -> int:
    """Write the site in Disqus's custom XML import format; return the comments written.

    One `<item>` per page with comments (a thread): its `title`, absolute `link`, the page's
    URI as `dsq:thread_identifier` (the `disqus_identifier` to give Disqus's embed),
    `wp:post_date_gmt` and `wp:comment_status`; then its comments, every parent before its
    replies, each with every field Disqus requires (empty when Rejoinder has none: no
    address is ever exported), its GMT time and its state in `wp:comment_approved`.
    """
    out.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:dsq="http://www.disqus.com/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:wp="http://wordpress.org/export/1.0/"\n>\n<channel>\n'
    )
    written = 0
    for page in _pages(site):
        rows = _comments(page)
        if not rows:
            continue
        out.write(
            "\t<item>\n"
            f"\t\t<title>{escaped(page.title)}</title>\n"
            f"\t\t<link>{escaped(public_link(site, page))}</link>\n"
            "\t\t<content:encoded><![CDATA[]]></content:encoded>\n"
            f"\t\t<dsq:thread_identifier>{escaped(page.uri)}</dsq:thread_identifier>\n"
            f"\t\t<wp:post_date_gmt>{wp_time(page.created_at)}</wp:post_date_gmt>\n"
            f"\t\t<wp:comment_status>{'open' if page.is_open else 'closed'}"
            "</wp:comment_status>\n"
        )
        for row in rows:
            out.write(
                "\t\t<wp:comment>\n"
                f"\t\t\t<wp:comment_id>{row.pk}</wp:comment_id>\n"
                f"\t\t\t<wp:comment_author>{escaped(row.author_name)}</wp:comment_author>\n"
                f"\t\t\t<wp:comment_author_email>{escaped(row.email)}"
                "</wp:comment_author_email>\n"
                f"\t\t\t<wp:comment_author_url>{escaped(row.author_website)}"
                "</wp:comment_author_url>\n"
                "\t\t\t<wp:comment_author_IP></wp:comment_author_IP>\n"
                f"\t\t\t<wp:comment_date_gmt>{wp_time(row.created_at)}</wp:comment_date_gmt>\n"
                f"\t\t\t<wp:comment_content>{cdata(wp_html(row.body_html))}</wp:comment_content>\n"
                "\t\t\t<wp:comment_approved>"
                f"{DISQUS_APPROVED[CommentStatus(row.status)]}</wp:comment_approved>\n"
                f"\t\t\t<wp:comment_parent>{row.parent_id or 0}</wp:comment_parent>\n"
                "\t\t</wp:comment>\n"
            )
            written += 1
        out.write("\t</item>\n")
    out.write("</channel>\n</rss>\n")
    return written
