"""The moderation policy that judges new comments at posting time.

In order: rate limits, bans, the site's refusing rules (banned words, too many links),
the spam filter, then the rules that hold a comment for a moderator. Refusals raise with
a message for the reader; everything else becomes a Verdict stored with the comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from rejoinder.comments.models import CommentStatus
from rejoinder.comments.policy import Reason, Submission, Verdict
from rejoinder.errors import Forbidden, InvalidInput
from rejoinder.moderation.learning import (
    build_signals,
    recent_activity,
    signals_to_dict,
    site_model,
)
from rejoinder.moderation.models import (
    Ban,
    Mode,
    PageModeration,
    SiteModeration,
    SiteSpamModel,
    SpamAction,
    settings_for,
)
from rejoinder.moderation.ratelimit import enforce_rate_limit
from rejoinder.moderation.rules import count_links, find_phrase
from rejoinder.pages.models import Page


def _who(submission: Submission) -> Q:
    author = submission.author
    who = Q(pk__in=[])
    if author.pk is not None:
        who |= Q(commenter_id=author.pk)
    if submission.email:
        who |= Q(email__iexact=submission.email)
    if submission.ip_hash:
        who |= Q(ip_hash=submission.ip_hash)
    return who


def active_bans(submission: Submission) -> QuerySet[Ban]:
    """Return the bans on this reader, email address or IP on the page's site, open ones first."""
    now = timezone.now()
    return (
        Ban.objects.filter(
            _who(submission), site_id=submission.page.site_id, lifted_at__isnull=True
        )
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .order_by("shadow", "-pk")
    )


@dataclass(frozen=True)
class _Context:
    rules: SiteModeration
    mode: str
    spam_revision: int | None
    ban_id: int | None
    velocity: int
    repeated: int
    published_before: int


def _context(submission: Submission) -> _Context:
    """Read the site's rules, the page's mode, the spam model's revision, any ban and the
    commenter's recent activity in one query: it runs inside every post's transaction."""
    page = submission.page
    bans = active_bans(submission).filter(site_id=OuterRef("site_id"))
    query = SiteModeration.objects.filter(site_id=page.site_id).annotate(
        page_mode=Subquery(PageModeration.objects.filter(page_id=page.pk).values("mode")[:1]),
        spam_revision=Subquery(
            SiteSpamModel.objects.filter(site_id=OuterRef("site_id")).values("revision")[:1]
        ),
        ban_id=Subquery(bans.values("pk")[:1]),
        **recent_activity(submission),
    )
    rules = query.first()
    if rules is None:
        settings_for(page.site)
        rules = query.get()
    return _Context(
        rules=rules,
        mode=rules.page_mode or rules.mode,  # type: ignore[attr-defined]
        spam_revision=rules.spam_revision,  # type: ignore[attr-defined]
        ban_id=rules.ban_id,  # type: ignore[attr-defined]
        velocity=rules.velocity or 0,  # type: ignore[attr-defined]
        repeated=rules.repeated or 0,  # type: ignore[attr-defined]
        published_before=rules.published_before or 0,  # type: ignore[attr-defined]
    )


def page_mode(page: Page) -> str:
    """Return the page's moderation mode: its own override, else its site's."""
    override = PageModeration.objects.filter(page=page).values_list("mode", flat=True).first()
    return override or settings_for(page.site).mode


def _ban_message(ban: Ban) -> str:
    if ban.until is None:
        return _("You can no longer comment on this site.")
    return _("You cannot comment on this site until %(until)s UTC.") % {
        "until": ban.until.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    }


class SitePolicy:
    """Judge a new comment by the rules of its page's site."""

    def judge(self, submission: Submission) -> Verdict:
        page, author, body = submission.page, submission.author, submission.body
        enforce_rate_limit("post", reader_key=author.reader_key, ip_hash=submission.ip_hash)
        context = _context(submission)
        rules = context.rules
        ban = Ban.objects.get(pk=context.ban_id) if context.ban_id is not None else None
        if ban is not None and not ban.shadow:
            raise Forbidden(_ban_message(ban))

        banned = find_phrase(body, rules.banned_list())
        if banned is not None:
            raise InvalidInput(
                _(
                    'Your comment contains "%(word)s", which this site does not allow. Please rephrase it.'
                )
                % {"word": banned},
                field="body",
            )
        links = count_links(body)
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
        score = site_model(page.site_id, revision=context.spam_revision).score(body, signals)
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
            reasons.append(Reason("links", _("Contains %(n)d link(s).") % {"n": links}))
        if links and rules.link_min_age_hours:
            first_seen = author.created_at if author.pk is not None else timezone.now()
            if timezone.now() - first_seen < timedelta(hours=rules.link_min_age_hours):
                reasons.append(
                    Reason(
                        "new_with_links",
                        _("Links from a commenter first seen less than %(h)d hours ago.")
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
