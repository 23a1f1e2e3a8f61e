from django.urls import path

from rejoinder.readers import views

app_name = "readers"
urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/name", views.change_name, name="name"),
    path("me/sign-out-everywhere", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("me/subscriptions/<id:subscription_id>/end", views.end_subscription, name="unsubscribe"),
    path("me/notices", views.notices, name="notices"),
    path("me/notices/read", views.read_notices, name="read_notices"),
]
