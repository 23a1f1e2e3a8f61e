from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "rejoinder.api"
    label = "api"
    verbose_name = "JSON API"

    def ready(self) -> None:
        from rejoinder.api.idempotency import forget_readers, purge_idempotency_keys
        from rejoinder.outbox.worker import register_step
        from rejoinder.privacy.collection import register_store

        register_store(
            "idempotency_keys", erase=lambda scope, erased: forget_readers(scope.reader_keys)
        )

        register_step("idempotency-keys", purge_idempotency_keys, every_seconds=600)
