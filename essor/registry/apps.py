from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "essor.registry"

    def ready(self):
        from . import merge  # noqa: F401  (registers how this app's records merge)
