"""Comment counts for article lists, read from the Page's denormalised counter."""

from rejoinder.pages.models import Page, Site


def comment_counts(site: Site, uris: list[str]) -> dict[str, int]:
    """Return {uri: published comments} for each uri; pages without a discussion count 0."""
    wanted = list(dict.fromkeys(u for u in uris if isinstance(u, str)))
    found = dict(Page.objects.filter(site=site, uri__in=wanted).values_list("uri", "comment_count"))
    return {uri: found.get(uri, 0) for uri in wanted}
