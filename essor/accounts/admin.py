from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("essor"), {"fields": ("role", "regions",
                                                                     "organisation")}))
    list_display = ("username", "email", "role", "is_active")
    list_filter = ("role", "is_active", "regions")
    filter_horizontal = ("regions", *BaseUserAdmin.filter_horizontal)
    raw_id_fields = ("organisation",)

    def has_module_permission(self, request):
        return request.user.is_superuser
