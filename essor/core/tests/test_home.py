"""The home page: each role's cards, scoped to the reader, in a bounded number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from essor.audit.models import AuditEntry
from essor.core import home
from essor.promotion.figures import promotion_figures
from essor.promotion.models import Application, Event, Participation
from essor.promotion.tests.factories import ApplicationFactory, EventFactory, ParticipationFactory
from essor.registry.models import Membership
from essor.registry.tests.factories import OrganisationFactory, PersonFactory
from essor.training.figures import training_figures
from essor.training.models import Workshop
from essor.training.tests.factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)

CARDS = {
    "national_admin": {"promotion.applications_to_decide", "promotion.events_this_week",
                       "training.workshops_this_week", "audit.imports_with_errors",
                       "registry.possible_duplicates", "promotion.figures",
                       "training.figures", "registry.counts", "observatory.key_figures"},
    "oriental_officer": {"promotion.applications_to_decide", "promotion.events_this_week",
                         "training.workshops_this_week", "audit.imports_with_errors",
                         "registry.possible_duplicates", "promotion.figures",
                         "training.figures", "registry.counts",
                         "observatory.key_figures"},
    "trainer": {"training.next_workshops", "registry.counts"},
    "coach": {"training.workshops_this_week", "promotion.figures", "training.figures",
              "registry.counts", "incubation.overdue_next_steps"},
    "analyst": {"training.workshops_this_week", "promotion.figures", "training.figures",
                "registry.counts", "observatory.key_figures"},
    "partner": {"registry.own_organisation", "promotion.public_events"},
    "organisation_account": {"registry.own_organisation", "promotion.own_applications",
                             "training.member_enrolments", "promotion.exhibited",
                             "promotion.public_events"},
}


def _import_entry(user, kind, error_rows, file):
    AuditEntry.objects.create(actor=user, actor_name=user.get_full_name(),
                              action=f"import.{kind}", changes={
                                  "file": file, "rows": 40, "created": 30, "updated": 0,
                                  "unchanged": 0, "error_rows": error_rows})


def _region_records(region, tag, trainer=None):
    """A region's week: a market under way today, an open fair with applications to
    decide, a workshop today (and one in a fortnight), a pair of possible duplicates."""
    market = EventFactory(region=region, code=f"MI-{tag}-TODAY", title=f"Marché {tag} du jour",
                          start_date=TODAY - DAY, end_date=TODAY + 2 * DAY,
                          status=Event.Status.SELECTION)
    for _n in range(3):
        ParticipationFactory(event=market)
    fair = EventFactory(region=region, code=f"SR-{tag}-OPEN", title=f"Salon {tag} ouvert",
                        kind=Event.Kind.REGIONAL_FAIR, start_date=TODAY + 60 * DAY,
                        end_date=TODAY + 64 * DAY, status=Event.Status.OPEN)
    for status in ("submitted", "submitted", "shortlisted", "accepted"):
        ApplicationFactory(event=fair, status=status)
    EventFactory(region=region, code=f"MI-{tag}-LATER", title=f"Marché {tag} lointain",
                 start_date=TODAY + 30 * DAY, end_date=TODAY + 32 * DAY)
    today = WorkshopFactory(region=region, code=f"AT-{tag}-TODAY", date=TODAY,
                            title=f"Atelier {tag} du jour", trainer=trainer)
    for _n in range(4):
        EnrolmentFactory(workshop=today)
    WorkshopFactory(region=region, code=f"AT-{tag}-LATER", date=TODAY + 14 * DAY,
                    title=f"Atelier {tag} lointain", trainer=trainer)
    phone = f"06 11 22 33 {sum(map(ord, tag)) % 100:02d}"  # one phone, one name: a pair
    for _n in range(2):
        PersonFactory(region=region, first_name="Karima", last_name=f"Tazi{tag}",
                      phone=phone, birth_year=1980)


@pytest.fixture
def world(oriental, casablanca_settat, oriental_officer, casablanca_officer, trainer,
          member_org, organisation_account):
    _region_records(oriental, "ORI", trainer=trainer)
    _region_records(casablanca_settat, "CASA")
    _import_entry(oriental_officer, "people", 3, "beneficiaires-oujda.xlsx")
    _import_entry(oriental_officer, "organisations", 0, "cooperatives-sans-erreur.csv")
    _import_entry(casablanca_officer, "people", 5, "beneficiaires-settat.xlsx")
    # The organisation account's story: an accepted application where it exhibited,
    # one waiting; a member who attended a held workshop, another enrolled in a coming one.
    held = EventFactory(region=casablanca_settat, code="MI-CASA-2025", status="held",
                        title="Marché de Settat 2025")
    accepted = ApplicationFactory(event=held, organisation=member_org, status="accepted")
    ParticipationFactory(event=held, organisation=member_org, application=accepted,
                         status=Participation.Status.ATTENDED)
    ApplicationFactory(event=Event.objects.get(code="SR-CASA-OPEN"), organisation=member_org,
                       status="submitted")
    attendee, absent = PersonFactory(first_name="Hanane"), PersonFactory(first_name="Naima")
    for person in (attendee, absent):
        Membership.objects.create(person=person, organisation=member_org)
    past = WorkshopFactory(region=casablanca_settat, code="AT-CASA-2025", status="held",
                           title="Atelier tenu 2025")
    EnrolmentFactory(workshop=past, person=attendee, attended=True)
    EnrolmentFactory(workshop=past, person=absent, attended=False)
    other = OrganisationFactory(region=casablanca_settat, name="Coopérative Voisine")
    ApplicationFactory(event=held, organisation=other, status="rejected")


def cards_of(page) -> set[str]:
    return set(re.findall(r'data-card="([^"]+)"', page.content.decode()))


@pytest.mark.parametrize("name", CARDS)
def test_each_role_sees_its_own_cards(world, persona, client_as, name):
    page = client_as(persona(name)).get(reverse("core:home"))
    assert page.status_code == 200
    assert cards_of(page) == CARDS[name]


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    assert client.get(reverse("core:home")).status_code == 302


def test_an_oriental_officer_decides_the_oriental_applications_only(world, oriental_officer,
                                                                    client_as):
    page = client_as(oriental_officer).get(reverse("core:home")).content.decode()
    fair = Event.objects.get(code="SR-ORI-OPEN")
    assert "Salon ORI ouvert" in page and "Salon CASA ouvert" not in page
    assert f'{reverse("promotion:application_list", args=[fair.pk])}?status=submitted' in page
    shown = home.cards_for(oriental_officer, TODAY)
    context = next(c.context for c in shown if c.name == "promotion.applications_to_decide")
    assert context["total"] == 3  # 2 submitted, 1 shortlisted; the accepted one is decided
    assert [(e.submitted, e.shortlisted) for e in context["events"]] == [(2, 1)]


def test_the_week_shows_todays_market_with_its_check_in_and_todays_workshop(
        world, oriental_officer, client_as):
    page = client_as(oriental_officer).get(reverse("core:home")).content.decode()
    market = Event.objects.get(code="MI-ORI-TODAY")
    workshop = Workshop.objects.get(code="AT-ORI-TODAY")
    assert reverse("promotion:checkin", args=[market.pk]) in page
    assert reverse("training:attendance", args=[workshop.pk]) in page
    assert "Marché ORI lointain" not in page and "Atelier ORI lointain" not in page
    assert "Marché CASA du jour" not in page and "Atelier CASA du jour" not in page


def test_the_national_admin_sees_every_regions_week(world, national_admin, client_as):
    page = client_as(national_admin).get(reverse("core:home")).content.decode()
    for text in ("Marché ORI du jour", "Marché CASA du jour", "Atelier CASA du jour",
                 "Salon ORI ouvert", "Salon CASA ouvert", "beneficiaires-settat.xlsx",
                 "beneficiaires-oujda.xlsx"):
        assert text in page


def test_imports_with_errors_are_the_officers_own_regions(world, oriental_officer,
                                                          client_as):
    page = client_as(oriental_officer).get(reverse("core:home")).content.decode()
    assert "beneficiaires-oujda.xlsx" in page
    assert "beneficiaires-settat.xlsx" not in page
    assert "cooperatives-sans-erreur.csv" not in page  # no row left out
    assert reverse("core:import_upload", args=["people"]) in page
    assert reverse("core:import_index") in page


def test_possible_duplicates_are_counted_in_the_officers_region(
        world, oriental_officer, casablanca_officer, national_admin, casablanca_settat):
    def count(user):
        shown = home.cards_for(user, TODAY)
        return next(c.context for c in shown if c.name == "registry.possible_duplicates")[
            "count"]

    before = {user: count(user) for user in (oriental_officer, casablanca_officer,
                                             national_admin)}
    assert before[oriental_officer] > 0
    for n in range(2):  # one more pair, in Casablanca-Settat
        PersonFactory(region=casablanca_settat, first_name="Loubna", last_name="Soussi",
                      phone="07 00 00 00 01", birth_year=1970 + n)
    assert count(oriental_officer) == before[oriental_officer]
    assert count(casablanca_officer) == before[casablanca_officer] + 1
    assert count(national_admin) == before[national_admin] + 1


def test_possible_duplicates_are_all_counted_as_on_the_page_they_link_to(
        world, national_admin, monkeypatch):
    from essor.registry import selectors as registry_selectors

    pairs = [(n, n + 1) for n in range(0, 300, 2)]  # more than any cap a card might set
    monkeypatch.setattr(registry_selectors, "person_match_pairs", lambda *, user: pairs)
    shown = home.cards_for(national_admin, TODAY)
    assert next(c.context for c in shown
                if c.name == "registry.possible_duplicates")["count"] == 150


def test_the_trainer_sees_their_next_workshops_todays_first_with_attendance(
        world, trainer, client_as):
    page = client_as(trainer).get(reverse("core:home")).content.decode()
    today = Workshop.objects.get(code="AT-ORI-TODAY")
    later = Workshop.objects.get(code="AT-ORI-LATER")
    assert page.index("Atelier ORI du jour") < page.index("Atelier ORI lointain")
    assert reverse("training:attendance", args=[today.pk]) in page
    assert reverse("training:attendance", args=[later.pk]) in page
    assert "Atelier CASA du jour" not in page


def test_the_organisation_account_sees_its_applications_members_and_exhibitions(
        world, organisation_account, client_as):
    page = client_as(organisation_account).get(reverse("core:home")).content.decode()
    assert "Marché de Settat 2025" in page and "Salon CASA ouvert" in page
    assert set(re.findall(r'data-status="(\w+)"', page)) == {"accepted", "submitted"}
    assert set(re.findall(r'data-attended="(\w+)"', page)) == {"yes", "no"}
    attended = organisation_account.organisation.memberships.get(
        person__first_name="Hanane").person.enrolments.get()
    assert reverse("training:verify_code", args=[attended.certificate_code]) in page
    held = Event.objects.get(code="MI-CASA-2025")
    assert reverse("promotion:event_detail", args=[held.pk]) in page


def test_the_analysts_figures_come_from_the_figure_functions(world, analyst, oriental):
    shown = {c.name: c.context for c in home.cards_for(analyst, TODAY)}
    [(region, figures)] = shown["training.figures"]["scopes"]
    assert region == oriental and figures == training_figures(region=oriental)
    [(region, rows)] = shown["promotion.figures"]["scopes"]
    assert dict((label, row) for label, row in rows) == {
        dict(Event.Kind.choices)[kind]: row
        for kind, row in promotion_figures(region=oriental).items()}


def test_the_analyst_gets_no_personal_data_nor_applications(world, analyst, client_as):
    page = client_as(analyst).get(reverse("core:home")).content.decode()
    assert reverse("training:figures") in page
    assert "Karima" not in page and "Salon ORI ouvert" not in page


def _more_records(oriental, casablanca_settat, trainer, member_org):
    """As much again of everything, to show that the home's queries do not grow."""
    _region_records(oriental, "ORI2", trainer=trainer)
    _region_records(casablanca_settat, "CASA2")
    held = EventFactory(region=casablanca_settat, code="MI-CASA-2024", status="held")
    ParticipationFactory(event=held, organisation=member_org,
                         status=Participation.Status.ATTENDED,
                         application=ApplicationFactory(event=held, organisation=member_org,
                                                        status=Application.Status.ACCEPTED))
    past = WorkshopFactory(region=casablanca_settat, code="AT-CASA-2024", status="held")
    for member in member_org.memberships.all():
        EnrolmentFactory(workshop=past, person=member.person, attended=True)


# A ceiling per role, whatever the data's size (the cards read a few rows each).
MAX_QUERIES = {"national_admin": 30, "oriental_officer": 32, "trainer": 10, "coach": 16,
               "analyst": 24, "partner": 8, "organisation_account": 12}


@pytest.mark.parametrize("name", MAX_QUERIES)
def test_the_home_takes_a_fixed_number_of_queries(world, persona, client_as, name, oriental,
                                                  casablanca_settat, trainer, member_org,
                                                  django_assert_max_num_queries):
    client = client_as(persona(name))
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("core:home")).status_code == 200
    _more_records(oriental, casablanca_settat, trainer, member_org)
    with django_assert_max_num_queries(MAX_QUERIES[name]):
        with CaptureQueriesContext(connection) as second:
            assert client.get(reverse("core:home")).status_code == 200
    assert len(second) == len(first)


def test_a_card_name_is_registered_once():
    home.load_cards()
    assert {"promotion.applications_to_decide", "training.next_workshops",
            "registry.possible_duplicates", "audit.imports_with_errors"} <= set(home.REGISTRY)
    with pytest.raises(ValueError, match="defined twice"):
        home.card("training.next_workshops", template="x.html")(lambda user, today: {})
