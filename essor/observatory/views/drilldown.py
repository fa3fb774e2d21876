"""The observatory's drilldown pages."""

urlpatterns: list = []
