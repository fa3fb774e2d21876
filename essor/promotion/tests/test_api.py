"""The promotion API: region scoping (an Oriental officer never sees a Casablanca-Settat
market), writes through the audited services, refused writes, stand holders masked,
applications by organisation accounts, and the published schema."""

import datetime
import json

import pytest
from rest_framework.test import APIClient

from essor.audit.models import AuditEntry
from essor.promotion.models import Application, Event, Participation
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

from .factories import ApplicationFactory, EventFactory, ParticipationFactory

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
def events(casablanca_settat, oriental):
    return {
        "settat": EventFactory(code="MI-2024-SET", title="Marché itinérant de Settat",
                               region=casablanca_settat, status=Event.Status.HELD,
                               start_date=datetime.date(2024, 5, 10),
                               end_date=datetime.date(2024, 5, 14)),
        "oujda": EventFactory(code="SR-2025-OUJ", kind=Event.Kind.REGIONAL_FAIR,
                              title="Salon régional de l'Oriental", region=oriental,
                              city="Oujda", start_date=datetime.date(2025, 10, 2),
                              end_date=datetime.date(2025, 10, 8)),
    }


@pytest.fixture
def exhibitors(events, oriental):
    return {
        "khadija": ParticipationFactory(
            event=events["settat"], status=Participation.Status.ATTENDED,
            holder=PersonFactory(first_name="Khadija", last_name="Tazi", sex="F",
                                 birth_year=1985, phone="0661234567", national_id="BK123456")),
        "fatima": ParticipationFactory(
            event=events["oujda"],
            organisation=OrganisationFactory(name="Coopérative Angad", region=oriental),
            holder=PersonFactory(first_name="Fatima", last_name="Benali", region=oriental,
                                 phone="0698765432", national_id="F123456")),
    }


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


# -- events: scoping ----------------------------------------------------------------------------


def test_an_oriental_officer_never_sees_a_casablanca_market(api, oriental_officer, events):
    client = api(oriental_officer)

    listed = client.get("/api/events/").json()
    assert listed["count"] == 1
    assert [e["code"] for e in listed["results"]] == ["SR-2025-OUJ"]
    assert _results(client.get("/api/events/?region=MA-06")) == []
    assert _results(client.get("/api/events/?q=Settat")) == []
    assert client.get(f"/api/events/{events['settat'].pk}/").status_code == 404
    assert client.get(f"/api/events/{events['oujda'].pk}/").status_code == 200


def test_the_national_admin_sees_every_event_and_filters_them(api, national_admin, events,
                                                             exhibitors):
    client = api(national_admin)

    assert {e["code"] for e in _results(client.get("/api/events/"))} == {"MI-2024-SET",
                                                                         "SR-2025-OUJ"}
    only = _results(client.get("/api/events/?kind=itinerant_market&status=held"
                               "&region=MA-06&year=2024"))
    assert [e["code"] for e in only] == ["MI-2024-SET"]
    assert only[0]["exhibitors"] == 1
    assert only[0]["region"] == "MA-06"
    assert _results(client.get("/api/events/?year=2023")) == []
    assert client.get("/api/events/?kind=foire").status_code == 400
    detail = client.get(f"/api/events/{events['settat'].pk}/").json()
    assert detail["exhibitors"] == 1


def test_anonymous_callers_are_refused(events):
    assert APIClient().get("/api/events/").status_code == 401
    assert APIClient().get("/api/participations/").status_code == 401
    assert APIClient().get("/api/applications/").status_code == 401


# -- events: writes -----------------------------------------------------------------------------

NEW_MARKET = {"code": "MI-NEXT-CAS", "kind": "itinerant_market",
              "title": "Marché itinérant de Casablanca", "start_date": "2099-04-01",
              "end_date": "2099-04-05", "region": "MA-06", "province": "MA-CAS",
              "city": "Casablanca", "stands": 30}


def test_creating_an_event_goes_through_the_audited_service(api, casablanca_officer):
    response = api(casablanca_officer).post("/api/events/", {**NEW_MARKET,
                                                             "status": "closed"},
                                            format="json")

    assert response.status_code == 201, response.content
    event = Event.objects.get()
    assert response.json()["id"] == event.pk
    assert event.status == Event.Status.PLANNED  # status is not client-writable
    assert event.province.code == "MA-CAS"
    entry = AuditEntry.objects.get(action="promotion.event.created")
    assert entry.actor == casablanca_officer
    assert entry.object_id == str(event.pk)


def test_an_event_created_after_its_end_date_is_held(api, casablanca_officer):
    response = api(casablanca_officer).post("/api/events/", {
        **NEW_MARKET, "start_date": "2024-04-01", "end_date": "2024-04-05"}, format="json")

    assert response.status_code == 201, response.content
    assert Event.objects.get().status == Event.Status.HELD


def test_an_oriental_officer_cannot_create_a_casablanca_market_or_a_national_fair(
        api, oriental_officer):
    client = api(oriental_officer)

    assert client.post("/api/events/", NEW_MARKET, format="json").status_code == 403
    national = {**NEW_MARKET, "kind": "national_fair", "region": "MA-02", "province": None}
    assert client.post("/api/events/", national, format="json").status_code == 403
    assert not Event.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="promotion.").exists()


@pytest.mark.parametrize("persona", ["trainer", "coach", "analyst", "partner",
                                     "organisation_account"])
def test_roles_without_rights_cannot_write_events(api, request, persona, events):
    client = api(request.getfixturevalue(persona))

    assert client.post("/api/events/", NEW_MARKET, format="json").status_code == 403
    assert client.patch(f"/api/events/{events['settat'].pk}/", {"title": "X"},
                        format="json").status_code == 403
    assert not Event.objects.filter(code="MI-NEXT-CAS").exists()
    assert Event.objects.get(pk=events["settat"].pk).title == "Marché itinérant de Settat"


def test_updating_an_event_is_audited_and_cannot_move_its_status(api, casablanca_officer,
                                                                events):
    event = events["settat"]

    response = api(casablanca_officer).patch(f"/api/events/{event.pk}/", {
        "title": "Marché itinérant de l'ESS de Settat", "status": "planned"}, format="json")

    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert event.title == "Marché itinérant de l'ESS de Settat"
    assert event.status == Event.Status.HELD
    entry = AuditEntry.objects.get(action="promotion.event.updated")
    assert entry.actor == casablanca_officer
    assert entry.changes == {"title": ["Marché itinérant de Settat",
                                       "Marché itinérant de l'ESS de Settat"]}


def test_an_oriental_officer_cannot_change_a_casablanca_market(api, oriental_officer, events):
    response = api(oriental_officer).patch(f"/api/events/{events['settat'].pk}/",
                                           {"title": "Changed"}, format="json")

    assert response.status_code == 404
    assert Event.objects.get(pk=events["settat"].pk).title == "Marché itinérant de Settat"


def test_an_officer_cannot_move_their_event_to_another_region(api, casablanca_officer,
                                                             events):
    response = api(casablanca_officer).patch(f"/api/events/{events['settat'].pk}/",
                                             {"region": "MA-02"}, format="json")

    assert response.status_code == 403
    assert Event.objects.get(pk=events["settat"].pk).region.code == "MA-06"


def test_bad_dates_are_a_bad_request(api, casablanca_officer):
    response = api(casablanca_officer).post("/api/events/", {
        **NEW_MARKET, "start_date": "2099-04-05", "end_date": "2099-04-01"}, format="json")

    assert response.status_code == 400
    assert "end_date" in response.json()
    assert not Event.objects.exists()


# -- participations -----------------------------------------------------------------------------


def test_participations_are_scoped_to_the_events_the_user_may_see(api, oriental_officer,
                                                                 events, exhibitors):
    client = api(oriental_officer)

    listed = client.get("/api/participations/").json()
    assert listed["count"] == 1
    assert listed["results"][0]["organisation_name"] == "Coopérative Angad"
    assert _results(client.get(f"/api/participations/?event={events['settat'].pk}")) == []
    assert client.get(
        f"/api/participations/{exhibitors['khadija'].pk}/").status_code == 404


def test_the_stand_holder_is_name_sex_and_birth_year_only(api, national_admin, events,
                                                         exhibitors):
    client = api(national_admin)

    response = client.get(f"/api/participations/?event={events['settat'].pk}")
    listed = _results(response)
    detail = client.get(f"/api/participations/{exhibitors['khadija'].pk}/").json()

    for data in (listed[0], detail):
        assert data["holder"] == {"name": "Khadija Tazi", "sex": "F", "birth_year": 1985}
        assert data["event_code"] == "MI-2024-SET"
        assert data["status"] == "attended"
    body = response.content.decode()
    assert "BK123456" not in body
    assert "0661234567" not in body


def test_an_analyst_gets_no_list_of_stand_holders(api, analyst, exhibitors):
    assert api(analyst).get("/api/participations/").status_code == 403


def test_an_organisation_account_sees_only_its_own_participations(api, organisation_account,
                                                                 member_org, events,
                                                                 exhibitors):
    own = ParticipationFactory(event=events["settat"], organisation=member_org)

    listed = _results(api(organisation_account).get("/api/participations/"))

    assert [p["id"] for p in listed] == [own.pk]
    assert api(organisation_account).get(
        f"/api/participations/{exhibitors['khadija'].pk}/").status_code == 404


def test_participations_cannot_be_written(api, national_admin, exhibitors):
    response = api(national_admin).post("/api/participations/", {}, format="json")

    assert response.status_code == 405


# -- applications -------------------------------------------------------------------------------


@pytest.fixture
def open_market(casablanca_settat):
    return EventFactory(code="MI-OPEN", region=casablanca_settat, status=Event.Status.OPEN,
                        start_date=datetime.date(2099, 6, 1), end_date=datetime.date(2099, 6, 3))


def test_an_organisation_applies_for_itself_through_the_audited_service(
        api, organisation_account, member_org, open_market):
    other = OrganisationFactory(name="Coopérative Tifawine")

    response = api(organisation_account).post("/api/applications/", {
        "event": open_market.pk, "organisation": other.pk, "products": "Couscous, amlou",
        "first_time": True, "status": "accepted"}, format="json")

    assert response.status_code == 201, response.content
    application = Application.objects.get()
    assert application.organisation == member_org  # never the one in the request
    assert application.status == Application.Status.SUBMITTED
    assert (application.products, application.first_time) == ("Couscous, amlou", True)
    entry = AuditEntry.objects.get(action="promotion.application.submitted")
    assert entry.actor == organisation_account


def test_an_application_to_an_event_not_open_is_refused(api, organisation_account, events,
                                                        open_market):
    client = api(organisation_account)

    # Not open, so not visible: the id does not exist for this account.
    response = client.post("/api/applications/", {"event": events["settat"].pk},
                           format="json")
    assert response.status_code == 400
    assert "event" in response.json()
    assert client.post("/api/applications/", {"event": open_market.pk},
                       format="json").status_code == 201
    again = client.post("/api/applications/", {"event": open_market.pk}, format="json")
    assert again.status_code == 400
    assert Application.objects.count() == 1


def test_an_organisation_account_reads_only_its_own_applications(api, organisation_account,
                                                                member_org, open_market):
    own = ApplicationFactory(event=open_market, organisation=member_org)
    theirs = ApplicationFactory(event=open_market)
    client = api(organisation_account)

    assert [a["id"] for a in _results(client.get("/api/applications/"))] == [own.pk]
    assert client.get(f"/api/applications/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/applications/{own.pk}/").json()["event_code"] == "MI-OPEN"


def test_staff_read_applications_of_their_region_but_do_not_apply_here(
        api, oriental_officer, casablanca_officer, open_market, member_org):
    application = ApplicationFactory(event=open_market, organisation=member_org)

    assert [a["id"] for a in _results(api(casablanca_officer).get("/api/applications/"))] == [
        application.pk]
    assert _results(api(oriental_officer).get("/api/applications/")) == []
    assert api(oriental_officer).get(
        f"/api/applications/{application.pk}/").status_code == 404
    response = api(casablanca_officer).post("/api/applications/", {"event": open_market.pk},
                                            format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["trainer", "coach", "analyst", "partner"])
def test_other_roles_have_no_applications(api, request, persona, open_market):
    client = api(request.getfixturevalue(persona))

    assert client.get("/api/applications/").status_code == 403
    assert client.post("/api/applications/", {"event": open_market.pk},
                       format="json").status_code == 403
    assert not Application.objects.exists()


# -- schema -------------------------------------------------------------------------------------


def test_the_schema_describes_the_promotion_endpoints(api, national_admin):
    response = api(national_admin).get("/api/schema/?format=json")

    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    assert {"/api/events/", "/api/events/{id}/", "/api/participations/",
            "/api/applications/"} <= set(paths)
    parameters = {p["name"] for p in paths["/api/events/"]["get"]["parameters"]}
    assert {"kind", "status", "region", "year"} <= parameters


# -- query counts -------------------------------------------------------------------------------


# Events: their exhibitors read from the catalogue, one grouped query more.
@pytest.mark.parametrize(("path", "queries"), [("/api/events/", 4),
                                               ("/api/participations/", 3),
                                               ("/api/applications/", 3)])
def test_lists_take_a_fixed_number_of_queries(api, casablanca_officer, casablanca_settat,
                                              path, queries, django_assert_num_queries):
    for _ in range(4):
        event = EventFactory(region=casablanca_settat, status=Event.Status.OPEN)
        ParticipationFactory(event=event)
        ApplicationFactory(event=event)
    client = api(casablanca_officer)

    with django_assert_num_queries(queries):
        assert len(_results(client.get(path))) == 4
