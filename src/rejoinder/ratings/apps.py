from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "rejoinder.ratings"
    label = "ratings"
    verbose_name = _("Ratings")

    def ready(self) -> None:
        from rejoinder.accounts.merging import on_merge
        from rejoinder.ratings.merging import merge_ratings

        on_merge(merge_ratings)
