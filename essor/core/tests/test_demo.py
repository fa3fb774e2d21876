import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from essor.accounts.models import Role, User
from essor.registry.models import Organisation, Person

pytestmark = pytest.mark.django_db

SMALL = {"organisations": 120, "people": 900}


def digest() -> str:
    rows = list(Organisation.objects.order_by("name_key", "region_id").values_list(
        "name", "name_ar", "kind", "region__code", "province__code", "ice"))
    rows += list(Person.objects.order_by("name_key", "national_id", "phone", "birth_year")
                 .values_list("first_name", "last_name", "sex", "birth_year", "phone",
                              "national_id", "region__code", "disability"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out, **SMALL)
    return out.getvalue()


def test_demo_loads_a_registry_with_a_login_and_a_second_run_changes_nothing():
    first = run_demo()
    assert "password 'essor-demo-2026'" in first
    assert Organisation.objects.count() >= SMALL["organisations"]
    assert Person.objects.count() >= SMALL["people"]
    admin = User.objects.get(username="admin")
    assert admin.role == Role.NATIONAL_ADMIN and admin.check_password("essor-demo-2026")
    before = digest()

    second = run_demo()
    assert "already loaded" in second
    assert digest() == before


def test_demo_generator_is_seeded_so_two_loads_give_the_same_records():
    digests = []
    for _attempt in range(2):
        with transaction.atomic():
            run_demo()
            digests.append(digest())
            transaction.set_rollback(True)
    assert digests[0] == digests[1]
    assert Person.objects.count() == 0


def test_demo_people_use_real_provinces_and_both_scripts():
    run_demo()
    person = Person.objects.exclude(first_name_ar="").select_related("province").first()
    assert person.province.region_id == person.region_id
    assert any("\u0600" <= c <= "\u06ff" for c in person.full_name_ar)
    women = Person.objects.filter(sex="F").count() / Person.objects.count()
    assert 0.5 < women < 0.7
    assert Organisation.objects.order_by().values("region").distinct().count() == 12
