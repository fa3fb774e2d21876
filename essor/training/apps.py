from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "essor.training"

    def ready(self):
        from . import merge  # noqa: F401  (registers how this app's records merge)
