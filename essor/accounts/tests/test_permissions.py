"""The permission module: named permissions, each defined once, for the role (no object)
and for one object (region scope included); the view, API and service helpers built on
it; and no role set defined again elsewhere."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation
from rest_framework.test import APIRequestFactory

from essor.accounts import permissions
from essor.accounts.permissions import HasPermission, can, check, require, requires
from essor.promotion.models import Event
from essor.promotion.tests.factories import EventFactory
from essor.training.tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["national_admin", "oriental_officer", "casablanca_officer", "trainer", "coach",
            "analyst", "partner", "organisation_account"]


@pytest.fixture
def people(persona):
    return {name: persona(name) for name in PERSONAS}


def allowed(people, name, obj=None, **context) -> set[str]:
    return {who for who, user in people.items() if can(user, name, obj, **context)}


def test_anonymous_users_may_do_nothing():
    for name in permissions.RULES:
        assert not can(AnonymousUser(), name)
        assert not can(None, name)


def test_an_unknown_permission_is_an_error_not_a_refusal(national_admin):
    with pytest.raises(KeyError):
        can(national_admin, "promotion.manage_evnet")
    with pytest.raises(KeyError):
        HasPermission("audit.raed")


def test_a_permission_is_defined_once():
    with pytest.raises(ValueError):
        permissions.rule("audit.read")(lambda user, obj=None: True)


def test_the_programmes_managers_are_one_role_set(people):
    managers = {"national_admin", "oriental_officer", "casablanca_officer"}
    for name in ("core.import", "registry.edit_person", "registry.see_personal_data",
                 "registry.merge_people", "promotion.manage_event",
                 "training.create_workshop"):
        assert allowed(people, name) == managers, name
    assert allowed(people, "audit.read") == {"national_admin"}
    assert allowed(people, "registry.read_people") == managers | {"trainer", "coach"}
    assert allowed(people, "training.manage_workshop") == managers | {"trainer"}
    assert allowed(people, "training.enrol_online") == {"organisation_account"}
    assert allowed(people, "core.own_organisation_only") == {"organisation_account", "partner"}
    assert allowed(people, "core.organisation_account") == {"organisation_account"}
    assert allowed(people, "training.own_workshops_only") == {"trainer"}


def test_with_an_object_the_region_decides(people, casablanca_settat, oriental, trainer):
    market = EventFactory(region=casablanca_settat)
    fair = EventFactory(region=casablanca_settat, kind=Event.Kind.NATIONAL_FAIR)
    assert allowed(people, "promotion.manage_event", market) == {"national_admin",
                                                                 "casablanca_officer"}
    assert allowed(people, "promotion.manage_event", fair) == {"national_admin"}
    own = WorkshopFactory(region=oriental, trainer=trainer)
    assert allowed(people, "training.manage_workshop", own) == {
        "national_admin", "oriental_officer", "trainer"}
    assert allowed(people, "training.create_workshop", region_id=oriental.pk) == {
        "national_admin", "oriental_officer"}


def test_require_and_check(oriental_officer, casablanca_settat):
    market = EventFactory(region=casablanca_settat)
    with pytest.raises(PermissionDenied) as refused:
        require(oriental_officer, "promotion.manage_event", market)
    with translation.override("en"):
        assert str(refused.value) == "You cannot manage this event."
    with pytest.raises(PermissionDenied):
        check(oriental_officer, "promotion.manage_event", market)
    check(None, "promotion.manage_event", market)  # essor itself (demo, migrations)


def test_the_view_decorator(analyst, national_admin):
    @requires("audit.read")
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = national_admin
    assert view(request).status_code == 200
    request.user = analyst
    with pytest.raises(PermissionDenied):
        view(request)


def test_the_drf_permission(trainer, analyst):
    permission_class = HasPermission("training.manage_workshop", writes_only=True)
    permission = permission_class()  # as DRF instantiates it
    factory = APIRequestFactory()
    for user, method, expected in [(analyst, "get", True), (analyst, "post", False),
                                   (trainer, "patch", True)]:
        request = getattr(factory, method)("/")
        request.user = user
        assert permission.has_permission(request, None) is expected
    with translation.override("en"):
        assert str(permission.message) == "You cannot manage this workshop."


ROLE_SET = re.compile(r"Role\.(NATIONAL_ADMIN|REGIONAL_OFFICER)\s*,\s*Role\."
                      r"(NATIONAL_ADMIN|REGIONAL_OFFICER)")


def test_no_role_set_is_defined_outside_the_permission_module():
    root = Path(permissions.__file__).resolve().parents[1]
    found = [str(path.relative_to(root)) for path in root.rglob("*.py")
             if "tests" not in path.parts and path.name != "permissions.py"
             and ROLE_SET.search(path.read_text(encoding="utf-8"))]
    assert not found, found


# A user's role compared anywhere but here (``user.role == …``, ``request.user.role in …``).
ROLE_CHECK = re.compile(r"\buser\.role\s*(?:==|!=|in\b|not in\b)")


def test_no_role_is_checked_outside_the_permission_module():
    root = Path(permissions.__file__).resolve().parents[1]
    found = [str(path.relative_to(root)) for path in root.rglob("*.py")
             if "tests" not in path.parts and path.name != "permissions.py"
             and ROLE_CHECK.search(path.read_text(encoding="utf-8"))]
    assert not found, found
