from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "rejoinder.api"
    label = "api"
    verbose_name = "JSON API"

    def ready(self) -> None:
        from rejoinder.api.idempotency import purge_idempotency_keys
        from rejoinder.outbox.worker import register_step

        register_step("idempotency-keys", purge_idempotency_keys, every_seconds=600)
