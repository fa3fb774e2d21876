"""The observatory's collected values pages (entry, workflow, comments)."""

urlpatterns: list = []
