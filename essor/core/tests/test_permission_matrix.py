"""Every URL pattern × every persona: the expected answer, so no page escapes scoping.

The matrix is keyed by URL name. A pattern that the resolver knows and the matrix does not
fails ``test_every_url_pattern_is_in_the_matrix``: a new page cannot ship without saying
who may open it. Objects used belong to Casablanca-Settat, so the Oriental personas must
get 404 on them (never "forbidden": a foreign region's object is not found).
"""

import re
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from essor.core.testing import ALL, CASA_OBJECT, CASA_OBJECT_READ, EDITORS, PERSONAS, row
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

# Who is who (see conftest): oriental_officer, trainer, analyst and partner are Oriental;
# casablanca_officer and coach are Casablanca-Settat; organisation_account owns another
# Casablanca-Settat cooperative.
READERS_OF_PEOPLE = {**EDITORS, "trainer": 200, "coach": 200}

MATRIX = {
    "core:home": row(**ALL),
    "core:import_index": row(**EDITORS),
    "core:import_upload": row(**EDITORS),
    "core:import_template": row(**EDITORS),
    "accounts:login": row(anonymous=200, default=302),
    "accounts:logout": row(anonymous=405, default=405),
    "set_language": row(anonymous=302, default=302),
    "territory:province_options": row(**ALL),
    "registry:organisation_list": row(**{**ALL, "partner": 302, "organisation_account": 302}),
    "registry:organisation_create": row(**EDITORS),
    "registry:organisation_detail": row(**CASA_OBJECT_READ),
    "registry:organisation_edit": row(**CASA_OBJECT),
    "registry:organisation_member_add": row(default=405),
    "registry:organisation_member_remove": row(default=405),
    "registry:person_list": row(**READERS_OF_PEOPLE),
    "registry:person_create": row(**READERS_OF_PEOPLE),
    "registry:person_matches": row(**EDITORS),
    "registry:person_detail": row(**CASA_OBJECT_READ),
    "registry:person_edit": row(**CASA_OBJECT),
    "registry:person_merge": row(**{**CASA_OBJECT, "trainer": 403, "coach": 403,
                                    "analyst": 403, "partner": 403,
                                    "organisation_account": 403}),
    "registry:person_match_dismiss": row(default=405),
    "audit:entry_list": row(national_admin=200, default=403),
    "api-root": row(anonymous=401, default=200),
    # The API's description is public; the data behind it is not.
    "api-schema": row(anonymous=401, default=200),
    "api-docs": row(anonymous=302, default=200),
    "region-list": row(anonymous=401, default=200),
    "region-detail": row(anonymous=401, default=200),
    "province-list": row(anonymous=401, default=200),
    "province-detail": row(anonymous=401, default=200),
    "organisation-list": row(anonymous=401, default=200),
    "organisation-detail": row(anonymous=401, **CASA_OBJECT_READ),
    "person-list": row(anonymous=401, **READERS_OF_PEOPLE),
    "person-detail": row(anonymous=401, **CASA_OBJECT_READ),
}


def app_matrices():
    """Every app's ``tests/matrix*.py`` modules (see essor/core/testing.py)."""
    for config in apps.get_app_configs():
        folder = Path(config.path) / "tests"
        if not config.name.startswith("essor.") or not folder.is_dir():
            continue
        for path in sorted(folder.glob("matrix*.py")):
            yield import_module(f"{config.name}.tests.{path.stem}")


for _module in app_matrices():
    MATRIX.update(_module.ROWS)

# The Django admin is a back office for superusers only; every one of its pages is
# checked by the rule below rather than listed one by one.
ADMIN_NAMESPACE = "admin"
ADMIN_PREFIX = "admin/"
ADMIN_OPEN = {"admin:login", "admin:logout"}  # its own login page, and logout (POST only)


def walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            full_ns = ns if not namespace or entry.namespace is None else (
                f"{namespace}:{entry.namespace}" if namespace != entry.namespace else ns)
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern), entry


def all_patterns():
    return list(walk(get_resolver().url_patterns))


def test_every_url_pattern_is_in_the_matrix():
    missing = []
    for name, route, _entry in all_patterns():
        if route.startswith(ADMIN_PREFIX):
            continue
        if name not in MATRIX:
            missing.append(f"{name or '(unnamed)'} {route}")
    assert not missing, "URL patterns with no expected answer per persona: " + ", ".join(missing)


@pytest.fixture
def objects(casablanca_settat, oriental, persona):
    org = OrganisationFactory(name="Association Tamaynut Mohammedia", kind="association",
                              region=casablanca_settat)
    first = PersonFactory(region=casablanca_settat, first_name="Zineb", last_name="Kabbaj")
    second = PersonFactory(region=casablanca_settat, first_name="Zaineb", last_name="Kabbaj")
    ctx = {"casablanca_settat": casablanca_settat, "oriental": oriental,
           **{name: persona(name) for name in PERSONAS}}
    app_kwargs = {}
    for module in app_matrices():
        app_kwargs.update(module.build(ctx))
    return {"org": org, "first": first, "second": second, "app_kwargs": app_kwargs}


def kwargs_for(name, route, objects):
    if name in objects["app_kwargs"]:
        return objects["app_kwargs"][name]
    groups = set(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route))
    names = {g for pair in groups for g in pair if g}
    values = {
        "pk": objects["first"].pk if "person" in name else objects["org"].pk,
        "keep": objects["first"].pk, "drop": objects["second"].pk,
        "a": objects["first"].pk, "b": objects["second"].pk,
        "membership": 1, "kind": "people", "fmt": "csv", "code": "MA-06" if "region" in name else "MA-CAS",
        "format": "json",
    }
    return {k: values[k] for k in names}


@pytest.mark.django_db
@pytest.mark.parametrize("persona_name", PERSONAS)
def test_every_url_answers_each_persona_as_the_matrix_says(persona_name, persona, client_as,
                                                          objects):
    client = client_as(persona(persona_name))
    wrong = []
    checked = 0
    for name, route, _entry in all_patterns():
        if route.startswith(ADMIN_PREFIX):
            continue
        url = reverse(name, kwargs=kwargs_for(name, route, objects))
        status = client.get(url).status_code
        expected = MATRIX[name][persona_name]
        checked += 1
        if status != expected:
            wrong.append(f"{name} {url}: got {status}, expected {expected}")
    assert checked >= len(MATRIX)
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("persona_name", PERSONAS)
def test_admin_pages_are_for_superusers_only(persona_name, persona, client_as, objects):
    user = persona(persona_name)
    client = client_as(user)
    superuser = bool(user and user.is_superuser)
    checked = 0
    for name, route, _entry in all_patterns():
        if not route.startswith(ADMIN_PREFIX) or name in ADMIN_OPEN:
            continue
        # Any object id will do: the admin checks the user before it looks anything up.
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", "1", route).replace("(?P<url>.*)$", "x")
        url = re.sub(r"\^|\$|\\Z", "", url)
        if "(?P" in url:
            continue
        response = client.get(url)
        checked += 1
        if superuser:
            assert response.status_code in (200, 302, 403, 404), url
            continue
        assert response.status_code == 302, url
        assert "/admin/login/" in response["Location"], url
    assert checked > 20


@pytest.mark.django_db
def test_api_token_gets_the_same_scope_as_the_pages(oriental_officer, objects, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=oriental_officer)
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get(reverse("organisation-detail", kwargs={"pk": objects["org"].pk}),
                      **headers).status_code == 404
    listed = client.get(reverse("person-list"), **headers).json()
    assert listed["count"] == 0
