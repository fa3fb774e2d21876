from django.contrib import admin

from .models import Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("indicator_code", "period_start", "period_end", "region", "value")
    list_filter = ("region",)
    search_fields = ("indicator_code",)

from . import (
    admin_observatories,  # noqa: E402,F401 (observatories, audited)
    admin_values,  # noqa: E402,F401 (collected values: the lock holds here too)
)
