from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "essor.observatory"
    verbose_name = "observatory"

    def ready(self) -> None:
        from . import cache
        from .catalogue import load_indicators

        load_indicators()
        cache.connect()
