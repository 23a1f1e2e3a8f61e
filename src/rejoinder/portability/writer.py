"""The one writer every import goes through: records in, rows out, through the domain.

It runs inside the import's transaction. Comments are written in batches through
`comments.importing` (checked and rendered as posting does, hashed addresses, no events, no
mail); each object of the source gets a `SourceLink`, so an object already imported is
counted as "already there" and never written twice. Parents, answers to prompts, vote
tallies, page counters and page versions are put right once, in `finish`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.db import connection
from django.utils import timezone

from rejoinder.comments import importing as comments_import
from rejoinder.comments.models import Commenter, Vote
from rejoinder.errors import InvalidInput, RejoinderError
from rejoinder.inline.models import Anchor
from rejoinder.inline.models import Prompt as PromptRow
from rejoinder.limits.addresses import hash_ip
from rejoinder.moderation.models import Ban
from rejoinder.pages.lookup import MAX_URI_LENGTH, clean_uri, ensure_page
from rejoinder.pages.models import Page, Site
from rejoinder.portability import records as r
from rejoinder.portability.models import Linkback, PendingParent, SourceLink
from rejoinder.portability.report import Report
from rejoinder.portability.sources import BadFile
from rejoinder.ratings import importing as ratings_import
from rejoinder.ratings.models import Rating
from rejoinder.subscriptions import importing as subscriptions_import
from rejoinder.subscriptions.models import Subscription

BATCH = 1000
_PROMPT_FIELDS = {"created_at", "prefix", "suffix", "start", "end", "block_index", "status"}
_ANCHOR_FIELDS = {"exact", "prefix", "suffix", "found_by", "score", "changed"}
_BAN_FIELDS = {"email", "ip_hash", "shadow", "created_at", "lifted_at"}
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "_ga")


@dataclass(frozen=True)
class Rewrite:
    """`--rewrite OLD=NEW`: thread addresses starting with OLD start with NEW instead."""

    old: str
    new: str

    @classmethod
    def parse(cls, text: str) -> Rewrite:
        old, sep, new = text.partition("=")
        if not sep or not old:
            raise InvalidInput(f"--rewrite wants OLD=NEW, not {text!r}", field="rewrite")
        return cls(old, new)


_LINK_COLUMNS = ["site_id", "system", "kind", "source_id", "object_id", "facts", "imported_at"]
_PENDING_COLUMNS = ["comment_id", "parent_source_id"]


def _source_id(key: str) -> str:
    return key.replace("\x00", "\ufffd")[:255]  # PostgreSQL text holds no NUL


def reader_key_for(site_id: int, system: str, key: str) -> str:
    """The reader key of an imported person: stable, and no token the server signed has it."""
    digest = hashlib.blake2b(f"{site_id}\x00{system}\x00{key}".encode(), digest_size=24)
    return f"imp-{digest.hexdigest()}"


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def uri_of(url: str) -> str:
    """The page URI of a public URL: its path and query, less tracking parameters."""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.startswith(_TRACKING)
    ]
    path = parts.path or "/"
    return path + (f"?{urlencode(query)}" if query else "")


class Writer:
    def __init__(
        self,
        *,
        site: Site,
        system: str,
        report: Report,
        rewrites: list[Rewrite] | None = None,
    ) -> None:
        self.site = site
        self.system = system
        self.report = report
        self.rewrites = rewrites or []
        # Rejoinder's own export says exactly what every row held: tallies and counters are
        # taken from it, not worked out again.
        self.native = system == "rejoinder"
        self.page_counters: dict[int, tuple[int, int]] = {}
        self.threads: dict[str, int] = {}
        self.authors: dict[str, int] = {}
        self.author_keys: dict[int, str] = {}
        self.comments: list[r.Comment] = []
        self.people: list[r.Author] = []
        self.votes: list[r.Vote] = []
        self.ratings: list[r.Rating] = []
        self.answers: list[r.Answer] = []
        self.touched: set[int] = set()
        self.voted: set[int] = set()
        self.rated: set[int] = set()
        self.totals: dict[int, tuple[int, int]] = {}
        self.first_id: int | None = None
        self.last_id: int | None = None
        self.hosts: Counter[str] = Counter()
        self.site_checked = False
        self.undone: list[tuple[int, str]] = []  # (audit entry, the export id of its undo)

    # Links -----------------------------------------------------------------------------

    def _linked(self, kind: str, keys: list[str]) -> dict[str, int | None]:
        found: dict[str, int | None] = {}
        for start in range(0, len(keys), 500):
            found.update(
                SourceLink.objects.filter(
                    site=self.site,
                    system=self.system,
                    kind=kind,
                    source_id__in=keys[start : start + 500],
                ).values_list("source_id", "object_id")
            )
        return found

    def _link(
        self, kind: str, key: str, object_id: int | None, facts: dict[str, Any]
    ) -> SourceLink:
        return SourceLink(
            site=self.site,
            system=self.system,
            kind=kind,
            source_id=_source_id(key),
            object_id=object_id,
            facts=facts,
        )

    def _sources(self, kind: str, object_id: int | None, sources: list[r.Source]) -> None:
        if sources:
            SourceLink.objects.bulk_create(
                [
                    SourceLink(
                        site=self.site,
                        system=source.system,
                        kind=kind,
                        source_id=source.id[:255],
                        object_id=object_id,
                        facts=source.facts,
                    )
                    for source in sources
                ],
                ignore_conflicts=True,
            )

    # Records ---------------------------------------------------------------------------

    def handle(self, record: r.Record) -> None:
        if isinstance(record, r.Thread):
            self.report.read["threads"] += 1
            self._thread(record)
            return
        if isinstance(record, r.Author):
            self.people.append(record)
            if len(self.people) >= BATCH:
                self.flush_people()
            return
        self.flush_people()
        if not self.site_checked:
            self.check_site()
        if isinstance(record, r.Comment):
            self.report.read["comments"] += 1
            self.comments.append(record)
            if len(self.comments) >= BATCH:
                self.flush_comments()
        elif isinstance(record, r.Vote):
            self.report.read["votes"] += 1
            self.votes.append(record)
            if len(self.votes) >= BATCH:
                self.flush_votes()
        elif isinstance(record, r.Rating):
            self.report.read["ratings"] += 1
            self.ratings.append(record)
            if len(self.ratings) >= BATCH:
                self.flush_ratings()
        elif isinstance(record, r.RatingTotals):
            self._rating_totals(record)
        elif isinstance(record, r.Subscription):
            self.report.read["subscriptions"] += 1
            self._subscription(record)
        elif isinstance(record, r.Prompt):
            self.report.read["prompts"] += 1
            self._prompt(record)
        elif isinstance(record, r.Answer):
            self.answers.append(record)
        elif isinstance(record, r.Linkback):
            self.report.read["linkbacks"] += 1
            self._linkback(record)
        elif isinstance(record, r.Block):
            self.report.read["blocks"] += 1
            self._block(record)
        elif isinstance(record, r.Fact):
            self.report.read[record.kind + "s"] += 1
            self._fact(record)
        elif isinstance(record, r.Native):
            self.native_row(record)
        elif isinstance(record, r.Skipped):
            self.report.read[record.kind + "s"] += 1
            self.report.skip(record.kind, record.key, record.reason, record.line)
        elif isinstance(record, r.Note):
            self.report.note(record.text)

    def _rewrite(self, address: str) -> str:
        for rewrite in self.rewrites:
            if address.startswith(rewrite.old):
                return rewrite.new + address[len(rewrite.old) :]
        return address

    def _thread(self, thread: r.Thread) -> None:
        if thread.key in self.threads:
            self.report.skip(
                "thread", thread.key, "the same thread id twice in the file", thread.line
            )
            return
        url = self._rewrite(thread.url.strip()) if thread.url.strip() else ""
        if url and not url.startswith(("http://", "https://")):
            url = ""
        if url:
            self.hosts[_host(url)] += 1
        linked = self._linked("page", [thread.key])
        if thread.key in linked and linked[thread.key] is not None:
            self.threads[thread.key] = int(linked[thread.key] or 0)
            self.report.already_there["threads"] += 1
            return
        uri = thread.native.get("uri") or (
            uri_of(url) if url else self._rewrite(thread.uri.strip())
        )
        if not uri:
            uri = f"{self.system}:{thread.key}"
        if len(uri) > MAX_URI_LENGTH:
            self.report.skip(
                "thread",
                thread.key,
                f"its address is longer than {MAX_URI_LENGTH} characters",
                thread.line,
            )
            return
        try:
            uri = clean_uri(uri)
        except RejoinderError as exc:
            self.report.skip("thread", thread.key, exc.message, thread.line)
            return
        title = thread.title.strip()
        if len(title) > 300:
            self.report.change("thread", thread.key, "title cut to 300 characters")
            title = title[:300]
        page = self._existing_page(uri)
        created = page is None
        if page is None:
            page = ensure_page(self.site, uri, title=title, url=url[:1000])
            if thread.closed:
                Page.objects.filter(pk=page.pk).update(is_open=False)
            if thread.created_at is not None:
                Page.objects.filter(pk=page.pk).update(created_at=thread.created_at)
            self.report.imported["threads"] += 1
        else:
            self.report.imported["threads merged into an existing page"] += 1
        facts = dict(thread.facts)
        if url and url != thread.url:
            facts["url_in_file"] = thread.url
        if not created:
            facts["merged"] = True
        self._link("page", thread.key, page.pk, facts).save()
        self._sources("page", page.pk, thread.sources)
        if "rating_sum" in thread.native:
            self.page_counters[page.pk] = (
                thread.native["rating_sum"],
                thread.native["rating_count"],
            )
        self.threads[thread.key] = page.pk
        self.touched.add(page.pk)

    def _existing_page(self, uri: str) -> Page | None:
        variants = {uri}
        if not uri.startswith(f"{self.system}:"):
            path, sep, query = uri.partition("?")
            other = path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"
            variants.add(other + sep + query)
        return Page.objects.filter(site=self.site, uri__in=variants).order_by("pk").first()

    def check_site(self) -> None:
        """Refuse a file whose threads all link to another host than the site's."""
        self.site_checked = True
        domain = _host(f"//{self.site.domain}") if self.site.domain else ""
        if not domain or not self.hosts or domain in ("127.0.0.1", "localhost"):
            return
        if domain in self.hosts:
            others = [h for h in self.hosts if h != domain]
            if others:
                self.report.note(
                    f"threads on other hosts were imported too: {', '.join(sorted(others)[:5])}"
                )
            return
        host, n = self.hosts.most_common(1)[0]
        raise BadFile(
            f"the file is for {host} ({n} of {sum(self.hosts.values())} threads link there), "
            f"not for site {self.site.pk} ({self.site.domain}); if the site moved, give "
            f"--rewrite https://{host}=https://{self.site.domain}"
        )

    # Commenters ------------------------------------------------------------------------

    def _resolve_authors(self, authors: list[r.Author]) -> None:
        missing = list(dict.fromkeys(a.key for a in authors if a.key not in self.authors))
        if not missing:
            return
        for key, object_id in self._linked("commenter", missing).items():
            if object_id is not None:
                self.authors[key] = object_id
        first: dict[str, r.Author] = {}
        for author in authors:
            if author.key not in self.authors and author.key not in first:
                first[author.key] = author
        if not first:
            return
        rows = []
        for key, author in first.items():
            name, _changed = self._name(author)
            email, website, _notes = comments_import.imported_contact(author.email, author.website)
            commenter = Commenter(
                reader_key=author.native.get("reader_key")
                or reader_key_for(self.site.pk, self.system, key),
                display_name=name,
                email=email,
                website=website,
            )
            if author.native.get("created_at"):
                commenter.created_at = author.native["created_at"]
            rows.append(commenter)
        existing = dict(
            Commenter.objects.filter(reader_key__in=[c.reader_key for c in rows]).values_list(
                "reader_key", "pk"
            )
        )
        new_rows = [c for c in rows if c.reader_key not in existing]
        created = comments_import.insert_commenters(new_rows)
        by_key = {c.reader_key: c.pk for c in created} | existing
        links = []
        for (key, author), row in zip(first.items(), rows, strict=True):
            pk = by_key[row.reader_key]
            self.authors[key] = pk
            links.append(self._link("commenter", key, pk, author.facts))
            self._sources("commenter", pk, author.sources)
            self.report.imported["commenters"] += 1
        SourceLink.objects.bulk_create(links, batch_size=500, ignore_conflicts=True)

    def flush_people(self) -> None:
        """Write commenters the file lists on their own, in the file's order."""
        if self.people:
            batch, self.people = self.people, []
            self.report.read["commenters"] += len(batch)
            self._resolve_authors(batch)

    def _name(self, author: r.Author) -> tuple[str, str | None]:
        if self.native:
            return author.name, None  # as this site stored it
        try:
            return comments_import.imported_name(author.name)
        except InvalidInput:
            return author.name[: comments_import.IMPORTED_NAME_MAX_LENGTH], "name cut"

    # Comments --------------------------------------------------------------------------

    def flush_comments(self) -> None:
        batch, self.comments = self.comments, []
        if not batch:
            return
        known = self._linked("comment", [c.key for c in batch])
        fresh: list[r.Comment] = []
        in_batch: set[str] = set()  # earlier batches' keys are found by `_linked`
        for comment in batch:
            if comment.key in known:
                self.report.already_there["comments"] += 1
            elif comment.key in in_batch:
                self.report.skip(
                    "comment", comment.key, "the same comment id twice in the file", comment.line
                )
            elif comment.thread_key not in self.threads:
                self.report.skip(
                    "comment",
                    comment.key,
                    f"its thread {comment.thread_key!r} is not in the file",
                    comment.line,
                )
            else:
                in_batch.add(comment.key)
                fresh.append(comment)
        self._resolve_authors([c.author for c in fresh])
        rows: list[comments_import.ImportedComment] = []
        kept: list[r.Comment] = []
        for comment in fresh:
            try:
                name, name_change = comments_import.imported_name(comment.author.name)
                body, body_change = comments_import.imported_body(comment.body)
            except InvalidInput as exc:
                self.report.skip("comment", comment.key, exc.message, comment.line)
                continue
            for change in (name_change, body_change):
                if change:
                    self.report.change("comment", comment.key, change)
            if "author_name" in comment.native:
                name = comment.native["author_name"]
            _email, website, notes = comments_import.imported_contact(
                "", comment.native.get("author_website", comment.author.website)
            )
            for note in notes:
                self.report.change("comment", comment.key, note)
            html = comment.body_html if comment.body_html is not None and not body_change else None
            rows.append(
                comments_import.ImportedComment(
                    page_id=self.threads[comment.thread_key],
                    author_id=self.authors[comment.author.key],
                    author_name=name,
                    author_website=website,
                    body=body,
                    body_html=html if html is not None else comments_import.render_imported(body),
                    status=comment.status,
                    created_at=comment.created_at,
                    edited_at=comment.edited_at,
                    ip_hash=comment.ip_hash or hash_ip(comment.ip),
                    upvotes=max(0, comment.upvotes),
                    downvotes=max(0, comment.downvotes),
                    suspected_spam=comment.suspected_spam,
                    shadowed=bool(comment.native.get("shadowed")),
                    moderation_reasons=comment.native.get("moderation_reasons"),
                    spam_score=comment.native.get("spam_score"),
                )
            )
            kept.append(comment)
        if not rows:
            return
        ids = comments_import.insert_comments(rows)
        now = timezone.now()
        links: list[tuple[Any, ...]] = []
        pending: list[tuple[int, str]] = []
        for comment, pk, row in zip(kept, ids, rows, strict=True):
            links.append(
                (
                    self.site.pk,
                    self.system,
                    "comment",
                    _source_id(comment.key),
                    pk,
                    comment.facts,
                    now,
                )
            )
            for source in comment.sources:
                links.append(
                    (self.site.pk, source.system, "comment", source.id[:255], pk, source.facts, now)
                )
            passage = comment.native.get("passage")
            if passage:
                self.answers.append(
                    r.Answer(
                        comment_key=comment.key,
                        prompt_key=passage.get("prompt") or "",
                        native=passage,
                    )
                )
            if comment.parent_key:
                pending.append((pk, comment.parent_key[:255]))
            self.touched.add(row.page_id)
        comments_import.insert_values(SourceLink, _LINK_COLUMNS, links, returning=False)
        comments_import.insert_values(PendingParent, _PENDING_COLUMNS, pending, returning=False)
        low, high = min(ids), max(ids)
        self.first_id = low if self.first_id is None else min(self.first_id, low)
        self.last_id = high if self.last_id is None else max(self.last_id, high)
        self.report.imported["comments"] += len(ids)

    def _comment_ids(self, keys: list[str]) -> dict[str, int]:
        return {k: v for k, v in self._linked("comment", keys).items() if v is not None}

    # Votes and ratings -----------------------------------------------------------------

    def flush_votes(self) -> None:
        self.flush_comments()
        batch, self.votes = self.votes, []
        if not batch:
            return
        known = self._linked("vote", [v.key for v in batch])
        comment_ids = self._comment_ids([v.comment_key for v in batch])
        fresh = [v for v in batch if v.key not in known]
        if len(batch) > len(fresh):
            self.report.already_there["votes"] += len(batch) - len(fresh)
        self._resolve_authors([v.voter for v in fresh if v.value != 0])
        owners = dict(self._comment_authors(list(comment_ids.values())))
        existing = set(
            Vote.objects.filter(comment_id__in=list(comment_ids.values())).values_list(
                "comment_id", "voter_id"
            )
        )
        rows, links = [], []
        sources: dict[int, list[r.Source]] = {}
        for vote in fresh:
            comment_id = comment_ids.get(vote.comment_key)
            voter_id = self.authors.get(vote.voter.key)
            if comment_id is None:
                self.report.skip(
                    "vote", vote.key, f"its comment {vote.comment_key!r} was not imported"
                )
                continue
            if vote.value == 0 or voter_id is None:
                facts = {**vote.facts, "withdrawn": True, "comment": vote.comment_key}
                links.append(self._link("vote", vote.key, None, facts | {"voter": vote.voter.key}))
                self.report.imported["withdrawn votes (kept, not counted)"] += 1
                continue
            if owners.get(comment_id) == voter_id:
                self.report.skip("vote", vote.key, "a vote on the voter's own comment")
                continue
            if (comment_id, voter_id) in existing:
                self.report.skip("vote", vote.key, "the same reader voted on this comment twice")
                continue
            existing.add((comment_id, voter_id))
            row = Vote(comment_id=comment_id, voter_id=voter_id, value=1 if vote.value > 0 else -1)
            if vote.created_at is not None:
                row.created_at = vote.created_at
            row.address = vote.native.get("address", "")
            row.address_place = vote.native.get("address_place")
            rows.append(row)
            links.append(self._link("vote", vote.key, None, vote.facts))
            sources[len(links) - 1] = vote.sources
            self.voted.add(comment_id)
        if not links:
            return
        comments_import.insert_votes(rows)
        vote_links = iter(rows)
        for index, link in enumerate(links):
            if not link.facts.get("withdrawn"):
                link.object_id = next(vote_links).pk
                self._sources("vote", link.object_id, sources.get(index, []))
        SourceLink.objects.bulk_create(links, batch_size=500)
        if rows:
            self.report.imported["votes"] += len(rows)

    def _comment_authors(self, ids: list[int]) -> Iterator[tuple[int, int]]:
        from rejoinder.comments.models import Comment

        for start in range(0, len(ids), 500):
            yield from Comment.objects.filter(pk__in=ids[start : start + 500]).values_list(
                "pk", "author_id"
            )

    def flush_ratings(self) -> None:
        batch, self.ratings = self.ratings, []
        if not batch:
            return
        known = self._linked("rating", [x.key for x in batch])
        fresh = [x for x in batch if x.key not in known]
        if len(batch) > len(fresh):
            self.report.already_there["ratings"] += len(batch) - len(fresh)
        self._resolve_authors([x.rater for x in fresh])
        pages = {self.threads[x.thread_key] for x in fresh if x.thread_key in self.threads}
        existing = set(Rating.objects.filter(page_id__in=pages).values_list("page_id", "rater_id"))
        rows, links, kept = [], [], []
        for rating in fresh:
            page_id = self.threads.get(rating.thread_key)
            rater_id = self.authors[rating.rater.key]
            if page_id is None:
                self.report.skip(
                    "rating", rating.key, f"its thread {rating.thread_key!r} is not in the file"
                )
                continue
            if not 1 <= rating.stars <= 5:
                self.report.skip("rating", rating.key, f"{rating.stars} stars: ratings are 1 to 5")
                continue
            if (page_id, rater_id) in existing:
                self.report.skip("rating", rating.key, "the same reader rated this page twice")
                continue
            existing.add((page_id, rater_id))
            row = Rating(page_id=page_id, rater_id=rater_id, stars=rating.stars)
            if rating.created_at is not None:
                row.created_at = row.updated_at = rating.created_at
            row.updated_at = rating.native.get("updated_at", row.updated_at)
            row.address = rating.native.get("address", "")
            row.address_place = rating.native.get("address_place")
            rows.append(row)
            kept.append(rating)
            links.append(self._link("rating", rating.key, None, rating.facts))
            self.rated.add(page_id)
            self.totals.pop(page_id, None)  # per-reader rows are the truth
            self.touched.add(page_id)
        if not rows:
            return
        ratings_import.insert_ratings(rows)
        for link, row, rating in zip(links, rows, kept, strict=True):
            link.object_id = row.pk
            self._sources("rating", row.pk, rating.sources)
        SourceLink.objects.bulk_create(links, batch_size=500)
        self.report.imported["ratings"] += len(rows)

    def _rating_totals(self, totals: r.RatingTotals) -> None:
        page_id = self.threads.get(totals.thread_key)
        if page_id is None or totals.count <= 0 or page_id in self.rated:
            return
        total = round(totals.average * totals.count)
        self.totals[page_id] = (total, totals.count)
        SourceLink.objects.filter(
            site=self.site, system=self.system, kind="page", source_id=totals.thread_key
        ).update(
            facts=self._page_facts(totals.thread_key)
            | {"rating_average": totals.average, "rating_count": totals.count}
        )
        self.touched.add(page_id)

    def _page_facts(self, key: str) -> dict[str, Any]:
        link = SourceLink.objects.filter(
            site=self.site, system=self.system, kind="page", source_id=key
        ).first()
        return dict(link.facts) if link else {}

    # Subscriptions, prompts, linkbacks, blocks -------------------------------------------

    def _subscription(self, sub: r.Subscription) -> None:
        if self._linked("subscription", [sub.key]):
            self.report.already_there["subscriptions"] += 1
            return
        page_id = self.threads.get(sub.thread_key)
        if page_id is None:
            self.report.skip(
                "subscription", sub.key, f"its thread {sub.thread_key!r} is not in the file"
            )
            return
        email, _website, notes = comments_import.imported_contact(sub.email, "")
        if not email:
            self.report.skip("subscription", sub.key, notes[0] if notes else "no email address")
            return
        if sub.kind == "replies" and sub.comment_key:
            self.flush_comments()
            comment_ids = self._comment_ids([sub.comment_key])
            if sub.comment_key not in comment_ids:
                self.report.skip(
                    "subscription", sub.key, f"its comment {sub.comment_key!r} was not imported"
                )
                return
            owner = dict(self._comment_authors([comment_ids[sub.comment_key]]))
            reader = (
                Commenter.objects.filter(pk=owner[comment_ids[sub.comment_key]])
                .values_list("reader_key", flat=True)
                .first()
                or ""
            )
        else:
            reader = Commenter.objects.filter(
                email__iexact=email,
                reader_key__startswith="imp-",
                pk__in=list(self.authors.values())[:50000],
            ).values_list("reader_key", flat=True).first() or reader_key_for(
                self.site.pk, self.system, f"subscriber:{email.lower()}"
            )
        if subscriptions_import.existing_subscription(page_id, email, sub.kind):
            self.report.skip(
                "subscription", sub.key, "the address is already subscribed to this page"
            )
            SourceLink.objects.bulk_create(
                [self._link("subscription", sub.key, None, sub.facts | {"merged": True})]
            )
            return
        when = sub.created_at or timezone.now()
        row = Subscription(
            page_id=page_id,
            email=email,
            kind=sub.kind,
            reader_key=sub.native.get("reader_key", reader),
            created_at=when,
            confirmed_at=sub.native.get("confirmed_at", when if sub.confirmed else None),
            unsubscribed_at=sub.native.get("unsubscribed_at"),
        )
        if sub.native.get("token_salt"):
            row.token_salt = sub.native["token_salt"]
        subscriptions_import.insert_subscriptions([row])
        self._link("subscription", sub.key, row.pk, sub.facts).save()
        self._sources("subscription", row.pk, sub.sources)
        self.report.imported[
            "subscriptions" if sub.confirmed else "subscriptions (unconfirmed)"
        ] += 1

    def _fact(self, fact: r.Fact) -> None:
        system = fact.system or self.system
        if SourceLink.objects.filter(
            site=self.site, system=system, kind=fact.kind, source_id=fact.key
        ).exists():
            self.report.already_there[fact.kind + "s"] += 1
            return
        link = self._link(fact.kind, fact.key, None, fact.facts)
        link.system = system
        link.save()
        self.report.imported[f"{fact.kind}s (kept as facts)"] += 1

    def _prompt(self, prompt: r.Prompt) -> None:
        known = {
            k: v for k, v in self._linked("prompt", [prompt.key, *prompt.aliases]).items() if v
        }
        if known:
            object_id = next(iter(known.values()))
            for alias in [prompt.key, *prompt.aliases]:
                if alias not in known:
                    self._link("prompt", alias, object_id, {"alias": True}).save()
            self.report.already_there["prompts"] += 1
            return
        page_id = self.threads.get(prompt.thread_key)
        if page_id is None:
            self.report.skip(
                "prompt", prompt.key, f"its thread {prompt.thread_key!r} is not in the file"
            )
            return
        question = prompt.question.strip()
        if len(question) > 300:
            self.report.change("prompt", prompt.key, "question cut to 300 characters")
            question = question[:300]
        row = PromptRow.objects.create(
            page_id=page_id,
            question=question,
            is_open=prompt.is_open,
            exact=prompt.exact,
            **{k: v for k, v in prompt.native.items() if k in _PROMPT_FIELDS},
        )
        self._link("prompt", prompt.key, row.pk, prompt.facts).save()
        self._sources("prompt", row.pk, prompt.sources)
        for alias in prompt.aliases:
            self._link("prompt", alias, row.pk, {"alias": True}).save()
        self.report.imported["prompts"] += 1
        self.touched.add(page_id)

    def _linkback(self, linkback: r.Linkback) -> None:
        if self._linked("linkback", [linkback.key]):
            self.report.already_there["linkbacks"] += 1
            return
        page_id = self.threads.get(linkback.thread_key)
        if page_id is None:
            self.report.skip("linkback", linkback.key, "its thread is not in the file")
            return
        row = Linkback.objects.create(
            page_id=page_id,
            kind=linkback.kind,
            title=linkback.title[:500],
            url=linkback.url[:1000],
            excerpt=linkback.excerpt,
            status=linkback.status,
            ip_hash=linkback.native.get("ip_hash") or hash_ip(linkback.ip),
            created_at=linkback.created_at,
        )
        self._link("linkback", linkback.key, row.pk, {}).save()
        self._sources("linkback", row.pk, linkback.sources)
        self.report.imported[f"{linkback.kind}s (kept apart, not comments)"] += 1

    def _block(self, block: r.Block) -> None:
        commenter_id = None
        if block.author is not None:
            self._resolve_authors([block.author])
            commenter_id = self.authors[block.author.key]
        key = block.key or f"block:{block.author.key if block.author else ''}"
        if self._linked("ban", [key]):
            self.report.already_there["blocks"] += 1
            return
        ban = Ban.objects.create(
            site=self.site,
            commenter_id=commenter_id,
            until=block.until,
            reason=block.reason[:500],
            created_by_id=self.account(block.native.get("created_by")),
            **{k: v for k, v in block.native.items() if k in _BAN_FIELDS},
        )
        self._link("ban", key, ban.pk, {}).save()
        self._sources("ban", ban.pk, block.sources)
        self.report.imported["bans"] += 1

    # Rows only Rejoinder has (its own export's reader overrides these) -----------------

    def native_row(self, record: r.Native) -> None:
        self.report.skip(record.kind, record.key, f"{self.system} files hold no such rows")

    def account(self, username: str | None) -> int | None:
        """The id of the account of that user name (imports from other systems make none)."""
        return None

    def finish_native_rows(self) -> None:
        return None

    # The end ---------------------------------------------------------------------------

    def finish(self) -> None:
        """Write what is buffered, hang replies, link answers, and set every counter."""
        self.flush_people()
        self.flush_comments()
        self.flush_votes()
        self.flush_ratings()
        if not self.site_checked:
            self.check_site()
        self._place_replies()
        self._answers()
        self.finish_native_rows()
        if self.voted and not self.native:
            comments_import.recount_votes(sorted(self.voted))
        pages = sorted(self.touched)
        comments_import.recount_comments(pages)
        if self.native:
            ratings_import.set_rating_totals(self.page_counters)
        else:
            ratings_import.recount_ratings(sorted(self.rated | set(self.totals)), self.totals)

    def _place_replies(self) -> None:
        if self.first_id is None or self.last_id is None:
            PendingParent.objects.all().delete()
            return
        link = SourceLink._meta.db_table
        pending = PendingParent._meta.db_table
        query = (
            f"SELECT p.comment_id, p.parent_source_id, l.object_id FROM {pending} p"  # noqa: S608
            f" LEFT JOIN {link} l ON l.site_id = %s AND l.system = %s AND l.kind = 'comment'"
            " AND l.source_id = p.parent_source_id ORDER BY p.comment_id"
        )
        orphans: list[tuple[int, str]] = []

        def pairs() -> Iterator[tuple[int, int]]:
            with connection.cursor() as cursor:
                cursor.execute(query, [self.site.pk, self.system])
                while rows := cursor.fetchmany(5000):
                    for comment_id, parent_key, parent_id in rows:
                        if parent_id is None:
                            orphans.append((comment_id, parent_key))
                        else:
                            yield comment_id, parent_id

        placement = comments_import.place_replies(
            pairs(),
            first_id=self.first_id,
            last_id=self.last_id,
            max_depth=self.site.max_reply_depth,
        )
        if orphans or placement.loops:
            keys = dict(
                SourceLink.objects.filter(
                    site=self.site,
                    system=self.system,
                    kind="comment",
                    object_id__in=[pk for pk, _ in orphans[:5000]] + placement.loops[:5000],
                ).values_list("object_id", "source_id")
            )
            for pk, parent_key in orphans:
                self.report.orphan(keys.get(pk, str(pk)), parent_key)
            for pk in placement.loops:
                self.report.orphan(keys.get(pk, str(pk)), "(its parents name each other in a loop)")
        if placement.clamped:
            self.report.note(
                f"{placement.clamped} replies deeper than the site's maximum depth "
                f"({self.site.max_reply_depth}) hang at that depth, naming whom they answer"
            )
        PendingParent.objects.all().delete()

    def _answers(self) -> None:
        if not self.answers:
            return
        from rejoinder.comments.models import Comment

        comment_ids = self._comment_ids(list({a.comment_key for a in self.answers}))
        prompts = {
            k: v
            for k, v in self._linked(
                "prompt",
                list(
                    {a.prompt_key for a in self.answers}
                    | {a.fallback_key or "" for a in self.answers}
                ),
            ).items()
            if v
        }
        rows = {
            row.pk: row
            for row in Comment.objects.filter(pk__in=list(comment_ids.values())).only(
                "pk", "page_id", "depth"
            )
        }
        prompt_rows = {p.pk: p for p in PromptRow.objects.filter(pk__in=list(prompts.values()))}
        have = set(
            Anchor.objects.filter(comment_id__in=list(rows)).values_list("comment_id", flat=True)
        )
        anchors = []
        for answer in self.answers:
            comment = rows.get(comment_ids.get(answer.comment_key, 0))
            prompt = prompt_rows.get(
                prompts.get(answer.prompt_key) or prompts.get(answer.fallback_key or "", 0) or 0
            )
            if comment is None or comment.pk in have or (prompt is None and answer.prompt_key):
                continue
            if comment.depth != 0 or (prompt is not None and prompt.page_id != comment.page_id):
                continue  # a reply answers its parent, not the passage
            have.add(comment.pk)
            fields = {k: v for k, v in answer.native.items() if k in _ANCHOR_FIELDS}
            fields.setdefault("exact", prompt.exact if prompt is not None else "")
            anchors.append(
                Anchor(comment_id=comment.pk, page_id=comment.page_id, prompt=prompt, **fields)
            )
        Anchor.objects.bulk_create(anchors, batch_size=500)
        self.report.imported["answers to prompts"] += len(anchors)
