from django.apps import AppConfig


class IncubationConfig(AppConfig):
    name = "essor.incubation"

    def ready(self):
        from . import merge, signals  # noqa: F401  (how this app's records merge; targets)
