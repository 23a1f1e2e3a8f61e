from django.contrib import admin

from rejoinder.ratings.models import Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["page", "rater", "stars", "updated_at"]
    raw_id_fields = ["page", "rater"]
