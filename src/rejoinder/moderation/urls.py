from django.urls import path

from rejoinder.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignIn.as_view(), name="sign_in"),
    path("sign-out/", views.SignOut.as_view(), name="sign_out"),
    path("<id:site_id>/queue/<str:name>/", views.queue, name="queue"),
    path("<id:site_id>/counts", views.counts, name="counts"),
    path("<id:site_id>/act", views.act, name="act"),
    path("<id:site_id>/comments/<id:comment_id>/ban", views.ban, name="ban"),
    path("<id:site_id>/bans/", views.bans, name="bans"),
    path("<id:site_id>/bans/<id:ban_id>/lift", views.lift, name="lift"),
    path("<id:site_id>/not-counted/", views.not_counted, name="not_counted"),
    path("<id:site_id>/audit/", views.audit, name="audit"),
    path("<id:site_id>/undo", views.undo, name="undo"),
]
