from django.contrib import admin
from django.urls import include, path

from rejoinder.api.main import api

admin.site.site_header = "Rejoinder"
admin.site.site_title = "Rejoinder admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("rejoinder.widget.urls")),
    path("", include("rejoinder.pages.urls")),
]
