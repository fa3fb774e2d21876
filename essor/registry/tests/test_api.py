"""The REST API: authentication, region scoping, masking, writes through the audited
services, and the published schema."""

import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from essor.audit.models import AuditEntry
from essor.registry.models import Organisation, Person
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

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
def records(oriental):
    return {
        "oriental_org": OrganisationFactory(name="Coopérative Angad", region=oriental),
        "casa_org": OrganisationFactory(name="Coopérative Tifawine"),
        "oriental_person": PersonFactory(first_name="Fatima", last_name="Benali",
                                         region=oriental, national_id="AB123456",
                                         phone="06 12 34 56 78", disability=True),
        "casa_person": PersonFactory(first_name="Khadija", last_name="Tazi",
                                     national_id="BK654321"),
    }


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


# -- authentication ---------------------------------------------------------------------------


def test_anonymous_callers_are_refused(records):
    assert APIClient().get("/api/organisations/").status_code == 401
    assert APIClient().get("/api/people/").status_code == 401


def test_token_authentication(records, oriental_officer):
    token = Token.objects.create(user=oriental_officer)
    client = APIClient()

    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert [o["name"] for o in _results(client.get("/api/organisations/"))] == [
        "Coopérative Angad"]

    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/organisations/").status_code == 401


def test_session_authentication(records, client, oriental_officer):
    client.force_login(oriental_officer)

    response = client.get("/api/people/")

    assert [p["last_name"] for p in _results(response)] == ["Benali"]


def test_session_writes_need_the_csrf_token(oriental_officer, oriental):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(oriental_officer)

    response = client.post("/api/organisations/", {"name": "Coopérative", "kind": "cooperative",
                                                   "region": "MA-02"}, format="json")

    assert response.status_code == 403
    assert not Organisation.objects.exists()


# -- scoping ----------------------------------------------------------------------------------


def test_an_oriental_officer_never_sees_a_casablanca_record(api, oriental_officer, records):
    client = api(oriental_officer)

    assert [o["name"] for o in _results(client.get("/api/organisations/"))] == [
        "Coopérative Angad"]
    assert [p["last_name"] for p in _results(client.get("/api/people/"))] == ["Benali"]
    assert _results(client.get("/api/organisations/?region__code=MA-06")) == []
    assert _results(client.get("/api/people/?region__code=MA-06")) == []
    assert _results(client.get("/api/people/?q=tazi")) == []
    assert client.get(f"/api/organisations/{records['casa_org'].pk}/").status_code == 404
    assert client.get(f"/api/people/{records['casa_person'].pk}/").status_code == 404
    assert client.get(f"/api/organisations/{records['oriental_org'].pk}/").status_code == 200


def test_an_oriental_officer_cannot_change_a_casablanca_record(api, oriental_officer, records):
    client = api(oriental_officer)

    response = client.patch(f"/api/people/{records['casa_person'].pk}/",
                            {"first_name": "Changed"}, format="json")

    assert response.status_code == 404
    assert Person.objects.get(pk=records["casa_person"].pk).first_name == "Khadija"


def test_the_national_admin_sees_every_region(api, national_admin, records):
    names = {o["name"] for o in _results(api(national_admin).get("/api/organisations/"))}

    assert names == {"Coopérative Angad", "Coopérative Tifawine"}


def test_an_organisation_account_sees_only_its_organisation(api, organisation_account,
                                                            member_org, records):
    client = api(organisation_account)

    assert [o["id"] for o in _results(client.get("/api/organisations/"))] == [member_org.pk]
    assert client.get(f"/api/organisations/{records['casa_org'].pk}/").status_code == 404
    assert client.get("/api/people/").status_code == 403


# -- masking ----------------------------------------------------------------------------------


def test_a_trainer_gets_national_id_phone_and_disability_masked(api, trainer, records):
    client = api(trainer)
    person = records["oriental_person"]

    detail = client.get(f"/api/people/{person.pk}/").json()
    listed = _results(client.get("/api/people/"))[0]

    for data in (detail, listed):
        assert data["national_id"] == "AB••••56"
        assert data["phone"] == "06 •• •• •• 78"  # the mask of 06 12 34 56 78
        assert data["disability"] is None
        assert data["last_name"] == "Benali"
    assert "AB123456" not in client.get("/api/people/").content.decode()


def test_an_officer_gets_the_full_record(api, oriental_officer, records):
    data = api(oriental_officer).get(f"/api/people/{records['oriental_person'].pk}/").json()

    assert data["national_id"] == "AB123456"
    assert data["phone"] == "06 12 34 56 78"
    assert data["disability"] is True
    assert data["region"] == "MA-02"


def test_an_analyst_gets_no_people(api, analyst, records):
    client = api(analyst)

    assert client.get("/api/people/").status_code == 403
    assert client.get(f"/api/people/{records['oriental_person'].pk}/").status_code in (403, 404)


# -- writes -----------------------------------------------------------------------------------


def test_creating_a_person_goes_through_the_audited_service(api, oriental_officer):
    response = api(oriental_officer).post("/api/people/", {
        "first_name": "Fatima Zahra", "last_name": "Benali", "sex": "F", "region": "MA-02",
        "province": "MA-OUJ", "phone": "06 12 34 56 78", "national_id": "ab 123456"},
        format="json")

    assert response.status_code == 201, response.content
    person = Person.objects.get()
    assert response.json()["id"] == person.pk
    assert response.json()["national_id"] == "AB123456"
    assert person.national_id_key == "AB123456"
    assert person.province.code == "MA-OUJ"
    entry = AuditEntry.objects.get(action="registry.person.created")
    assert entry.actor == oriental_officer
    assert entry.object_id == str(person.pk)


def test_creating_an_organisation_goes_through_the_audited_service(api, oriental_officer):
    response = api(oriental_officer).post("/api/organisations/", {
        "name": "Coopérative Angad", "kind": "cooperative", "region": "MA-02",
        "province": "MA-OUJ"}, format="json")

    assert response.status_code == 201, response.content
    organisation = Organisation.objects.get()
    assert organisation.name_key == "cooperative angad"
    entry = AuditEntry.objects.get(action="registry.organisation.created")
    assert entry.actor == oriental_officer


def test_updating_goes_through_the_audited_service(api, oriental_officer, records):
    person = records["oriental_person"]

    response = api(oriental_officer).patch(f"/api/people/{person.pk}/", {"birth_year": 1985},
                                           format="json")

    assert response.status_code == 200, response.content
    entry = AuditEntry.objects.get(action="registry.person.updated")
    assert entry.changes == {"birth_year": [1990, 1985]}


@pytest.mark.parametrize("path", ["/api/organisations/", "/api/people/"])
def test_a_region_outside_the_callers_scope_is_forbidden(api, oriental_officer, path):
    data = {"name": "Coopérative Tifawine", "kind": "cooperative", "first_name": "Khadija",
            "last_name": "Tazi", "sex": "F", "region": "MA-06"}

    response = api(oriental_officer).post(path, data, format="json")

    assert response.status_code == 403
    assert not Organisation.objects.exists()
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exclude(action="accounts.login").exists()


@pytest.mark.parametrize("path", ["/api/organisations/", "/api/people/"])
def test_a_province_outside_the_region_is_a_bad_request(api, oriental_officer, path):
    data = {"name": "Coopérative Angad", "kind": "cooperative", "first_name": "Fatima",
            "last_name": "Benali", "sex": "F", "region": "MA-02", "province": "MA-CAS"}

    response = api(oriental_officer).post(path, data, format="json")

    assert response.status_code == 400
    assert "province" in response.json()
    assert not Organisation.objects.exists()
    assert not Person.objects.exists()


def test_an_unknown_region_code_is_a_bad_request(api, national_admin):
    response = api(national_admin).post("/api/organisations/", {
        "name": "Coopérative", "kind": "cooperative", "region": "MA-99"}, format="json")

    assert response.status_code == 400
    assert "region" in response.json()


def test_a_duplicate_person_is_a_bad_request(api, oriental_officer, records):
    response = api(oriental_officer).post("/api/people/", {
        "first_name": "Fatima", "last_name": "Benali", "sex": "F", "region": "MA-02",
        "national_id": "ab123456"}, format="json")

    assert response.status_code == 400
    assert "Fatima Benali" in str(response.json())  # names the record already there
    assert Person.objects.count() == 2


def test_the_duplicate_message_does_not_reveal_a_person_of_another_region(
        api, oriental_officer, records):
    response = api(oriental_officer).post("/api/people/", {
        "first_name": "X", "last_name": "Y", "sex": "F", "region": "MA-02",
        "national_id": "BK654321"}, format="json")

    body = response.content.decode()
    assert "Tazi" not in body
    assert str(records["casa_person"].pk) not in body


@pytest.mark.parametrize("persona", ["trainer", "coach", "analyst", "partner"])
def test_roles_that_do_not_edit_the_registry_cannot_write(api, request, persona):
    user = request.getfixturevalue(persona)
    before = Organisation.objects.count()

    response = api(user).post("/api/organisations/", {
        "name": "Coopérative", "kind": "cooperative", "region": "MA-02"}, format="json")

    assert response.status_code == 403
    assert Organisation.objects.count() == before


def test_delete_is_not_offered(api, national_admin, records):
    response = api(national_admin).delete(f"/api/people/{records['casa_person'].pk}/")

    assert response.status_code == 405
    assert Person.objects.filter(pk=records["casa_person"].pk).exists()


def test_read_only_fields_cannot_be_written(api, oriental_officer):
    response = api(oriental_officer).post("/api/organisations/", {
        "id": 999, "created_at": "2000-01-01T00:00:00Z", "name": "Coopérative Angad",
        "kind": "cooperative", "region": "MA-02"}, format="json")

    assert response.status_code == 201
    organisation = Organisation.objects.get()
    assert organisation.pk != 999
    assert organisation.created_at.year > 2000


# -- schema and reference data ----------------------------------------------------------------


def test_the_schema_is_an_openapi_document(api, national_admin):
    response = api(national_admin).get("/api/schema/?format=json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/organisations/", "/api/people/", "/api/regions/"} <= set(schema["paths"])


def test_the_api_docs_page_is_served(client_as, analyst):
    # For signed-in users only: anonymous visitors are sent to the login
    # (essor/core/tests/test_settings.py).
    response = client_as(analyst).get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_regions_lists_the_twelve_regions(api, national_admin):
    response = api(national_admin).get("/api/regions/")

    assert response.status_code == 200
    regions = response.json()
    assert len(regions) == 12
    codes = {r["code"] for r in regions}
    assert {"MA-02", "MA-06"} <= codes
    oriental = next(r for r in regions if r["code"] == "MA-02")
    assert oriental["name_fr"] == "Oriental"
    assert oriental["name_ar"] == "الشرق"


def test_provinces_filter_by_region(api, national_admin):
    response = api(national_admin).get("/api/provinces/?region__code=MA-06")

    codes = {p["code"] for p in response.json()}
    assert "MA-CAS" in codes
    assert "MA-OUJ" not in codes
    assert all(p["region"] == "MA-06" for p in response.json())
