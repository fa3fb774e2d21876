from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "essor.accounts"

    def ready(self):
        from . import signals  # noqa: F401
