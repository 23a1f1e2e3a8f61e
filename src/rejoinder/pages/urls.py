from django.urls import path

from rejoinder.pages import views

app_name = "pages"
urlpatterns = [
    path("", views.index, name="index"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("feeds/articles.atom", views.AtomArticleFeed(), name="feed"),
]
