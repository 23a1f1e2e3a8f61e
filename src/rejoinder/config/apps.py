from django.apps import AppConfig


class ServerConfig(AppConfig):
    """The project's own settings: registers the deployment checks (config/checks.py)."""

    name = "rejoinder.config"
    label = "config"
    verbose_name = "Configuration"

    def ready(self) -> None:
        from rejoinder.config import checks  # noqa: F401 - registers the deployment checks
