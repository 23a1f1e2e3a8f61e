from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WidgetConfig(AppConfig):
    name = "rejoinder.widget"
    label = "widget"
    verbose_name = _("Discussion box")
