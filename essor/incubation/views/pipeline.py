"""pipeline pages of incubation (see urls.py)."""

urlpatterns: list = []
