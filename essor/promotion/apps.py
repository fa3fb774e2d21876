from django.apps import AppConfig


class PromotionConfig(AppConfig):
    name = "essor.promotion"

    def ready(self):
        from . import merge  # noqa: F401  (registers how this app's records merge)
