"""Hostile strings in every text field of the registry's forms and API: never a server
error, never markup echoed back unescaped, nothing half-written."""

import pytest
from rest_framework.test import APIClient

from essor.registry.models import Organisation, Person

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'; DROP TABLE registry_person; --",
    "=HYPERLINK(\"http://evil.invalid\",\"x\")",
    "\u202egnp.exe",            # right-to-left override
    "a\x00b",                   # NUL byte
    "x" * 5000,                 # far too long
    "١٢٣٤٥٦٧٨٩٠",               # Arabic-Indic digits
    "   ",
    "{{ 7*7 }}{% debug %}",
    "../../etc/passwd",
]
ORGANISATION_TEXT = ["name", "name_ar", "city", "ice", "registration_number", "email", "phone",
                     "founding_year", "members_women"]
PERSON_TEXT = ["first_name", "last_name", "first_name_ar", "last_name_ar", "birth_year",
               "phone", "national_id"]


def _organisation(region, **changes):
    return {"name": "Coopérative Tilila", "kind": "cooperative", "region": region, **changes}


def _person(region, **changes):
    return {"first_name": "Naima", "last_name": "Sabri", "sex": "F", "region": region,
            **changes}


@pytest.mark.parametrize("field", ORGANISATION_TEXT)
def test_organisation_form_and_api_survive_hostile_strings(client_as, oriental_officer,
                                                           oriental, field):
    client = client_as(oriental_officer)
    api = APIClient()
    api.force_authenticate(oriental_officer)
    for value in HOSTILE:
        before = Organisation.objects.count()
        page = client.post("/registry/organisations/new/", _organisation(oriental.pk,
                                                                         **{field: value}))
        assert page.status_code in (200, 302), (field, value)
        assert b"<script>alert(1)</script>" not in page.content
        response = api.post("/api/organisations/", _organisation("MA-02", **{field: value}),
                            format="json")
        assert response.status_code in (201, 400), (field, value, response.status_code)
        assert b"<script>alert(1)</script>" not in response.content or (
            response["Content-Type"].startswith("application/json"))
        Organisation.objects.exclude(pk__in=list(Organisation.objects.order_by("pk")
                                     .values_list("pk", flat=True)[:before])).delete()


@pytest.mark.parametrize("field", PERSON_TEXT)
def test_person_form_and_api_survive_hostile_strings(client_as, oriental_officer, oriental,
                                                     field):
    client = client_as(oriental_officer)
    api = APIClient()
    api.force_authenticate(oriental_officer)
    for value in HOSTILE:
        page = client.post("/registry/people/new/", _person(oriental.pk, **{field: value}))
        assert page.status_code in (200, 302), (field, value)
        assert b"<script>alert(1)</script>" not in page.content
        response = api.post("/api/people/", _person("MA-02", **{field: value}), format="json")
        assert response.status_code in (201, 400), (field, value, response.status_code)
        Person.objects.all().delete()


def test_hostile_search_strings_are_harmless(client_as, national_admin):
    client = client_as(national_admin)
    for value in HOSTILE:
        for url in ("/registry/people/", "/registry/organisations/", "/api/people/",
                    "/audit/"):
            response = client.get(url, {"q": value, "region": value, "action": value})
            assert response.status_code == 200, (url, value)
            assert b"<script>alert(1)</script>" not in response.content
