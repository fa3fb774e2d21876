"""The observatory's pages under /observatory/ (staff) and /open/ (public)."""

from .views import dashboards, drilldown, observatories, values

app_name = "observatory"
urlpatterns = [*dashboards.urlpatterns, *drilldown.urlpatterns, *observatories.urlpatterns,
               *values.urlpatterns]
