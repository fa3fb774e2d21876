"""Law 09-08: every read of a national ID in full is audited — the person page, the edit
page, the merge page and the API (detail and list) — once per page or answer, naming the
people whose ID was shown; a masked reader leaves no entry."""

import pytest
from rest_framework.test import APIClient

from essor.audit.models import AuditEntry
from essor.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

VIEWED = "registry.person.viewed"


@pytest.fixture
def people():
    return [PersonFactory(national_id="AB123456"), PersonFactory(national_id="BK654321"),
            PersonFactory(national_id="")]


def _entries():
    return list(AuditEntry.objects.filter(action=VIEWED).order_by("pk"))


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_detail_is_audited(casablanca_officer, people):
    response = _api(casablanca_officer).get(f"/api/people/{people[0].pk}/")

    assert response.json()["national_id"] == "AB123456"
    (entry,) = _entries()
    assert entry.actor == casablanca_officer
    assert entry.object_id == str(people[0].pk)
    assert entry.changes == {"where": "api_detail"}


def test_the_api_list_is_audited_once_naming_the_people_shown(casablanca_officer, people):
    response = _api(casablanca_officer).get("/api/people/")

    assert response.status_code == 200
    (entry,) = _entries()
    assert sorted(entry.changes["people"]) == sorted([people[0].pk, people[1].pk])
    assert entry.changes["where"] == "api_list"


def test_an_api_page_without_national_ids_is_not_audited(casablanca_officer, people):
    _api(casablanca_officer).get(f"/api/people/{people[2].pk}/")
    _api(casablanca_officer).get("/api/people/?q=nobody-at-all")

    assert _entries() == []


def test_a_masked_reader_leaves_no_entry(coach, people):
    response = _api(coach).get(f"/api/people/{people[0].pk}/")

    assert response.status_code == 200
    assert response.json()["national_id"] != "AB123456"
    _api(coach).get("/api/people/")
    assert _entries() == []


def test_the_person_page_is_audited(client, casablanca_officer, people):
    client.force_login(casablanca_officer)

    client.get(f"/registry/people/{people[0].pk}/")

    (entry,) = _entries()
    assert (entry.object_id, entry.changes) == (str(people[0].pk), {"where": "person_page"})


def test_the_edit_page_is_audited(client, casablanca_officer, people):
    client.force_login(casablanca_officer)

    response = client.get(f"/registry/people/{people[0].pk}/edit/")

    assert b"AB123456" in response.content
    (entry,) = _entries()
    assert (entry.object_id, entry.changes) == (str(people[0].pk), {"where": "edit_page"})


def test_the_merge_page_is_audited_naming_both_people(client, casablanca_officer, people):
    client.force_login(casablanca_officer)

    response = client.get(f"/registry/people/{people[0].pk}/merge/{people[1].pk}/")

    assert b"AB123456" in response.content and b"BK654321" in response.content
    (entry,) = _entries()
    assert entry.changes == {"where": "merge_page", "people": [people[0].pk, people[1].pk]}
