"""Every URL pattern × every persona: the expected answer, so no page escapes scoping.

The matrix is keyed by URL name. A pattern that the resolver knows and the matrix does not
fails ``test_every_url_pattern_is_in_the_matrix``: a new page cannot ship without saying
who may open it. Objects used belong to Casablanca-Settat, so the Oriental personas must
get 404 on them (never "forbidden": a foreign region's object is not found).

Writes have their own rows (``WRITES``: URL name → method → persona → status): every
pattern that takes a write — a view that reads ``POST``, an API route with a create or
update action — is tried with each of its write methods by every persona, inside a
savepoint rolled back after each request, with the payload its app gives (an empty one
otherwise: a form page then answers 200 with its errors). A write pattern with no row
fails ``test_every_write_pattern_is_in_the_matrix``.
"""

import inspect
import json
import re
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from essor.core.pdf import pango_missing
from essor.core.testing import ALL, CASA_OBJECT, CASA_OBJECT_READ, EDITORS, PERSONAS, row
from essor.registry.models import Membership
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

# -- writes -----------------------------------------------------------------------------------

REFUSED_TO_FIELD_ROLES = {"trainer": 403, "coach": 403, "analyst": 403, "partner": 403,
                          "organisation_account": 403}
# Casablanca-Settat's object, written by those who manage it; the Oriental officer does
# not find it; other roles are refused before anything is looked up.
CASA_WRITE = {"national_admin": 302, "casablanca_officer": 302, "oriental_officer": 404,
              **REFUSED_TO_FIELD_ROLES}
# The same through the API: 200 once written, 401 without a login.
CASA_API_WRITE = {"anonymous": 401, "national_admin": 200, "casablanca_officer": 200,
                  "oriental_officer": 404, **REFUSED_TO_FIELD_ROLES}
# An API creation in Casablanca-Settat: the Oriental officer's is refused by the service.
CASA_API_CREATE = {"anonymous": 401, "national_admin": 201, "casablanca_officer": 201,
                   "oriental_officer": 403, **REFUSED_TO_FIELD_ROLES}

WRITES = {
    "core:import_upload": {"POST": row(**EDITORS)},  # an empty upload: the form's errors
    "accounts:login": {"POST": row(anonymous=200, default=302)},
    "accounts:logout": {"POST": row(anonymous=302, default=302)},
    "set_language": {"POST": row(anonymous=302, default=302)},
    "registry:organisation_create": {"POST": row(**EDITORS)},
    "registry:organisation_edit": {"POST": row(**CASA_OBJECT)},
    "registry:organisation_member_add": {"POST": row(**CASA_WRITE)},
    "registry:organisation_member_remove": {"POST": row(**CASA_WRITE)},
    "registry:person_create": {"POST": row(**READERS_OF_PEOPLE)},
    "registry:person_edit": {"POST": row(**CASA_OBJECT)},
    "registry:person_merge": {"POST": row(**CASA_WRITE)},
    "registry:person_match_dismiss": {"POST": row(**CASA_WRITE)},
    "organisation-list": {"POST": row(**CASA_API_CREATE)},
    "organisation-detail": {"PATCH": row(**CASA_API_WRITE)},
    "person-list": {"POST": row(**CASA_API_CREATE)},
    "person-detail": {"PATCH": row(**CASA_API_WRITE)},
}


def core_payloads(objects) -> dict:
    return {
        ("registry:organisation_member_add", "POST"): {"person": objects["first"].pk,
                                                       "role": "member"},
        ("organisation-list", "POST"): {"name": "Coopérative Tiwizi Berrechid",
                                        "kind": "cooperative", "region": "MA-06"},
        ("organisation-detail", "PATCH"): {"city": "Mohammedia"},
        ("person-list", "POST"): {"first_name": "Amina", "last_name": "Sbai", "sex": "F",
                                  "region": "MA-06"},
        ("person-detail", "PATCH"): {"birth_year": 1991},
        ("set_language", "POST"): {"language": "ar", "next": "/"},
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
    WRITES.update(getattr(_module, "WRITES", {}))

# Pages that answer a PDF: without Pango (WeasyPrint's library) they cannot be rendered,
# and ``test_pdf_pages_need_pango`` says what to install instead of failing them all.
PDF_PAGES = {"promotion:badge", "promotion:badges", "training:attendance_sheet_pdf",
             "training:certificate", "training:certificates"}
PANGO_MISSING = pango_missing()


@pytest.mark.skipif(PANGO_MISSING is not None, reason=PANGO_MISSING or "")
def test_pdf_pages_need_pango():
    """Runs (and passes) where PDFs can be made; skipped with the install line elsewhere,
    while the matrix leaves the PDF pages out."""
    assert PDF_PAGES <= set(MATRIX)


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
    membership = Membership.objects.create(organisation=org, person=second)
    app_kwargs = {}
    for module in app_matrices():
        app_kwargs.update(module.build(ctx))
    objects = {"org": org, "first": first, "second": second, "membership": membership,
               "app_kwargs": app_kwargs}
    payloads = core_payloads(objects)
    for module in app_matrices():
        if hasattr(module, "payloads"):
            payloads.update(module.payloads(ctx))
    return {**objects, "payloads": payloads}


def kwargs_for(name, route, objects):
    if name in objects["app_kwargs"]:
        return objects["app_kwargs"][name]
    groups = set(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route))
    names = {g for pair in groups for g in pair if g}
    values = {
        "pk": objects["first"].pk if "person" in name else objects["org"].pk,
        "keep": objects["first"].pk, "drop": objects["second"].pk,
        "a": objects["first"].pk, "b": objects["second"].pk,
        "membership": objects["membership"].pk if "membership" in objects else 1,
        "kind": "people", "fmt": "csv", "code": "MA-06" if "region" in name else "MA-CAS",
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
        if route.startswith(ADMIN_PREFIX) or (PANGO_MISSING and name in PDF_PAGES):
            continue
        url = reverse(name, kwargs=kwargs_for(name, route, objects))
        status = client.get(url).status_code
        expected = MATRIX[name][persona_name]
        checked += 1
        if status != expected:
            wrong.append(f"{name} {url}: got {status}, expected {expected}")
    assert checked >= len(MATRIX) - (len(PDF_PAGES) if PANGO_MISSING else 0)
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


# -- the write rows ---------------------------------------------------------------------------

SAFE = {"get", "head", "options", "trace"}


def write_methods(entry) -> list[str]:
    """The write methods a pattern takes: an API route's create/update actions that its
    viewset allows, or POST for a view whose code (decorators included) reads it."""
    callback = entry.callback
    actions = getattr(callback, "actions", None)
    if actions is not None:
        allowed = set(callback.cls.http_method_names)
        return sorted(m.upper() for m in actions if m in allowed and m not in SAFE)
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return ["POST"] if hasattr(view_class, "post") else []
    source = inspect.getsource(inspect.unwrap(callback))
    return ["POST"] if "POST" in source else []


def write_patterns():
    """(name, route, method, is_api) for every write, once per name (an API route's
    ``.json`` twin answers as the route itself)."""
    seen = set()
    for name, route, entry in all_patterns():
        if route.startswith(ADMIN_PREFIX) or "(?P<format>" in route:
            continue
        for method in write_methods(entry):
            if (name, method) not in seen:
                seen.add((name, method))
                yield name, route, method, hasattr(entry.callback, "actions")


def test_every_write_pattern_is_in_the_matrix():
    missing = [f"{method} {name} {route}" for name, route, method, _api in write_patterns()
               if method not in WRITES.get(name, {})]
    assert not missing, "Write patterns with no expected answer per persona: " + ", ".join(
        missing)
    # And no row for a write the pattern does not take.
    taken = {(name, method) for name, _route, method, _api in write_patterns()}
    stale = [f"{method} {name}" for name, methods in WRITES.items() for method in methods
             if (name, method) not in taken]
    assert not stale, "Write rows for writes no pattern takes: " + ", ".join(stale)


def test_the_write_detection_finds_forms_actions_and_post_only_views():
    found = {(name, method) for name, _route, method, _api in write_patterns()}
    assert ("registry:person_edit", "POST") in found  # a form page
    assert ("promotion:event_status", "POST") in found  # require_POST
    assert ("workshop-detail", "PATCH") in found and ("workshop-list", "POST") in found
    assert not any(name.startswith(("participation-", "enrolment-", "theme-", "region-"))
                   for name, _method in found)  # read-only viewsets
    assert ("registry:person_list", "POST") not in found


@pytest.mark.django_db
@pytest.mark.parametrize("persona_name", PERSONAS)
def test_every_write_answers_each_persona_as_the_matrix_says(persona_name, persona,
                                                            client_as, objects):
    user = persona(persona_name)
    client = client_as(user)
    wrong = []
    checked = 0
    for name, route, method, api in write_patterns():
        url = reverse(name, kwargs=kwargs_for(name, route, objects))
        data = objects["payloads"].get((name, method), {})
        with transaction.atomic():
            if api:
                response = client.generic(method, url, json.dumps(data),
                                          content_type="application/json")
            else:
                response = client.post(url, data)
            transaction.set_rollback(True)
        if name == "accounts:logout":  # it ended the session: the persona signs in again
            client = client_as(user)
        expected = WRITES[name][method][persona_name]
        checked += 1
        if response.status_code != expected:
            wrong.append(f"{method} {name} {url}: got {response.status_code}, "
                         f"expected {expected}")
    assert checked == sum(len(methods) for methods in WRITES.values())
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_no_api_route_takes_put_or_delete(national_admin, client_as, objects):
    """Records are never deleted nor replaced whole through the API (405; 403 where the
    caller's role writes nothing there, which DRF checks first)."""
    client = client_as(national_admin)
    for name, route, entry in all_patterns():
        if not hasattr(entry.callback, "actions") or "(?P<format>" in route:
            continue
        url = reverse(name, kwargs=kwargs_for(name, route, objects))
        for method in ("PUT", "DELETE"):
            with transaction.atomic():
                status = client.generic(method, url, "{}",
                                        content_type="application/json").status_code
                transaction.set_rollback(True)
            assert status in (403, 405), f"{method} {name}: {status}"
