from django.urls import path

from rejoinder.live import views

app_name = "live"
urlpatterns = [
    path("discussion/<id:page_id>/events", views.events, name="events"),
]
