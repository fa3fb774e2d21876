from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "essor.core"

    def ready(self):
        from django.contrib import admin

        # The Django admin is a technical back office for superusers only.
        admin.site.has_permission = lambda request: bool(  # type: ignore[method-assign]
            request.user.is_active and request.user.is_superuser)
