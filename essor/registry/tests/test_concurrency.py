"""The duplicate rule holds when many writers register one new person at the same moment:
person_create takes a lock on the duplicate key (PostgreSQL: a transaction-scoped advisory
lock; SQLite serialises write transactions already), and a national ID won by a racing
writer answers as a duplicate, never as a server error.

The concurrent trials need PostgreSQL: SQLite serialises whole writes, so there they would
prove nothing.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from rest_framework.test import APIClient

from essor.accounts.models import User
from essor.registry import services
from essor.registry.models import Person
from essor.registry.tests.factories import PersonFactory

WRITERS, TRIALS = 8, 3


# -- the rule, on both databases ----------------------------------------------------------------

@pytest.mark.django_db
def test_a_national_id_taken_between_check_and_insert_is_a_duplicate_not_a_crash(
        casablanca_officer, casablanca_settat, monkeypatch):
    stored = PersonFactory(national_id="AB123456")
    # As if the other writer committed right after this writer's duplicate check.
    checks = iter([None])
    monkeypatch.setattr(services, "_find_same_as", lambda person, exclude_pk=None:
                        next(checks, Person.objects.get(pk=stored.pk)))

    with pytest.raises(ValidationError) as refused:
        services.person_create(by=casablanca_officer, first_name="Fatima", last_name="Benali",
                               sex="F", region=casablanca_settat, national_id="ab 123456")

    assert refused.value.code == "duplicate_person"
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_get_or_create_reuses_the_person_a_racing_writer_created(casablanca_officer,
                                                                 casablanca_settat,
                                                                 monkeypatch):
    """Forms and imports: the person appeared between this writer's look and its insert
    (person_create checks again under the lock and refuses): the stored one is reused,
    instead of an error for a row that names a known person."""
    stored = PersonFactory(first_name="Fatima", last_name="Benali", sex="F",
                           phone="0612345678", region=casablanca_settat)
    real_find = services.person_find_same
    looks = []

    def find(**kwargs):
        looks.append(kwargs)  # the first look comes before the other writer's commit
        return None if len(looks) == 1 else real_find(**kwargs)

    monkeypatch.setattr(services, "person_find_same", find)

    person, outcome = services.person_get_or_create(
        by=casablanca_officer, first_name="Fatima", last_name="Benali", sex="F",
        phone="06 12 34 56 78", region=casablanca_settat)

    assert (person.pk, outcome) == (stored.pk, "unchanged")
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_another_integrity_error_is_not_disguised(casablanca_officer, casablanca_settat,
                                                  monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise IntegrityError("something else")

    monkeypatch.setattr(Person, "save", broken_save)

    with pytest.raises(IntegrityError), transaction.atomic():
        services.person_create(by=casablanca_officer, first_name="Fatima", last_name="Benali",
                               sex="F", region=casablanca_settat)


def _key(**data):
    fields = {"first_name": "Fatima", "last_name": "Benali", "sex": "F", "birth_year": 1990,
              **data}
    return services.duplicate_key(Person(**fields))


def test_the_lock_key_is_the_duplicate_rules_key():
    assert _key(national_id="ab 123456") == _key(national_id="AB123456", last_name="Tazi")
    assert _key(phone="+212 6 12 34 56 78") == _key(phone="06 12 34 56 78",
                                                    last_name="BENALI", birth_year=1980)
    assert _key(phone="0612345678") != _key(phone="0612345679")
    assert _key() == _key(first_name="fatima")
    assert _key() != _key(birth_year=1991)
    assert _key() != _key(phone="0612345678")


# -- simultaneous creations, on PostgreSQL -------------------------------------------------------

def _race(officer: User, body: dict) -> list[int]:
    """``WRITERS`` API clients POST the same new person at once, each thread on its own
    database connection. Returns the status codes."""
    barrier = threading.Barrier(WRITERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def post() -> None:
        client = APIClient()
        client.raise_request_exception = False  # a server error is a 500, counted below
        client.force_authenticate(officer)
        try:
            barrier.wait(timeout=30)
            status = client.post("/api/people/", body, format="json").status_code
        finally:
            connections.close_all()
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=post) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request never returned"
    return statuses


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers need PostgreSQL: set DATABASE_URL, e.g. from "
                           "scripts/pg.sh start")
@pytest.mark.parametrize("identified", [False, True], ids=["name-and-phone", "national-id"])
def test_simultaneous_creations_of_one_person_make_one_record(concurrent_db,
                                                              casablanca_officer, identified,
                                                              capsys):
    officer = User.objects.get(pk=casablanca_officer.pk)
    server_errors = doubles = 0
    for trial in range(TRIALS):
        body = {"first_name": "Fatima", "last_name": f"Benali{trial}", "sex": "F",
                "region": "MA-06", "phone": f"06123456{trial:02d}"}
        if identified:
            body["national_id"] = f"AB12345{trial}"

        statuses = _race(officer, body)

        people = Person.objects.filter(last_name=f"Benali{trial}").count()
        server_errors += statuses.count(500)
        doubles += people > 1
        assert people == 1
        assert sorted(statuses) == [201] + [400] * (WRITERS - 1), statuses
    assert (server_errors, doubles) == (0, 0)
    with capsys.disabled():
        print(f"\nconcurrent creations ({'national ID' if identified else 'name and phone'}): "
              f"{TRIALS} trials x {WRITERS} writers, {server_errors} server errors, "
              f"{doubles} duplicate records")
