"""The REST API: one router over every app's ``api`` module."""

from rest_framework.routers import DefaultRouter

from essor.incubation import api as incubation_api
from essor.observatory import api_indicators as observatory_indicators_api
from essor.observatory import api_open as observatory_open_api
from essor.observatory import api_values as observatory_values_api
from essor.promotion import api as promotion_api
from essor.registry import api as registry_api
from essor.territory import api as territory_api
from essor.training import api as training_api


class Router(DefaultRouter):
    """Record ids are digits: ``/api/people/abc/`` is no route (404), not a server error."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if (getattr(viewset, "lookup_field", "pk") == "pk"
                and getattr(viewset, "lookup_value_regex", None) is None):
            kwarg = getattr(viewset, "lookup_url_kwarg", None) or "pk"
            return f"(?P<{lookup_prefix}{kwarg}>[0-9]+)"
        return super().get_lookup_regex(viewset, lookup_prefix)


router = Router()
territory_api.register(router)
registry_api.register(router)
promotion_api.register(router)
training_api.register(router)
incubation_api.register(router)
observatory_indicators_api.register(router)
observatory_values_api.register(router)
observatory_open_api.register(router)

urlpatterns = router.urls
