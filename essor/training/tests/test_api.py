"""The training API: scoping of workshops and enrolments, masking of people, writes
through the services, filters, and the themes catalogue."""

import json

import pytest
from rest_framework.test import APIClient

from essor.audit.models import AuditEntry
from essor.registry.tests.factories import PersonFactory
from essor.training.models import Workshop

from .factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client
    return as_user


@pytest.fixture
def workshops(casablanca_settat, oriental, trainer):
    import datetime

    casa = WorkshopFactory(code="AT-CAS-01", region=casablanca_settat,
                           status=Workshop.Status.HELD)
    ori = WorkshopFactory(code="AT-ORI-01", region=oriental, trainer=trainer,
                          date=datetime.date(2024, 3, 2))
    other = WorkshopFactory(code="AT-ORI-02", region=oriental)
    return {"casa": casa, "ori": ori, "other": other}


def codes(response) -> set:
    assert response.status_code == 200, response.content
    return {w["code"] for w in response.json()["results"]}


def test_workshops_are_scoped(api, workshops, national_admin, oriental_officer,
                              casablanca_officer, trainer, coach, partner):
    assert codes(api(national_admin).get("/api/workshops/")) == {"AT-CAS-01", "AT-ORI-01",
                                                                 "AT-ORI-02"}
    assert codes(api(oriental_officer).get("/api/workshops/")) == {"AT-ORI-01", "AT-ORI-02"}
    assert codes(api(casablanca_officer).get("/api/workshops/")) == {"AT-CAS-01"}
    assert codes(api(coach).get("/api/workshops/")) == {"AT-CAS-01"}
    assert codes(api(trainer).get("/api/workshops/")) == {"AT-ORI-01"}  # their own only
    assert codes(api(partner).get("/api/workshops/")) == set()
    casa = workshops["casa"].pk
    assert api(oriental_officer).get(f"/api/workshops/{casa}/").status_code == 404
    assert api(trainer).get(f"/api/workshops/{workshops['other'].pk}/").status_code == 404
    assert api(None).get("/api/workshops/").status_code == 401


def test_workshop_filters(api, workshops, national_admin):
    client = api(national_admin)
    assert codes(client.get("/api/workshops/?region=MA-02")) == {"AT-ORI-01", "AT-ORI-02"}
    assert codes(client.get("/api/workshops/?status=held")) == {"AT-CAS-01"}
    assert codes(client.get("/api/workshops/?year=2024")) == {"AT-ORI-01"}
    assert codes(client.get("/api/workshops/?theme=governance")) == {
        "AT-CAS-01", "AT-ORI-01", "AT-ORI-02"}
    assert codes(client.get("/api/workshops/?theme=marketing")) == set()


def test_workshop_counts(api, workshops, casablanca_officer):
    EnrolmentFactory(workshop=workshops["casa"], attended=True)
    EnrolmentFactory(workshop=workshops["casa"], attended=False)
    data = api(casablanca_officer).get(f"/api/workshops/{workshops['casa'].pk}/").json()
    assert (data["enrolled"], data["attendees"]) == (2, 1)
    assert data["theme"] == "governance" and data["region"] == "MA-06"


def test_create_and_patch_through_the_services(api, casablanca_officer, oriental_officer):
    payload = {"code": "AT-NEW-01", "title": "Vendre en ligne", "theme": "marketing",
               "date": "2024-04-01", "region": "MA-06", "city": "Settat", "capacity": 15,
               "status": "closed"}
    response = api(casablanca_officer).post("/api/workshops/", payload, format="json")
    assert response.status_code == 201, response.content
    workshop = Workshop.objects.get(code="AT-NEW-01")
    assert workshop.status == Workshop.Status.HELD  # past date: held, never client-set
    assert AuditEntry.objects.filter(action="training.workshop.created").exists()
    response = api(casablanca_officer).patch(f"/api/workshops/{workshop.pk}/",
                                             {"capacity": 40, "status": "planned"},
                                             format="json")
    assert response.status_code == 200, response.content
    workshop.refresh_from_db()
    assert workshop.capacity == 40 and workshop.status == Workshop.Status.HELD
    # Another region: cannot create there, does not find the workshop.
    response = api(oriental_officer).post("/api/workshops/", {**payload, "code": "AT-X"},
                                          format="json")
    assert response.status_code == 403
    assert api(oriental_officer).patch(f"/api/workshops/{workshop.pk}/", {"capacity": 1},
                                       format="json").status_code == 404


def test_a_trainer_edits_their_own_workshop_but_creates_none(api, workshops, trainer):
    client = api(trainer)
    own = workshops["ori"]
    assert client.patch(f"/api/workshops/{own.pk}/", {"venue": "Salle B"},
                        format="json").status_code == 200
    assert client.post("/api/workshops/", {"code": "AT-T", "title": "T", "theme": "marketing",
                                           "date": "2024-04-01", "region": "MA-02"},
                       format="json").status_code == 403


def test_an_analyst_and_a_coach_do_not_write(api, workshops, analyst, coach):
    for user in (analyst, coach):
        assert api(user).post("/api/workshops/", {}, format="json").status_code == 403


def test_enrolments_are_scoped_and_masked(api, workshops, casablanca_settat, oriental_officer,
                                         casablanca_officer, analyst):
    person = PersonFactory(first_name="Zineb", last_name="Kabbaj", phone="0661234567",
                           national_id="BK654321", birth_year=1987, region=casablanca_settat)
    enrolment = EnrolmentFactory(workshop=workshops["casa"], person=person, attended=True)
    EnrolmentFactory(workshop=workshops["other"])
    response = api(casablanca_officer).get(f"/api/enrolments/?workshop={workshops['casa'].pk}")
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 1
    assert results[0]["person"] == {"name": "Zineb Kabbaj", "sex": "F", "birth_year": 1987}
    assert results[0]["attended"] is True and results[0]["workshop_code"] == "AT-CAS-01"
    text = response.content.decode()
    assert "0661234567" not in text and "BK654321" not in text
    # Another region's workshop: an empty list, and its enrolment is not found.
    response = api(oriental_officer).get(f"/api/enrolments/?workshop={workshops['casa'].pk}")
    assert response.json()["count"] == 0
    assert api(oriental_officer).get(f"/api/enrolments/{enrolment.pk}/").status_code == 404
    assert api(analyst).get("/api/enrolments/").status_code == 403


def test_themes_are_read_only(api, analyst):
    client = api(analyst)
    response = client.get("/api/themes/")
    assert response.status_code == 200
    assert "governance" in {t["code"] for t in response.json()["results"]}
    assert client.post("/api/themes/", {"code": "x"}, format="json").status_code == 405
    assert api(None).get("/api/themes/").status_code == 401


@pytest.mark.parametrize("field", ["theme", "region", "event"])
@pytest.mark.parametrize("value", ["ab\x00c", "\ud98c\udd7d", "MA-\x0706"])
def test_a_code_that_is_not_clean_text_is_unknown_not_a_server_error(
        api, casablanca_officer, field, value):
    """PostgreSQL refuses NUL bytes in a query: such a code is refused before it."""
    payload = {"code": "", "title": "Atelier", "date": "2026-05-01", "theme": "gestion",
               "region": "MA-06", "event": "", field: value}
    body = json.dumps(payload)  # lone surrogates escaped as the fuzzer sends them
    response = api(casablanca_officer).post("/api/workshops/", body,
                                            content_type="application/json")

    assert response.status_code == 400
    assert field in response.json()
