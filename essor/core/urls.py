from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("imports/", views.import_index, name="import_index"),
    path("imports/<slug:kind>/", views.import_upload, name="import_upload"),
    path("imports/<slug:kind>/template.<str:fmt>", views.import_template,
         name="import_template"),
]
