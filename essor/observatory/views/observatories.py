"""The observatory's observatories pages."""

urlpatterns: list = []
