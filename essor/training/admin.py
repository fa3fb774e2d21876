from django.contrib import admin

from .models import Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    """The themes catalogue, in French and Arabic (workshops themselves are run from the
    training pages, where every change is audited)."""

    list_display = ("code", "name_fr", "name_ar")
    search_fields = ("code", "name_fr", "name_ar")
