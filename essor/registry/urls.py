from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/members/add/", views.organisation_member_add,
         name="organisation_member_add"),
    path("organisations/<int:pk>/members/<int:membership>/remove/",
         views.organisation_member_remove, name="organisation_member_remove"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/matches/", views.person_matches, name="person_matches"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:keep>/merge/<int:drop>/", views.person_merge, name="person_merge"),
    path("people/<int:a>/dismiss/<int:b>/", views.person_match_dismiss,
         name="person_match_dismiss"),
]
