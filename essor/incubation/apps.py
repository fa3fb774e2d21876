from django.apps import AppConfig


class IncubationConfig(AppConfig):
    name = "essor.incubation"

    def ready(self):
        from . import merge  # noqa: F401  (registers how this app's records merge)
