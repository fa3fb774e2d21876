"""The public open-data pages under /open/: no account needed."""

from .views import opendata

app_name = "open"
urlpatterns = [*opendata.urlpatterns]
