from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "rejoinder.accounts"
    label = "accounts"
    verbose_name = _("Reader accounts")

    def ready(self) -> None:
        from rejoinder.accounts.email_sign_in import purge_sign_in_links
        from rejoinder.accounts.oidc import purge_oidc_logins
        from rejoinder.accounts.sessions import purge_sessions
        from rejoinder.outbox.worker import register_step

        register_step("reader-sessions", purge_sessions, every_seconds=3600)
        register_step("sign-in-links", purge_sign_in_links, every_seconds=3600)
        register_step("oidc-logins", purge_oidc_logins, every_seconds=3600)
