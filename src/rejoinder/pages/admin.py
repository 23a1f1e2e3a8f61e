from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rejoinder.pages.models import Article, Page, Site
from rejoinder.pages.publishing import save_article


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "default_sort", "max_reply_depth", "edit_window_minutes"]
    readonly_fields = ["sso_audience_claim"]
    actions = ["new_sso_secret"]

    @admin.display(description=_("SSO audience (aud)"))
    def sso_audience_claim(self, site: Site) -> str:
        return site.sso_audience() if site.pk else ""

    @admin.action(description=_("Generate a new single sign-on secret (HS256)"))
    def new_sso_secret(self, request: HttpRequest, queryset: QuerySet[Site]) -> None:
        """Replace each chosen site's secret and show it once: tokens signed with the old one
        are refused from now on."""
        for site in queryset:
            secret = site.rotate_sso_secret()
            self.message_user(
                request,
                _(
                    "The single sign-on secret of %(site)s is now %(secret)s. Copy it to the "
                    "publisher's server now: it is not shown again."
                )
                % {"site": site.name, "secret": secret},
                messages.WARNING,
            )


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "uri", "site", "is_open", "comment_count", "rating_count"]
    list_filter = ["site", "is_open"]
    search_fields = ["uri", "title"]
    readonly_fields = ["comment_count", "rating_sum", "rating_count", "version", "created_at"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "author_name", "published_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["headline", "standfirst", "body"]
    prepopulated_fields = {"slug": ["headline"]}
    fieldsets = [
        (
            None,
            {"fields": ["headline", "slug", "standfirst", "author_name", "body", "source_line"]},
        ),
        (
            "Figure",
            {"fields": ["figure", "figure_url", "figure_alt", "figure_caption", "figure_credit"]},
        ),
        ("Publication", {"fields": ["published_at", "is_published"]}),
    ]

    def save_model(self, request: HttpRequest, obj: Article, form: object, change: bool) -> None:
        save_article(obj)
