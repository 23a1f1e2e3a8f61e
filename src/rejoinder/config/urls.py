from django.contrib import admin
from django.urls import include, path, register_converter

from rejoinder.api.main import api
from rejoinder.comments.feeds import PageCommentsFeed, SiteCommentsFeed
from rejoinder.config.converters import IdConverter
from rejoinder.config.health import health

# Before the includes below: every app's URLs name their ids <id:…>.
register_converter(IdConverter, "id")

admin.site.site_header = "Rejoinder"
admin.site.site_title = "Rejoinder admin"

# A database fault raised outside a view is still a 503 (config/faults.py).
handler500 = "rejoinder.config.faults.server_error"

urlpatterns = [
    path("health", health, name="health"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("moderation/", include("rejoinder.moderation.urls")),
    path("", include("rejoinder.widget.urls")),
    path("", include("rejoinder.live.urls")),
    path("", include("rejoinder.subscriptions.urls")),
    path("", include("rejoinder.privacy.urls")),
    path("", include("rejoinder.readers.urls")),
    path("feeds/comments.atom", SiteCommentsFeed(), name="comments-feed"),
    path("feeds/pages/<id:page_id>/comments.atom", PageCommentsFeed(), name="page-comments-feed"),
    path("", include("rejoinder.articles.urls")),
]
