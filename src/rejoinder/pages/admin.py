from django.contrib import admin
from django.http import HttpRequest

from rejoinder.pages.models import Article, Page, Site
from rejoinder.pages.publishing import save_article


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "default_sort", "max_reply_depth", "edit_window_minutes"]


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
