"""The records behind a figure (the drill-down)."""

from django.urls import path

from . import drilldown_pages

urlpatterns = [
    path("records/<str:code>/", drilldown_pages.drilldown, name="drilldown"),
]
