"""Promotion pages: events, applications, selection, stands, results and summary, for
each persona that matters (and the one that must get 404)."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from essor.audit.models import AuditEntry
from essor.core import numbers
from essor.observatory.links import drilldown_url
from essor.promotion.models import Application, Event, Participation, Satisfaction, Stand
from essor.promotion.selectors import SUMMARY
from essor.promotion.tests.factories import (
    ApplicationFactory,
    EventFactory,
    ParticipationFactory,
    StandFactory,
)
from essor.registry.models import Membership, Person
from essor.registry.tests.factories import OrganisationFactory, PersonFactory
from essor.territory.models import Region

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _errors(response):
    """The error messages shown after a redirect (their wording is translated)."""
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == messages.ERROR]


def _url(name, obj):
    return reverse(f"promotion:{name}", kwargs={"pk": obj.pk})


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# -- event list -------------------------------------------------------------------------------


@pytest.fixture
def events(oriental, casablanca_settat):
    return {
        "settat": EventFactory(code="MI-MA06-2025-01", title="Marché itinérant de Settat",
                               status=Event.Status.OPEN, start_date=datetime.date(2025, 5, 10),
                               end_date=datetime.date(2025, 5, 14)),
        "oujda": EventFactory(code="SR-MA02-2024-01", kind=Event.Kind.REGIONAL_FAIR,
                              title="Salon régional de l'Oriental", region=oriental,
                              city="Oujda", status=Event.Status.HELD,
                              start_date=datetime.date(2024, 10, 3),
                              end_date=datetime.date(2024, 10, 7)),
        "salon": EventFactory(code="SN-MA06-2026-01", kind=Event.Kind.NATIONAL_FAIR,
                              title="Salon national de l'économie sociale", city="Casablanca",
                              start_date=datetime.date(2026, 6, 1),
                              end_date=datetime.date(2026, 6, 7)),
    }


CODES = {"MI-MA06-2025-01", "SR-MA02-2024-01", "SN-MA06-2026-01"}


def _codes(response):
    html = response.content.decode()
    return {code for code in CODES if code in html}


@pytest.mark.parametrize(("query", "expected"), [
    ("", CODES),
    ("?q=oujda", {"SR-MA02-2024-01"}),
    ("?q=settat", {"MI-MA06-2025-01"}),
    ("?kind=national_fair", {"SN-MA06-2026-01"}),
    ("?status=held", {"SR-MA02-2024-01"}),
    ("?region=MA-06", {"MI-MA06-2025-01", "SN-MA06-2026-01"}),
    ("?year=2024", {"SR-MA02-2024-01"}),
    ("?q=nothing-like-this", set()),
])
def test_event_list_search_and_filters(client_as, national_admin, events, query, expected):
    response = client_as(national_admin).get(f"/promotion/events/{query}")

    assert response.status_code == 200
    assert _codes(response) == expected


def test_the_oriental_officer_lists_only_oriental_events(client_as, oriental_officer, events):
    client = client_as(oriental_officer)

    assert _codes(client.get("/promotion/events/")) == {"SR-MA02-2024-01"}
    assert _codes(client.get("/promotion/events/?q=settat")) == set()
    assert _codes(client.get("/promotion/events/?region=MA-06")) <= {"SR-MA02-2024-01"}
    exported = client.get("/promotion/events/?format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert [r[0] for r in rows[1:]] == ["SR-MA02-2024-01"]


def test_an_organisation_sees_open_events_and_its_own_only(client_as, organisation_account,
                                                           member_org, events):
    applied = EventFactory(code="MI-MA06-2025-09", status=Event.Status.SELECTION)
    ApplicationFactory(event=applied, organisation=member_org)
    client = client_as(organisation_account)

    response = client.get("/promotion/events/")

    html = response.content.decode()
    assert _codes(response) == {"MI-MA06-2025-01"}  # open; the others are not
    assert "MI-MA06-2025-09" in html
    assert _url("application_create", events["settat"]) in html  # "Apply"
    assert client.get(_url("event_detail", events["salon"])).status_code == 404


def test_the_event_export_writes_the_listed_events(client_as, national_admin, events):
    response = client_as(national_admin).get("/promotion/events/?kind=national_fair&format=csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["SN-MA06-2026-01"]
    assert AuditEntry.objects.filter(action="export.events").count() == 1


# -- creating and editing ---------------------------------------------------------------------


def _event_form(region, **changes):
    return {"kind": "itinerant_market", "code": "", "title": "Marché itinérant de Berrechid",
            "title_ar": "", "edition": "", "start_date": "2027-04-02",
            "end_date": "2027-04-06", "application_deadline": "2027-03-01", "venue": "",
            "city": "Berrechid", "organiser": "", "region": region.pk, "province": "",
            "stands": "30", **changes}


def test_an_officer_creates_a_market_numbered_automatically(client_as, casablanca_officer,
                                                           casablanca_settat):
    response = client_as(casablanca_officer).post("/promotion/events/new/",
                                                  _event_form(casablanca_settat))

    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("event_detail", event)
    assert event.code == "MI-MA06-2027-01" and event.status == Event.Status.PLANNED
    assert AuditEntry.objects.filter(action="promotion.event.created",
                                     object_id=str(event.pk)).exists()


def test_an_officer_cannot_create_a_national_fair(client_as, casablanca_officer,
                                                  casablanca_settat, national_admin):
    client = client_as(casablanca_officer)
    form_page = client.get("/promotion/events/new/").content.decode()
    assert 'value="national_fair"' not in form_page

    response = client.post("/promotion/events/new/",
                           _event_form(casablanca_settat, kind="national_fair"))

    assert response.status_code == 200 and "kind" in response.context["form"].errors
    assert not Event.objects.exists()
    client_as(national_admin).post("/promotion/events/new/",
                                   _event_form(casablanca_settat, kind="national_fair"))
    assert Event.objects.get().code == "SN-MA06-2027-01"


def test_an_officer_cannot_place_an_event_in_another_region(client_as, oriental_officer,
                                                            casablanca_settat):
    response = client_as(oriental_officer).post("/promotion/events/new/",
                                                _event_form(casablanca_settat))

    assert response.status_code == 200 and "region" in response.context["form"].errors
    assert not Event.objects.exists()


def test_the_deadline_must_come_before_the_event(client_as, casablanca_officer,
                                                 casablanca_settat):
    response = client_as(casablanca_officer).post("/promotion/events/new/", _event_form(
        casablanca_settat, application_deadline="2027-05-01"))

    assert "application_deadline" in response.context["form"].errors


def test_editing_an_event_is_audited_with_its_changes(client_as, casablanca_officer):
    event = EventFactory(title="Marché de Settat")
    data = _event_form(event.region, code=event.code, title="Marché de Settat, 2e édition")

    response = client_as(casablanca_officer).post(_url("event_edit", event), data)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Marché de Settat, 2e édition"
    entry = AuditEntry.objects.get(action="promotion.event.updated")
    assert entry.changes["title"] == ["Marché de Settat", "Marché de Settat, 2e édition"]


@pytest.mark.parametrize("persona_name", ["oriental_officer", "coach", "organisation_account"])
def test_only_those_who_run_the_event_may_edit_it(client_as, persona, persona_name):
    event = EventFactory(status=Event.Status.OPEN)

    assert client_as(persona(persona_name)).get(_url("event_edit", event)).status_code == 404


def test_an_officer_does_not_run_a_national_fair_of_their_region(client_as,
                                                                 casablanca_officer):
    fair = EventFactory(kind=Event.Kind.NATIONAL_FAIR)
    client = client_as(casablanca_officer)

    assert client.get(_url("event_detail", fair)).status_code == 200
    assert client.get(_url("event_edit", fair)).status_code == 404
    assert client.get(_url("selection", fair)).status_code == 404


# -- statuses ---------------------------------------------------------------------------------


def test_the_status_moves_forward_only(client_as, casablanca_officer):
    event = EventFactory(status=Event.Status.OPEN)
    client = client_as(casablanca_officer)

    page = client.get(_url("event_detail", event)).content.decode()
    offered = {s for s in Event.Status.values if f'name="status" value="{s}"' in page}
    assert offered == {"selection", "held", "closed"}

    response = client.post(_url("event_status", event), {"status": "selection"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.SELECTION

    response = client.post(_url("event_status", event), {"status": "open"})
    event.refresh_from_db()
    assert event.status == Event.Status.SELECTION
    assert _errors(response)


# -- scoping ----------------------------------------------------------------------------------


@pytest.fixture
def casablanca_market():
    event = EventFactory(status=Event.Status.OPEN)
    application = ApplicationFactory(event=event)
    participation = ParticipationFactory(event=event, organisation=application.organisation)
    return {"event": event, "application": application, "participation": participation,
            "stand": StandFactory(event=event)}


GET_PAGES = [("event_detail", "event"), ("event_edit", "event"),
             ("application_list", "event"), ("application_create", "event"),
             ("selection", "event"), ("stands", "event"), ("participation_list", "event"),
             ("event_summary", "event"), ("participation_results", "participation"),
             ("participation_satisfaction", "participation")]
POSTS = [("event_status", "event", {"status": "held"}),
         ("selection_accept_top", "event", {}),
         ("application_decide", "application", {"status": "accepted"}),
         ("application_withdraw", "application", {}),
         ("participation_status", "participation", {"status": "attended"}),
         ("participation_stand", "participation", {"stand": ""})]


@pytest.mark.parametrize(("name", "key"), GET_PAGES)
def test_the_oriental_officer_never_finds_a_casablanca_market(client_as, oriental_officer,
                                                              casablanca_market, name, key):
    response = client_as(oriental_officer).get(_url(name, casablanca_market[key]))

    assert response.status_code == 404


@pytest.mark.parametrize(("name", "key", "data"), POSTS)
def test_the_oriental_officer_cannot_change_a_casablanca_market(client_as, oriental_officer,
                                                                casablanca_market, name, key,
                                                                data):
    before = (Application.objects.get().status, Participation.objects.get().status)

    response = client_as(oriental_officer).post(_url(name, casablanca_market[key]), data)

    assert response.status_code == 404
    assert (Application.objects.get().status, Participation.objects.get().status) == before
    assert AuditEntry.objects.filter(action="access.refused").exists()


# -- applications -----------------------------------------------------------------------------


def _application_form(**changes):
    return {"products": "Couscous d'orge, amlou", "stand_needs": "Une table, électricité",
            "first_time": "on", "holder": "new", "first_name": "Hanane",
            "last_name": "Ouchen", "sex": "F", "birth_year": "1996", "phone": "0661234567",
            **changes}


def test_an_organisation_applies_online_naming_a_new_stand_holder(client_as,
                                                                  organisation_account,
                                                                  member_org):
    event = EventFactory(status=Event.Status.OPEN)

    response = client_as(organisation_account).post(_url("application_create", event),
                                                    _application_form())

    assert response.status_code == 302 and response["Location"] == _url("event_detail", event)
    application = Application.objects.get()
    assert application.organisation == member_org and application.first_time
    assert application.status == Application.Status.SUBMITTED
    holder = application.holder
    assert (holder.full_name, holder.sex, holder.birth_year) == ("Hanane Ouchen", "F", 1996)
    assert holder.region == member_org.region
    assert AuditEntry.objects.filter(action="registry.person.created",
                                     actor=organisation_account).exists()


def test_a_stand_holder_already_registered_is_not_registered_twice(client_as,
                                                                   organisation_account):
    known = PersonFactory(first_name="Hanane", last_name="Ouchen", phone="06 61 23 45 67")
    event = EventFactory(status=Event.Status.OPEN)

    client_as(organisation_account).post(_url("application_create", event),
                                         _application_form())

    assert Application.objects.get().holder == known
    assert Person.objects.count() == 1


def test_the_stand_holder_may_be_one_of_the_members(client_as, organisation_account,
                                                    member_org):
    member = PersonFactory(first_name="Khadija", last_name="Amrani")
    Membership.objects.create(person=member, organisation=member_org)
    stranger = PersonFactory(first_name="Nadia", last_name="Sefrioui")
    event = EventFactory(status=Event.Status.OPEN)
    client = client_as(organisation_account)

    page = client.get(_url("application_create", event)).content.decode()
    assert "Khadija Amrani" in page and "Nadia Sefrioui" not in page
    client.post(_url("application_create", event),
                _application_form(holder=str(stranger.pk)))
    assert not Application.objects.exists()  # not a member: not a valid choice

    client.post(_url("application_create", event), _application_form(holder=str(member.pk)))

    assert Application.objects.get().holder == member


def test_a_new_stand_holder_needs_a_name_and_a_sex(client_as, organisation_account):
    event = EventFactory(status=Event.Status.OPEN)

    response = client_as(organisation_account).post(
        _url("application_create", event), _application_form(last_name="", sex=""))

    assert set(response.context["form"].errors) == {"last_name", "sex"}
    assert not Application.objects.exists() and not Person.objects.exists()


def test_an_organisation_applies_once_and_only_while_applications_are_open(
        client_as, organisation_account, member_org):
    event = EventFactory(status=Event.Status.OPEN)
    client = client_as(organisation_account)
    client.post(_url("application_create", event), _application_form())

    again = client.post(_url("application_create", event), _application_form())
    assert again.status_code == 302 and _messages(again)
    assert Application.objects.count() == 1

    closed = EventFactory(status=Event.Status.SELECTION)
    ApplicationFactory(event=closed, organisation=member_org, status="withdrawn")
    other = EventFactory(status=Event.Status.SELECTION)
    assert client.get(_url("application_create", other)).status_code == 404  # not visible


def test_staff_entering_a_second_application_get_the_refusal_on_the_form(
        client_as, casablanca_officer):
    first = ApplicationFactory()
    data = _application_form(organisation=str(first.organisation_id))

    response = client_as(casablanca_officer).post(_url("application_create", first.event),
                                                  data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Application.objects.count() == 1
    assert Person.objects.filter(first_name="Hanane").count() == 0  # rolled back too


def test_staff_enter_applications_for_organisations_of_the_events_region_only(
        client_as, casablanca_officer, oriental):
    event = EventFactory(status=Event.Status.OPEN)
    local = OrganisationFactory(name="Coopérative Al Amal Settat")
    foreign = OrganisationFactory(name="Coopérative Al Amal Oujda", region=oriental)
    client = client_as(casablanca_officer)

    found = client.get(_url("application_create", event) + "?q=al amal").content.decode()
    assert "Al Amal Settat" in found and "Al Amal Oujda" not in found

    refused = client.post(_url("application_create", event),
                          _application_form(organisation=str(foreign.pk)))
    assert refused.status_code == 200 and not Application.objects.exists()

    done = client.post(_url("application_create", event),
                       _application_form(organisation=str(local.pk)))
    assert done.status_code == 302
    assert Application.objects.get().organisation == local


def test_from_submission_to_acceptance_the_organisation_is_told_by_mail(
        client_as, casablanca_officer, organisation_account, member_org,
        django_capture_on_commit_callbacks):
    member_org.email = "nour@essor.invalid"
    member_org.save()
    event = EventFactory(status=Event.Status.OPEN, title="Marché solidaire de Settat")
    client_as(organisation_account).post(_url("application_create", event),
                                         _application_form())
    application = Application.objects.get()
    client = client_as(casablanca_officer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("application_decide", application), {"status": "shortlisted"})
    assert mail.outbox == []  # a shortlist is internal
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("application_decide", application),
                               {"status": "accepted", "next": _url("selection", event)})

    assert response["Location"] == _url("selection", event)
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    participation = Participation.objects.get(application=application)
    assert participation.holder == application.holder
    assert len(mail.outbox) == 1 and "nour@essor.invalid" in mail.outbox[0].to
    assert event.title in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action="promotion.application.decided").count() == 2


def test_an_impossible_decision_is_refused_with_a_message(client_as, casablanca_officer):
    application = ApplicationFactory(status=Application.Status.REJECTED)

    response = client_as(casablanca_officer).post(_url("application_decide", application),
                                                  {"status": "accepted"})

    assert _errors(response)
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED


def test_an_organisation_sees_and_withdraws_its_applications(client_as, organisation_account,
                                                             member_org):
    own = ApplicationFactory(organisation=member_org, status="accepted",
                             event__title="Marché de Settat")
    ParticipationFactory(event=own.event, organisation=member_org, application=own)
    other = ApplicationFactory(event__title="Marché de Benslimane")
    client = client_as(organisation_account)

    page = client.get("/promotion/applications/").content.decode()
    assert "Marché de Settat" in page and "Marché de Benslimane" not in page

    assert client.post(_url("application_withdraw", other)).status_code == 404
    assert client.post(_url("application_decide", own), {"status": "rejected"}
                       ).status_code == 404
    client.post(_url("application_withdraw", own))

    own.refresh_from_db()
    assert own.status == Application.Status.WITHDRAWN
    assert Participation.objects.get().status == Participation.Status.CANCELLED


# -- selection --------------------------------------------------------------------------------


@pytest.fixture
def candidates():
    """A market with two free stands, one exhibitor already accepted and three
    applications: a young woman, an older woman exhibiting for the first time, a man."""
    event = EventFactory(status=Event.Status.SELECTION, stands=3,
                         selection_rules={"women_led": 3, "youth_led": 2, "first_time": 1,
                                          "sector_balance": 0})
    ParticipationFactory(event=event)
    young = ApplicationFactory(event=event, organisation__name="Coopérative Tilila",
                               holder__birth_year=2000,
                               organisation__email="tilila@essor.invalid")
    first = ApplicationFactory(event=event, organisation__name="Coopérative Aknari",
                               holder__birth_year=1965, first_time=True,
                               organisation__email="aknari@essor.invalid")
    man = ApplicationFactory(event=event, organisation__name="Association Amal",
                             holder__sex="M", holder__birth_year=1999,
                             organisation__email="amal@essor.invalid")
    return {"event": event, "young": young, "first": first, "man": man}


def _ranked_names(response):
    return [row["application"].organisation.name for row in response.context["rows"]]


def test_the_selection_page_shows_scores_points_and_shares_before_deciding(
        client_as, casablanca_officer, candidates):
    response = client_as(casablanca_officer).get(_url("selection", candidates["event"]))

    assert _ranked_names(response) == ["Coopérative Tilila", "Coopérative Aknari",
                                       "Association Amal"]
    first_row = response.context["rows"][0]
    assert first_row["ranked"].points == {"women_led": 3, "youth_led": 2, "first_time": 0,
                                          "sector_balance": 0}
    board = response.context["board"]
    assert board.places == 2 and [r.selected for r in board.ranking] == [True, True, False]
    # accepted now: one woman (the factory's holder); with the top 2: three women of three
    assert (board.before.women_share, board.after.women_share) == (1, 1)
    html = response.content.decode()
    assert html.count('name="application"') == 2  # the two proposed, posted by one button
    assert ">100%<" in html


def test_changing_the_weights_reranks_and_is_audited(client_as, casablanca_officer,
                                                     candidates):
    event = candidates["event"]
    client = client_as(casablanca_officer)

    client.post(_url("selection", event), {"women_led": "0", "youth_led": "5",
                                           "first_time": "0", "sector_balance": "0"})

    event.refresh_from_db()
    assert event.selection_rules == {"women_led": 0, "youth_led": 5, "first_time": 0,
                                     "sector_balance": 0, "region_quota": None}
    response = client.get(_url("selection", event))
    assert _ranked_names(response)[:2] == ["Coopérative Tilila", "Association Amal"]
    entry = AuditEntry.objects.get(action="promotion.event.updated")
    assert "selection_rules" in entry.changes


def test_accepting_the_top_n_accepts_exactly_what_the_page_proposed(
        client_as, casablanca_officer, candidates, django_capture_on_commit_callbacks):
    event = candidates["event"]
    client = client_as(casablanca_officer)
    proposed = [r.entry.key for r in client.get(_url("selection", event))
                .context["board"].proposed]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("selection_accept_top", event), {"application": proposed})

    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {candidates["young"].pk: "accepted", candidates["first"].pk: "accepted",
                        candidates["man"].pk: "submitted"}
    assert Participation.objects.filter(event=event).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["aknari@essor.invalid",
                                                    "tilila@essor.invalid"]


def test_accepting_the_top_n_from_a_stale_page_accepts_nothing(client_as, casablanca_officer,
                                                               candidates):
    event = candidates["event"]

    response = client_as(casablanca_officer).post(
        _url("selection_accept_top", event),
        {"application": [candidates["young"].pk, candidates["man"].pk]})

    assert _errors(response)
    assert not Application.objects.filter(status="accepted").exists()


# -- stands -----------------------------------------------------------------------------------


def test_stands_are_numbered_and_given_and_a_taken_stand_is_refused(client_as,
                                                                    casablanca_officer):
    event = EventFactory(stands=0)
    first = ParticipationFactory(event=event, organisation__name="Coopérative Tifaout")
    second = ParticipationFactory(event=event, organisation__name="Coopérative Argan Bio")
    client = client_as(casablanca_officer)

    client.post(_url("stands", event), {"count": "3", "area": "Hall A"})
    assert list(Stand.objects.filter(event=event).values_list("number", flat=True)) == [1, 2, 3]
    one = Stand.objects.get(event=event, number=1)

    client.post(_url("participation_stand", first), {"stand": one.pk})
    first.refresh_from_db()
    assert first.stand == one
    page = client.get(_url("stands", event))
    assert one not in page.context["free"] and len(page.context["free"]) == 2

    # A second officer's page still offered stand 1: the service refuses, and says why.
    refused = client.post(_url("participation_stand", second), {"stand": one.pk})

    second.refresh_from_db()
    assert second.stand is None
    [shown] = _errors(refused)
    assert "Coopérative Tifaout" in shown and "1" in shown

    client.post(_url("participation_stand", first), {"stand": ""})
    first.refresh_from_db()
    assert first.stand is None


def test_a_stand_of_another_event_is_refused(client_as, casablanca_officer):
    participation = ParticipationFactory()
    elsewhere = StandFactory()

    response = client_as(casablanca_officer).post(_url("participation_stand", participation),
                                                  {"stand": elsewhere.pk})

    participation.refresh_from_db()
    assert participation.stand is None and _errors(response)


# -- participations and results ---------------------------------------------------------------


def test_staff_change_a_participation_status_and_enter_results(client_as, casablanca_officer):
    participation = ParticipationFactory()
    client = client_as(casablanca_officer)
    back = _url("participation_list", participation.event)

    response = client.post(_url("participation_status", participation),
                           {"status": "attended", "next": back})
    assert response["Location"] == back
    response = client.post(_url("participation_results", participation),
                           {"sales_mad": "12500.50", "visitors": "340", "next": back})
    assert response["Location"] == back

    participation.refresh_from_db()
    assert participation.status == Participation.Status.ATTENDED
    assert (participation.sales_mad, participation.visitors) == (Decimal("12500.50"), 340)
    assert AuditEntry.objects.filter(action="promotion.participation.results").exists()


def test_negative_sales_are_refused_on_the_form(client_as, casablanca_officer):
    participation = ParticipationFactory()

    response = client_as(casablanca_officer).post(_url("participation_results", participation),
                                                  {"sales_mad": "-5", "visitors": "3"})

    assert response.status_code == 200 and "sales_mad" in response.context["form"].errors
    participation.refresh_from_db()
    assert participation.sales_mad is None


def test_an_exhibitor_declares_its_results_and_satisfaction_but_not_anothers(
        client_as, organisation_account, member_org):
    event = EventFactory(status=Event.Status.HELD)
    own = ParticipationFactory(event=event, organisation=member_org, status="attended")
    other = ParticipationFactory(event=event, status="attended")
    client = client_as(organisation_account)

    client.post(_url("participation_results", own), {"sales_mad": "800", "visitors": "45"})
    response = client.post(_url("participation_satisfaction", own),
                           {"rating": "4", "organisation_rating": "5", "would_return": "on",
                            "comment": "Bonne organisation"})

    assert response["Location"] == _url("event_detail", event)
    own.refresh_from_db()
    assert own.sales_mad == Decimal("800") and own.visitors == 45
    answer = Satisfaction.objects.get(participation=own)
    assert (answer.rating, answer.organisation_rating, answer.would_return) == (4, 5, True)
    assert client.get(_url("participation_results", other)).status_code == 404
    assert client.get(_url("participation_satisfaction", other)).status_code == 404
    assert client.get(_url("participation_list", event)).status_code == 404


def test_the_participation_list_searches_and_exports(client_as, casablanca_officer):
    event = EventFactory()
    ParticipationFactory(event=event, organisation__name="Coopérative Tifaout")
    ParticipationFactory(event=event, organisation__name="Association Amal")
    client = client_as(casablanca_officer)

    page = client.get(_url("participation_list", event) + "?q=tifaout").content.decode()
    exported = client.get(_url("participation_list", event) + "?format=csv")

    assert "Coopérative Tifaout" in page and "Association Amal" not in page
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == 3


# -- summary ----------------------------------------------------------------------------------


def test_the_summary_computes_its_figures_from_the_records(client_as, casablanca_officer,
                                                           oriental):
    event = EventFactory(status=Event.Status.HELD, start_date=datetime.date(2025, 5, 10),
                         end_date=datetime.date(2025, 5, 14))
    year = event.start_date.year
    holders = [
        PersonFactory(sex="F", birth_year=1995),
        PersonFactory(sex="F", birth_year=1970, disability=True),
        PersonFactory(sex="M", birth_year=2001),
        PersonFactory(sex="F", birth_year=1990, region=oriental),
    ]
    attended = [ParticipationFactory(event=event, holder=h, status="attended",
                                     sales_mad=Decimal(s) if s else None, visitors=v)
                for h, s, v in zip(holders, ["1500.00", "2300.50", "", "900"],
                                   [120, 80, None, 60], strict=True)]
    attended[3].organisation.region = oriental
    attended[3].organisation.save()
    ParticipationFactory(event=event, status="absent", sales_mad=Decimal("99999"))
    ParticipationFactory(event=event, status="cancelled", holder__sex="M")
    Satisfaction.objects.create(participation=attended[0], rating=5, would_return=True)
    Satisfaction.objects.create(participation=attended[1], rating=2, would_return=False)

    response = client_as(casablanca_officer).get(_url("event_summary", event))

    html = response.content.decode()
    rows = Participation.objects.filter(event=event, status="attended").select_related(
        "holder", "organisation")
    n = rows.count()
    women = sum(p.holder.sex == "F" for p in rows)
    youth = sum(year - p.holder.birth_year < 35 for p in rows)
    disability = sum(p.holder.disability for p in rows)
    regions = len({p.organisation.region_id for p in rows})
    sales = sum(p.sales_mad or 0 for p in rows)
    visitors = sum(p.visitors or 0 for p in rows)
    ratings = [s.rating for s in Satisfaction.objects.filter(participation__in=rows)]

    def shown(figure, value):  # each figure written left to right, even in Arabic, linked
        link = re.escape(drilldown_url(SUMMARY[figure if figure in ("exhibitors", "regions",
                                                                 "sales", "visitors")
                                               else f"{figure}_share"],
                                       cells={"event": event.code})).replace("&", "&amp;")
        pattern = (f'id="figure-{figure}"><a class="figure-link" href="{link}">'
                   f'<bdi dir="ltr" class="ltr nowrap">{re.escape(value)}</bdi></a><')
        return re.search(pattern, html) is not None

    assert shown("exhibitors", numbers.format_int(n, "fr"))
    assert shown("women", numbers.format_percent(women / n, "fr"))
    assert shown("youth", numbers.format_percent(youth / n, "fr"))
    assert shown("disability", numbers.format_percent(disability / n, "fr"))
    assert shown("regions", numbers.format_int(regions, "fr"))
    assert shown("sales", numbers.format_int(sales, "fr"))
    assert shown("visitors", numbers.format_int(visitors, "fr"))
    assert f"{sum(ratings) / len(ratings):.1f}".replace(".", ",") in html
    names = {r.name for r in Region.objects.filter(pk__in={p.organisation.region_id
                                                           for p in rows})}
    assert all(name in html for name in names)
    # the exhibitors' figure leads to the records it counts: as many as it says
    listing = client_as(casablanca_officer).get(
        drilldown_url("promotion.exhibitors", cells={"event": event.code}))
    assert listing.status_code == 200
    assert listing.context["found"].result.total == n


def test_the_summary_is_for_staff(client_as, organisation_account, member_org, analyst,
                                  oriental):
    event = EventFactory(status=Event.Status.HELD)
    ParticipationFactory(event=event, organisation=member_org)
    assert client_as(organisation_account).get(_url("event_summary", event)).status_code == 403
    local = EventFactory(region=oriental, status=Event.Status.HELD)
    assert client_as(analyst).get(_url("event_summary", local)).status_code == 200


# -- query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize(("persona_name", "suffix"), [
    ("casablanca_officer", ""), ("casablanca_officer", "?format=csv"),
    ("national_admin", "?kind=itinerant_market"), ("organisation_account", ""),
])
def test_the_event_list_query_count_does_not_grow_with_rows(client_as, persona,
                                                            persona_name, suffix,
                                                            django_assert_max_num_queries):
    client = client_as(persona(persona_name))
    EventFactory.create_batch(3, status=Event.Status.OPEN)
    few = _count_queries(client, "/promotion/events/" + suffix)
    EventFactory.create_batch(12, status=Event.Status.OPEN)

    many = _count_queries(client, "/promotion/events/" + suffix)

    assert few == many
    with django_assert_max_num_queries(10):
        client.get("/promotion/events/" + suffix)


@pytest.mark.parametrize("page", ["application_list", "participation_list", "stands",
                                  "selection"])
def test_the_event_tabs_query_count_does_not_grow_with_rows(client_as, casablanca_officer,
                                                            page,
                                                            django_assert_max_num_queries):
    client = client_as(casablanca_officer)
    event = EventFactory(stands=40)
    StandFactory.create_batch(40, event=event)

    def add(n):
        for _ in range(n):
            application = ApplicationFactory(event=event)
            ParticipationFactory(event=event, organisation=application.organisation)

    add(3)
    few = _count_queries(client, _url(page, event))
    add(12)
    many = _count_queries(client, _url(page, event))

    assert few == many
    with django_assert_max_num_queries(14):
        client.get(_url(page, event))


def test_my_applications_query_count_does_not_grow_with_rows(client_as, organisation_account,
                                                             member_org):
    client = client_as(organisation_account)

    def add(n):
        for event in EventFactory.create_batch(n):
            ApplicationFactory(event=event, organisation=member_org, status="accepted")
            ParticipationFactory(event=event, organisation=member_org,
                                 stand=StandFactory(event=event))

    add(3)
    few = _count_queries(client, "/promotion/applications/")
    add(12)
    assert _count_queries(client, "/promotion/applications/") == few


# -- navigation -------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona_name", "shown"), [
    ("national_admin", True), ("casablanca_officer", True), ("trainer", True),
    ("coach", True), ("analyst", True), ("organisation_account", True), ("partner", False),
])
def test_the_events_entry_in_the_navigation(client_as, persona, persona_name, shown):
    response = client_as(persona(persona_name)).get("/")

    assert any(item["url"] == "/promotion/events/" for item in response.context["nav"]) == shown
