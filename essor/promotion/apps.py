from django.apps import AppConfig


class PromotionConfig(AppConfig):
    name = "essor.promotion"
