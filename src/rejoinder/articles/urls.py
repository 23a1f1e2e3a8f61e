from django.urls import path

from rejoinder.articles import views

# The names these URLs have always had ("pages:article", …): templates, Article.get_absolute_url
# and publishers' own templates reverse them.
app_name = "pages"
urlpatterns = [
    path("", views.index, name="index"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("feeds/articles.atom", views.AtomArticleFeed(), name="feed"),
]
