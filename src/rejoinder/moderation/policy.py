"""The moderation policy that judges new comments at posting time.

In order: rate limits, bans, the site's refusing rules (banned words, too many links),
the spam filter, then the rules that hold a comment for a moderator. Refusals raise with
a message for the reader; everything else becomes a Verdict stored with the comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rejoinder.comments.models import Comment, CommentStatus, body_digest
from rejoinder.comments.policy import Reason, Submission, Verdict
from rejoinder.errors import Forbidden, InvalidInput
from rejoinder.limits.ratelimit import enforce_rate_limit
from rejoinder.moderation.learning import build_signals, signals_to_dict, site_model
from rejoinder.moderation.models import (
    Ban,
    Mode,
    PageModeration,
    SiteModeration,
    SiteSpamModel,
    SpamAction,
    settings_for,
)
from rejoinder.moderation.rules import find_phrase
from rejoinder.moderation.spam.features import read_text
from rejoinder.pages.models import Page, Site


@dataclass(frozen=True)
class _Circumstances:
    rules: SiteModeration
    mode: str
    spam_revision: int | None
    ban_id: int | None
    velocity: int
    repeated: int
    published_before: int


# Counts above these look the same to the spam filter (see classifier._context_bins).
VELOCITY_CAP, REPEATED_CAP, HISTORY_CAP = 11, 2, 5


def _context_query(submission: Submission) -> tuple[str, list[Any]]:
    """Write out the query behind `_context`, with its parameters.

    Written out because it runs inside every post's transaction, where the ORM spent longer
    composing these subqueries than the database spends answering them. `velocity`: comments
    by this reader or IP on the site in the last hour; `repeated`: the same body on the site in
    the last hour; `published_before`: the author's published comments on the site.
    """
    page, author = submission.page, submission.author
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    since = adapt(now - timedelta(hours=1))
    comments, pages = Comment._meta.db_table, Page._meta.db_table
    on_site = f"SELECT 1 FROM {comments} c JOIN {pages} p ON p.id = c.page_id WHERE p.site_id = %s"  # noqa: S608 - table names and fixed fragments only

    def count(condition: str, cap: int) -> str:
        # The filter only tells small counts apart (classifier._context_bins), so counting
        # stops there: a flood from one IP costs each post the same as a quiet day.
        return f"(SELECT COUNT(*) FROM ({on_site} AND {condition} LIMIT {cap}) counted)"  # noqa: S608 - fixed fragments only

    # A ban matches the reader, their email or their IP; velocity counts the reader's and the
    # IP's comments.
    who: list[str] = []
    source: list[str] = []
    who_params: list[Any] = []
    source_params: list[Any] = []
    if author.pk is not None:
        who.append("commenter_id = %s")
        who_params.append(author.pk)
        source.append("c.author_id = %s")
        source_params.append(author.pk)
    if submission.email:
        who.append("LOWER(email) = LOWER(%s)")
        who_params.append(submission.email)
    if submission.ip_hash:
        who.append("ip_hash = %s")
        who_params.append(submission.ip_hash)
        source.append("c.ip_hash = %s")
        source_params.append(submission.ip_hash)

    columns: list[str] = []
    params: list[Any] = []
    columns.append(
        f"(SELECT mode FROM {PageModeration._meta.db_table} WHERE page_id = %s) AS page_mode"  # noqa: S608 - table names and fixed fragments only
    )
    params.append(page.pk)
    columns.append(
        f"(SELECT revision FROM {SiteSpamModel._meta.db_table} WHERE site_id = %s) AS spam_revision"  # noqa: S608 - table names and fixed fragments only
    )
    params.append(page.site_id)
    if who:
        columns.append(
            f"(SELECT id FROM {Ban._meta.db_table} WHERE site_id = %s AND lifted_at IS NULL"  # noqa: S608 - table names and fixed fragments only
            f" AND (until IS NULL OR until > %s) AND ({' OR '.join(who)})"
            " ORDER BY shadow, id DESC LIMIT 1) AS ban_id"
        )
        params += [page.site_id, adapt(now), *who_params]
    else:
        columns.append("NULL AS ban_id")
    if source:
        columns.append(
            count(f"c.created_at >= %s AND ({' OR '.join(source)})", VELOCITY_CAP) + " AS velocity"
        )
        params += [page.site_id, since, *source_params]
    else:
        columns.append("0 AS velocity")
    columns.append(
        count("c.body_digest = %s AND c.created_at >= %s", REPEATED_CAP) + " AS repeated"
    )
    params += [page.site_id, body_digest(submission.body), since]
    if author.pk is not None:
        columns.append(
            count("c.author_id = %s AND c.status = %s", HISTORY_CAP) + " AS published_before"
        )
        params += [page.site_id, author.pk, CommentStatus.PUBLISHED.value]
    else:
        columns.append("0 AS published_before")
    sql = (
        f"SELECT r.*, {', '.join(columns)} FROM {SiteModeration._meta.db_table} r"  # noqa: S608 - table names and fixed fragments only
        " WHERE r.site_id = %s"
    )
    return sql, [*params, page.site_id]


def _circumstances(submission: Submission) -> _Circumstances:
    """Read the site's rules, the page's mode, the spam model's revision, any ban and the
    commenter's recent activity in one query: it runs inside every post's transaction."""
    sql, params = _context_query(submission)
    found = list(SiteModeration.objects.raw(sql, params))
    if not found:
        settings_for(submission.page.site)
        found = list(SiteModeration.objects.raw(sql, params))
    rules: Any = found[0]
    return _Circumstances(
        rules=rules,
        mode=rules.page_mode or rules.mode,
        spam_revision=rules.spam_revision,
        ban_id=rules.ban_id,
        velocity=rules.velocity or 0,
        repeated=rules.repeated or 0,
        published_before=rules.published_before or 0,
    )


def _ban_message(ban: Ban, site: Site) -> str:
    if ban.until is None:
        return _("You can no longer comment on this site.")
    # In the site's time zone and timestamp format, naming the zone.
    zone = ZoneInfo(site.time_zone_name())
    return _("You cannot comment on this site until %(until)s (%(zone)s).") % {
        "until": date_format(ban.until.astimezone(zone), site.date_format),
        "zone": site.time_zone_name(),
    }


class SitePolicy:
    """Judge a new comment by the rules of its page's site."""

    def judge(self, submission: Submission) -> Verdict:
        page, author, body = submission.page, submission.author, submission.body
        enforce_rate_limit("post", reader_key=author.reader_key, ip_hash=submission.ip_hash)
        context = _circumstances(submission)
        rules = context.rules
        ban = Ban.objects.get(pk=context.ban_id) if context.ban_id is not None else None
        if ban is not None and not ban.shadow:
            raise Forbidden(_ban_message(ban, page.site))

        banned = find_phrase(body, rules.banned_list())
        if banned is not None:
            raise InvalidInput(
                _(
                    'Your comment contains "%(word)s", which this site does not allow. Please rephrase it.'
                )
                % {"word": banned},
                field="body",
            )
        reading = read_text(body)  # once: the link rule and the spam filter both use it
        links = reading.links
        if links > rules.max_links:
            raise InvalidInput(
                _("Your comment has %(n)d links; this site allows %(max)d at most.")
                % {"n": links, "max": rules.max_links},
                field="body",
            )

        signals = build_signals(
            submission,
            links=links,
            velocity=context.velocity,
            repeated=context.repeated,
            published_before=context.published_before,
        )
        score = site_model(page.site_id, revision=context.spam_revision).score_reading(
            reading, signals
        )
        suspected = score >= rules.spam_threshold
        if suspected and rules.spam_action == SpamAction.REJECT and not ban:
            raise Forbidden(
                _(
                    "Our spam filter stopped this comment, so it was not posted. If it is not spam, please rephrase it or contact the site."
                )
            )

        reasons: list[Reason] = []
        if suspected:
            reasons.append(
                Reason(
                    "spam",
                    _("Spam score %(score).2f is over the site's threshold.") % {"score": score},
                )
            )
        if context.mode == Mode.PRE:
            reasons.append(Reason("premoderation", _("Every comment here waits for a moderator.")))
        if rules.premoderate_first_time and not signals.published_before:
            reasons.append(Reason("first_time", _("First comment by this commenter.")))
        if links and rules.premoderate_links:
            reasons.append(
                Reason(
                    "links",
                    ngettext("Contains %(n)d link.", "Contains %(n)d links.", links) % {"n": links},
                )
            )
        if links and rules.link_min_age_hours:
            first_seen = author.created_at if author.pk is not None else timezone.now()
            if timezone.now() - first_seen < timedelta(hours=rules.link_min_age_hours):
                reasons.append(
                    Reason(
                        "new_with_links",
                        ngettext(
                            "Links from a commenter first seen less than %(h)d hour ago.",
                            "Links from a commenter first seen less than %(h)d hours ago.",
                            rules.link_min_age_hours,
                        )
                        % {"h": rules.link_min_age_hours},
                    )
                )
        if rules.premoderate_suspect_words:
            suspect = find_phrase(body, rules.suspect_list())
            if suspect is not None:
                reasons.append(
                    Reason("suspect_words", _('Contains "%(word)s".') % {"word": suspect})
                )

        shadowed = ban is not None  # only a shadow ban gets this far
        if shadowed:
            reasons.insert(0, Reason("shadow_ban", _("The author is shadow-banned.")))
        held = bool(reasons)
        return Verdict(
            status=CommentStatus.PENDING if held else CommentStatus.PUBLISHED,
            reasons=tuple(reasons),
            spam_score=score,
            suspected_spam=suspected,
            shadowed=shadowed,
            signals=signals_to_dict(signals),
        )
