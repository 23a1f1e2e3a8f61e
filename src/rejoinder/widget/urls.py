from django.urls import path

from rejoinder.widget import embed, pictures, sign_in_pages, signing_in, views

app_name = "widget"
urlpatterns = [
    path("embed.js", embed.loader, name="embed_loader"),
    path("embed/m/<str:name>", embed.asset, name="embed_asset"),
    path("embed/<id:site_id>/box", embed.box, name="embed_box"),
    path("embed/<id:site_id>/comments", embed.first_comment, name="embed_post"),
    path("embed/<id:site_id>/rating", embed.first_rating, name="embed_rate"),
    path("embed/<id:site_id>/counts", embed.badges, name="embed_counts"),
    path("embed/<id:site_id>/passages", embed.passages_of, name="embed_passages"),
    path("embed/<id:site_id>/discussion", embed.discussion, name="embed_discussion"),
    path("embed/<id:site_id>/sign-in", signing_in.sign_in, name="sign_in"),
    path("embed/<id:site_id>/sign-out", signing_in.sign_out, name="sign_out"),
    path("sign-in/email", sign_in_pages.email_sign_in, name="email_sign_in"),
    path("sign-in/email/<str:token>/", sign_in_pages.email_sign_in_link, name="email_sign_in_link"),
    path("sign-in/oidc/<id:provider_id>/start", sign_in_pages.oidc_start, name="oidc_start"),
    path("sign-in/oidc/callback", sign_in_pages.oidc_callback, name="oidc_callback"),
    path("sign-out", sign_in_pages.sign_out, name="own_sign_out"),
    path("avatars/<str:token>", pictures.picture, name="avatar"),
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
