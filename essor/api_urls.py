"""The REST API: one router over every app's ``api`` module."""

from rest_framework.routers import DefaultRouter

from essor.promotion import api as promotion_api
from essor.registry import api as registry_api
from essor.territory import api as territory_api
from essor.training import api as training_api

router = DefaultRouter()
territory_api.register(router)
registry_api.register(router)
promotion_api.register(router)
training_api.register(router)

urlpatterns = router.urls
