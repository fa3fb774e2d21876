"""The observatory's pages, one module per part (dashboards, drill-down, observatories and
collected values, open data); ``essor.observatory.urls`` joins their ``urlpatterns``."""
