from django.urls import path

from rejoinder.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignIn.as_view(), name="sign_in"),
    path("sign-out/", views.SignOut.as_view(), name="sign_out"),
    path("<int:site_id>/queue/<str:name>/", views.queue, name="queue"),
    path("<int:site_id>/counts", views.counts, name="counts"),
    path("<int:site_id>/act", views.act, name="act"),
    path("<int:site_id>/comments/<int:comment_id>/ban", views.ban, name="ban"),
    path("<int:site_id>/bans/", views.bans, name="bans"),
    path("<int:site_id>/bans/<int:ban_id>/lift", views.lift, name="lift"),
    path("<int:site_id>/not-counted/", views.not_counted, name="not_counted"),
    path("<int:site_id>/audit/", views.audit, name="audit"),
    path("<int:site_id>/undo", views.undo, name="undo"),
]
