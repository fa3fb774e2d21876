from django.contrib import admin

# Each registers its own models (observatories, audited; collected values, read only).
from . import admin_observatories, admin_values  # noqa: F401
from .models import Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("indicator_code", "period_start", "period_end", "region", "value")
    list_filter = ("region",)
    search_fields = ("indicator_code",)
