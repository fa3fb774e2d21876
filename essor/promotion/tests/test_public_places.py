"""Places in two languages: an event's venue, city and organiser in the reader's language
(the province's Arabic name from the territory data when the city is the province's),
joined with the Arabic comma in Arabic; and a held event's public page stays reachable
with its results, so that a poster's QR code keeps working."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import strip_tags

from essor.promotion import selectors
from essor.promotion.models import Event, Participation
from essor.promotion.tests.factories import ApplicationFactory, EventFactory, ParticipationFactory
from essor.registry.tests.factories import OrganisationFactory, PersonFactory
from essor.territory.models import Province

pytestmark = pytest.mark.django_db

LATIN_COMMA = ","
ARABIC_COMMA = "،"


def _soon(days=20):
    start = timezone.localdate() + datetime.timedelta(days=days)
    return {"start_date": start, "end_date": start + datetime.timedelta(days=3)}


def _reading(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


@pytest.fixture
def settat_market(casablanca_settat):
    """A market whose city is written as its province's French name, with no Arabic city:
    the Arabic page names it from the territory data."""
    return EventFactory(
        code="MI-MA06-2099-01", title="Marché itinérant de Settat",
        title_ar="السوق المتجول بسطات", status=Event.Status.OPEN, region=casablanca_settat,
        province=Province.objects.get(code="MA-SET"), city="Settat",
        venue="Place Hassan II", venue_ar="ساحة الحسن الثاني",
        organiser="Délégation régionale de l'ESS", organiser_ar="المندوبية الجهوية", **_soon())


@pytest.fixture
def oujda_fair(oriental):
    """A fair in Oujda (province Oujda-Angad), with every Arabic form given."""
    return EventFactory(
        code="SR-MA02-2099-1", kind=Event.Kind.REGIONAL_FAIR, title="Salon régional de l'Oriental",
        title_ar="المعرض الجهوي لجهة الشرق", status=Event.Status.PLANNED, region=oriental,
        province=Province.objects.get(code="MA-OUJ"), city="Oujda", city_ar="وجدة",
        venue="Esplanade de la Technopole", venue_ar="ساحة التكنوبول", **_soon(30))


def _place_of_detail(html: str) -> str:
    return strip_tags(re.search(r'<dd[^>]*id="event-place">(.*?)</dd>', html, re.S).group(1))


def _places_of_list(html: str) -> list[str]:
    return [strip_tags(p).strip() for p in re.findall(
        r'<i class="bi bi-geo-alt" aria-hidden="true"></i>(.*?)</p>', html, re.S)]


# -- the model's properties ----------------------------------------------------------------------

def test_the_place_is_in_the_readers_language_with_its_comma(settat_market, oujda_fair):
    with translation.override("fr"):
        assert settat_market.place == "Place Hassan II, Settat, Casablanca-Settat"
        assert oujda_fair.place == "Esplanade de la Technopole, Oujda, Oujda-Angad, Oriental"
        assert settat_market.local_organiser == "Délégation régionale de l'ESS"
    with translation.override("ar"):
        assert settat_market.place == "ساحة الحسن الثاني، سطات، الدار البيضاء-سطات"
        assert oujda_fair.place == "ساحة التكنوبول، وجدة، وجدة-أنجاد، الشرق"
        assert settat_market.local_organiser == "المندوبية الجهوية"


def test_the_arabic_city_comes_from_the_province_when_the_city_is_the_provinces(
        casablanca_settat):
    benslimane = Province.objects.get(code="MA-BES")
    same = EventFactory(region=casablanca_settat, province=benslimane, city="benslimane")
    empty = EventFactory(region=casablanca_settat, province=benslimane, city="")
    other = EventFactory(region=casablanca_settat, province=benslimane, city="Bouznika")

    with translation.override("ar"):
        assert same.local_city == "بنسليمان"  # case and accents aside, the province's name
        assert empty.local_city == "بنسليمان"
        assert other.local_city == "Bouznika"  # no Arabic form known: the French one
    with translation.override("fr"):
        assert same.local_city == "benslimane" and other.local_city == "Bouznika"


def test_a_missing_form_falls_back_to_the_other_language(casablanca_settat):
    only_arabic = EventFactory(region=casablanca_settat, venue="", venue_ar="ساحة المسيرة",
                               organiser="", organiser_ar="جمعية")
    only_french = EventFactory(region=casablanca_settat, venue="Place de la Marche verte")

    with translation.override("fr"):
        assert only_arabic.local_venue == "ساحة المسيرة"
        assert only_arabic.local_organiser == "جمعية"
    with translation.override("ar"):
        assert only_french.local_venue == "Place de la Marche verte"


# -- the public pages, in Arabic and in French -----------------------------------------------------

def test_the_arabic_pages_show_arabic_place_names_and_no_latin_comma(client, settat_market,
                                                                     oujda_fair):
    _reading(client, "ar")

    listing = client.get("/promotion/public/").content.decode()
    page = client.get("/promotion/public/MI-MA06-2099-01/").content.decode()

    assert '<html lang="ar" dir="rtl">' in page
    places = _places_of_list(listing)
    assert len(places) == 2
    for place in [*places, _place_of_detail(page)]:
        assert LATIN_COMMA not in place and ARABIC_COMMA in place
    assert "ساحة الحسن الثاني، سطات، الدار البيضاء-سطات" in places
    assert "ساحة التكنوبول، وجدة، وجدة-أنجاد، الشرق" in places
    assert _place_of_detail(page).strip() == "ساحة الحسن الثاني، سطات، الدار البيضاء-سطات"
    assert "المندوبية الجهوية" in page
    for french in ("Place Hassan II", "Settat<", "Délégation régionale", "Technopole"):
        assert french not in page and french not in listing


def test_the_french_pages_show_french_place_names(client, settat_market, oujda_fair):
    _reading(client, "fr")

    listing = client.get("/promotion/public/").content.decode()
    page = client.get("/promotion/public/MI-MA06-2099-01/").content.decode()

    assert '<html lang="fr"' in page
    assert "Place Hassan II, Settat, Casablanca-Settat" in _places_of_list(listing)
    assert _place_of_detail(page).strip() == "Place Hassan II, Settat, Casablanca-Settat"
    assert "Délégation régionale de l&#x27;ESS" in page
    for arabic in ("ساحة الحسن الثاني", "وجدة", "المندوبية الجهوية", ARABIC_COMMA):
        assert arabic not in _place_of_detail(page) and arabic not in "".join(
            _places_of_list(listing))


def test_each_place_is_isolated_from_the_text_around_it(client, settat_market):
    html = _reading(client, "ar").get("/promotion/public/MI-MA06-2099-01/").content.decode()

    assert re.search(r'id="event-place"><bdi>ساحة الحسن الثاني، سطات', html)


# -- a past event's page -------------------------------------------------------------------------

@pytest.fixture
def held_market(casablanca_settat):
    event = EventFactory(code="MI-MA06-2024-03", title="Marché itinérant de Berrechid",
                         status=Event.Status.HELD, region=casablanca_settat,
                         province=Province.objects.get(code="MA-BRR"), city="Berrechid",
                         start_date=datetime.date(2024, 5, 10),
                         end_date=datetime.date(2024, 5, 14))
    women = PersonFactory.create_batch(2, sex="F", region=casablanca_settat)
    man = PersonFactory(sex="M", region=casablanca_settat)
    for n, holder in enumerate([*women, man]):
        organisation = OrganisationFactory(name=f"Coopérative Exposante {n}",
                                           region=casablanca_settat)
        ParticipationFactory(event=event, organisation=organisation, holder=holder,
                             status=Participation.Status.ATTENDED,
                             sales_mad=Decimal("2500.00"), visitors=100)
    ParticipationFactory(event=event, status=Participation.Status.ABSENT,
                         organisation__name="Coopérative Absente")
    ParticipationFactory(event=event, status=Participation.Status.CANCELLED,
                         organisation__name="Coopérative Désistée")
    return event


def test_a_held_events_page_stays_reachable_with_its_results(client, held_market):
    _reading(client, "en")
    summary = selectors.event_summary(held_market)

    response = client.get("/promotion/public/MI-MA06-2024-03/")

    html = response.content.decode()
    assert response.status_code == 200
    assert summary["exhibitors"] == 3 and summary["visitors"] == 300

    def result(name):
        return strip_tags(re.search(rf'id="result-{name}">(.*?)</div>', html).group(1))

    assert result("exhibitors") == "3"
    assert result("women") == "66.7%"  # two women of three stand holders
    assert result("regions") == "1"
    assert result("visitors") == "300"
    assert result("sales") == "7,500 MAD"
    assert "sales declared by 3 exhibitors" in strip_tags(html)
    # The exhibitors listed are those who came.
    assert html.count("Coopérative Exposante") == 3
    assert "Coopérative Absente" not in html and "Coopérative Désistée" not in html


def test_a_closed_past_event_keeps_its_page_too(client, held_market):
    Event.objects.filter(pk=held_market.pk).update(status=Event.Status.CLOSED)

    assert client.get("/promotion/public/MI-MA06-2024-03/").status_code == 200


def test_the_public_list_still_shows_only_upcoming_events(client, held_market, settat_market):
    html = _reading(client, "fr").get("/promotion/public/").content.decode()

    assert "Marché itinérant de Settat" in html
    assert "Marché itinérant de Berrechid" not in html


@pytest.mark.parametrize("status", [Event.Status.PLANNED, Event.Status.OPEN,
                                    Event.Status.SELECTION])
def test_a_past_event_never_held_answers_404(client, casablanca_settat, status):
    """No draft or cancelled status exists: an event whose end date passed while it was
    still planned, open or in selection did not take place as far as essor knows."""
    EventFactory(code="MI-MA06-2020-09", status=status, region=casablanca_settat,
                 start_date=datetime.date(2020, 3, 1), end_date=datetime.date(2020, 3, 4))

    assert client.get("/promotion/public/MI-MA06-2020-09/").status_code == 404


def test_an_upcoming_event_has_no_results_section(client, settat_market):
    html = client.get("/promotion/public/MI-MA06-2099-01/").content.decode()

    assert 'id="event-results"' not in html


def test_the_held_events_page_query_count_does_not_grow_with_exhibitors(client, held_market):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/promotion/public/MI-MA06-2024-03/").status_code == 200
        return len(queries)

    few = count()
    for _ in range(8):
        ParticipationFactory(event=held_market, status=Participation.Status.ATTENDED,
                             application=ApplicationFactory(event=held_market))
    assert count() == few


def test_the_staff_event_page_links_a_held_events_public_page(client_as, casablanca_officer,
                                                              held_market):
    html = client_as(casablanca_officer).get(
        f"/promotion/events/{held_market.pk}/").content.decode()

    assert "/promotion/public/MI-MA06-2024-03/" in html
