from django.urls import path

from . import views

app_name = "territory"
urlpatterns = [path("provinces/options/", views.province_options, name="province_options")]
