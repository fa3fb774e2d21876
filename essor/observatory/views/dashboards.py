"""The observatory's dashboards pages."""

urlpatterns: list = []
