from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The sample content, the mail catcher and the admin's "Demo mailbox".

    Above every domain app: it loads content through their functions and extends the outbox's
    admin (demo/admin.py); nothing imports it but the `rejoinder` command.
    """

    name = "rejoinder.demo"
    label = "demo"
    verbose_name = _("Demo")
