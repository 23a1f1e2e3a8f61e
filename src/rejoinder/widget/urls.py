from django.urls import path

from rejoinder.widget import views

app_name = "widget"
urlpatterns = [
    path("c/<id:comment_id>/", views.permalink, name="permalink"),
    path("discussion/<id:page_id>/", views.page_redirect, name="permalink_page"),
    path("discussion/<id:page_id>/box", views.box_fragment, name="box"),
    path("discussion/<id:page_id>/thread", views.thread_fragment, name="thread"),
    path("discussion/<id:page_id>/comments", views.post, name="post"),
    path("discussion/<id:page_id>/article", views.article_fragment, name="article_body"),
    path("discussion/<id:page_id>/passage", views.passage_fragment, name="passage"),
    path("discussion/<id:page_id>/rating", views.rate, name="rate"),
    path("discussion/comments/<id:comment_id>/edit", views.edit, name="edit"),
    path("discussion/comments/<id:comment_id>/delete", views.delete, name="delete"),
    path("discussion/comments/<id:comment_id>/vote", views.vote, name="vote"),
    path("discussion/comments/<id:comment_id>/report", views.report, name="report"),
    path("discussion/comments/<id:comment_id>/replies", views.replies, name="replies"),
]
