"""The public open-data pages (mounted under /open/ by essor.observatory.urls_open)."""

urlpatterns: list = []
