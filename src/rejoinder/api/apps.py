from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "rejoinder.api"
    label = "api"
    verbose_name = "JSON API"
