from django.urls import path

from rejoinder.subscriptions import views

app_name = "subscriptions"
urlpatterns = [
    path("discussion/<id:page_id>/subscribe", views.subscribe_to_page, name="subscribe"),
    path("subscriptions/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscriptions/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("subscriptions/manage/<str:token>/", views.manage, name="manage"),
]
