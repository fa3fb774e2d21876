"""The audit log: every write leaves one entry (actor, UTC time, object, change), and the
log is append-only for every role and every path."""

import datetime
import io

import pytest
from django.db import DatabaseError, connection, transaction

from essor.audit import services as audit
from essor.audit.models import AppendOnlyError, AuditEntry
from essor.registry import services
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def only_entry(action):
    entries = list(AuditEntry.objects.filter(action=action))
    assert len(entries) == 1, [e.action for e in AuditEntry.objects.all()]
    return entries[0]


# -- every service write is audited -----------------------------------------------------------


def test_organisation_create_is_audited(casablanca_officer, casablanca_settat):
    organisation = services.organisation_create(
        by=casablanca_officer, name="Coopérative Nour", kind="cooperative",
        region=casablanca_settat)

    entry = only_entry("registry.organisation.created")
    assert entry.actor == casablanca_officer
    assert entry.actor_name == casablanca_officer.username
    assert entry.object_type == "registry.organisation"
    assert entry.object_id == str(organisation.pk)
    assert entry.object_repr == "Coopérative Nour"
    assert entry.region == casablanca_settat
    assert entry.changes["name"] == "Coopérative Nour"
    assert entry.changes["kind"] == "cooperative"
    assert entry.at.utcoffset() == datetime.timedelta(0)


def test_organisation_update_records_what_changed(casablanca_officer):
    organisation = OrganisationFactory(name="Coopérative Nour", city="")

    services.organisation_update(organisation=organisation, by=casablanca_officer,
                                 name="Coopérative Nour Settat", city="Settat")

    entry = only_entry("registry.organisation.updated")
    assert entry.actor == casablanca_officer
    assert entry.object_id == str(organisation.pk)
    assert entry.changes["name"] == ["Coopérative Nour", "Coopérative Nour Settat"]
    assert entry.changes["city"] == ["", "Settat"]
    assert "updated_at" not in entry.changes
    assert "kind" not in entry.changes  # unchanged fields are not listed


def test_an_update_that_changes_nothing_writes_no_entry(casablanca_officer):
    organisation = OrganisationFactory(city="Settat")

    services.organisation_update(organisation=organisation, by=casablanca_officer,
                                 city="Settat")

    assert not AuditEntry.objects.exists()


def test_a_refused_write_leaves_no_entry(casablanca_officer, casablanca_settat):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.organisation_create(by=casablanca_officer, name="Coopérative", kind="cooperative",
                                     region=casablanca_settat, ice="12")

    assert not AuditEntry.objects.exists()


def test_person_create_and_update_are_audited(casablanca_officer, casablanca_settat):
    person = services.person_create(by=casablanca_officer, first_name="Fatima",
                                     last_name="Benali", sex="F", region=casablanca_settat,
                                     phone="0612345678")
    created = only_entry("registry.person.created")
    assert created.actor == casablanca_officer
    assert created.object_type == "registry.person"
    assert created.object_id == str(person.pk)
    assert created.changes["last_name"] == "Benali"
    assert created.changes["region_id"] == casablanca_settat.pk

    services.person_update(person=person, by=casablanca_officer, phone="0698765432",
                           birth_year=1990)

    updated = only_entry("registry.person.updated")
    assert updated.actor == casablanca_officer
    assert updated.object_id == str(person.pk)
    assert updated.changes == {"phone": ["06 12 34 56 78", "06 98 76 54 32"],  # stored canonical
                               "birth_year": [None, 1990]}


def test_person_merge_is_audited(casablanca_officer):
    keep, drop = PersonFactory(), PersonFactory()

    services.person_merge(keep=keep, drop=drop, by=casablanca_officer)

    entry = only_entry("registry.person.merged")
    assert entry.actor == casablanca_officer
    assert entry.object_id == str(keep.pk)
    assert entry.changes["dropped_person"] == drop.pk
    assert entry.changes["dropped"]["last_name"] == drop.last_name


def test_match_dismiss_is_audited(casablanca_officer):
    a, b = PersonFactory(), PersonFactory()

    services.match_dismiss(a=b, b=a, by=casablanca_officer)

    entry = only_entry("registry.person.match_dismissed")
    assert entry.actor == casablanca_officer
    assert entry.object_id == str(min(a.pk, b.pk))
    assert entry.changes == {"other_person": max(a.pk, b.pk)}


def test_an_import_is_audited_with_its_person_entries(tmp_path, casablanca_officer):
    from django.core.management import call_command

    path = tmp_path / "people.csv"
    path.write_text("first_name,last_name,sex,region\nFatima,Benali,F,MA-06\n"
                    "Youssef,Amrani,M,MA-06\n", encoding="utf-8")

    call_command("import", "people", str(path), "--as", casablanca_officer.username,
                 stdout=io.StringIO())

    entry = only_entry("import.people")
    assert entry.actor == casablanca_officer
    assert entry.changes == {"file": "people.csv", "rows": 2, "created": 2, "updated": 0,
                             "unchanged": 0,
                             "error_rows": 0}
    assert AuditEntry.objects.filter(action="registry.person.created",
                                     actor=casablanca_officer).count() == 2


def test_a_personal_data_export_is_audited(client_as, casablanca_officer):
    PersonFactory()

    client_as(casablanca_officer).get("/registry/people/?format=csv&sex=F")

    entry = only_entry("export.people")
    assert entry.actor == casablanca_officer
    assert entry.changes["format"] == "csv"
    assert entry.changes["filters"]["sex"] == "F"


def test_reading_a_national_id_is_audited(client_as, casablanca_officer):
    person = PersonFactory(national_id="AB123456")

    client_as(casablanca_officer).get(f"/registry/people/{person.pk}/")

    entry = only_entry("registry.person.viewed")
    assert entry.actor == casablanca_officer
    assert entry.object_id == str(person.pk)


@pytest.mark.parametrize("who", ["trainer", "oriental_officer"])
def test_a_refused_access_is_audited(client_as, request, who):
    person = PersonFactory()  # Casablanca-Settat
    user = request.getfixturevalue(who)
    url = "/imports/people/" if who == "trainer" else f"/registry/people/{person.pk}/"

    response = client_as(user).get(url)

    assert response.status_code in (403, 404)
    assert AuditEntry.objects.filter(actor=user).exclude(action="accounts.login").exists()


# -- logins -----------------------------------------------------------------------------------


def test_a_login_is_audited(client, national_admin):
    client.post("/accounts/login/", {"username": "nadia_national",
                                     "password": "correct horse battery"})

    entry = only_entry("accounts.login")
    assert entry.actor == national_admin
    assert entry.object_id == str(national_admin.pk)


@pytest.mark.parametrize("username", ["nadia_national", "nobody_at_all"])
def test_a_failed_login_is_audited_with_the_name_typed(client, national_admin, username):
    client.post("/accounts/login/", {"username": username, "password": "wrong password!"})

    entry = only_entry("accounts.login_failed")
    assert entry.actor is None
    assert entry.actor_name == username
    assert "wrong password!" not in str(entry.changes)
    assert not AuditEntry.objects.filter(action="accounts.login").exists()


# -- append-only ------------------------------------------------------------------------------


@pytest.fixture
def entry(national_admin):
    return audit.record("test.something", national_admin, by=national_admin,
                        changes={"a": 1})


def test_an_entry_cannot_be_saved_again(entry):
    entry.action = "test.rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.something"


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_entries_cannot_be_updated_or_deleted_in_bulk(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(changes={})
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    entry.action = "test.rewritten"
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["action"])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.something"


def test_deleting_a_user_keeps_their_entries_under_their_name(national_admin, entry):
    national_admin.delete()

    kept = AuditEntry.objects.get(pk=entry.pk)
    assert kept.actor is None
    assert kept.actor_name == "nadia_national"
    assert kept.action == "test.something"


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the append-only trigger exists on PostgreSQL only")


@postgres_only
@pytest.mark.postgres
@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditentry SET action = 'test.rewritten' WHERE id = %s",
    "DELETE FROM audit_auditentry WHERE id = %s",
])
def test_the_database_refuses_raw_updates_and_deletes(entry, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.something"


@postgres_only
@pytest.mark.postgres
def test_the_database_refuses_to_clear_the_actor_and_change_something_else(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET actor_id = NULL, action = 'x' "
                           "WHERE id = %s", [entry.pk])
