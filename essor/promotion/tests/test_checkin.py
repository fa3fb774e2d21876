"""Check-in on the day: find the exhibitor (by name, Arabic name, holder or badge code) or
open the badge's QR address, check them in once, never a cancelled one, never outside
one's own events."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from essor.audit.models import AuditEntry
from essor.promotion.models import Event, Participation
from essor.promotion.tests.factories import EventFactory, ParticipationFactory, StandFactory
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

CHECKED_IN = "promotion.participation.checked_in"


@pytest.fixture(autouse=True)
def _in_english(client):
    """Pages in English, so that the assertions do not wait for the translations."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def market(casablanca_settat):
    today = timezone.localdate()
    return EventFactory(region=casablanca_settat, title="Marché itinérant de l'ESS — Settat",
                        title_ar="السوق المتجول للاقتصاد الاجتماعي والتضامني — سطات",
                        start_date=today, end_date=today + datetime.timedelta(days=3),
                        status=Event.Status.SELECTION)


def _exhibitor(event, name, name_ar="", first="Fatima", last="Alaoui", number=None, **kw):
    organisation = OrganisationFactory(name=name, name_ar=name_ar, region=event.region)
    holder = PersonFactory(first_name=first, last_name=last, region=event.region)
    stand = StandFactory(event=event, number=number) if number else None
    return ParticipationFactory(event=event, organisation=organisation, holder=holder,
                                stand=stand, **kw)


@pytest.fixture
def exhibitors(market):
    return {
        "nour": _exhibitor(market, "Coopérative Nour Al Fajr", "تعاونية نور الفجر",
                           "Zineb", "Kabbaj", number=12),
        "argane": _exhibitor(market, "Coopérative Argane Chtouka", "", "Khadija", "Oubella",
                             number=3),
        "cancelled": _exhibitor(market, "Association Tissage Mzab", "", "Naima", "Saidi",
                                status=Participation.Status.CANCELLED),
    }


def _url(event, q=None):
    url = reverse("promotion:checkin", args=[event.pk])
    return f"{url}?q={q}" if q is not None else url


def _card(html, participation):
    return html.split(f'id="participation-{participation.pk}"')[1].split("</li>")[0]


def _shown(response, exhibitors):
    html = response.content.decode()
    return {key for key, p in exhibitors.items() if p.organisation.name in html}


# -- finding the exhibitor --------------------------------------------------------------------

@pytest.mark.parametrize(("q", "expected"), [
    ("", {"nour", "argane", "cancelled"}),
    ("nour", {"nour"}),
    ("ARGANE", {"argane"}),
    ("تعاونية نور", {"nour"}),
    ("Kabbaj", {"nour"}),
    ("zineb kabbaj", {"nour"}),
    ("Oubella Khadija", {"argane"}),
    ("Coopérative", {"nour", "argane"}),
    ("nothing like this", set()),
])
def test_the_search_finds_exhibitors_by_latin_or_arabic_name_or_holder(
        client_as, casablanca_officer, exhibitors, market, q, expected):
    response = client_as(casablanca_officer).get(_url(market, q))

    assert response.status_code == 200
    assert _shown(response, exhibitors) == expected


def test_the_search_finds_an_exhibitor_by_badge_code(client_as, casablanca_officer,
                                                    exhibitors, market):
    code = exhibitors["argane"].badge_code

    response = client_as(casablanca_officer).get(_url(market, f"  {code} "))

    assert _shown(response, exhibitors) == {"argane"}


def test_the_search_shows_only_this_events_exhibitors(client_as, casablanca_officer,
                                                     exhibitors, market):
    other = EventFactory(region=market.region)
    _exhibitor(other, "Coopérative Nour Errahma")

    response = client_as(casablanca_officer).get(_url(market, "nour"))

    assert "Coopérative Nour Al Fajr" in response.content.decode()
    assert "Nour Errahma" not in response.content.decode()


def test_the_page_counts_checked_in_over_expected_and_shows_each_state(
        client_as, casablanca_officer, exhibitors, market):
    nour = exhibitors["nour"]
    Participation.objects.filter(pk=nour.pk).update(
        status=Participation.Status.ATTENDED,
        checked_in_at=datetime.datetime(2025, 5, 10, 8, 5, tzinfo=datetime.UTC))

    html = client_as(casablanca_officer).get(_url(market)).content.decode()

    # 1 checked in of the 2 not cancelled.
    # Numbers are isolated left to right (the number filter).
    assert re.search(r'<span id="checked-in"><bdi[^>]*>1</bdi></span>'
                     r'<span[^>]*> / <bdi[^>]*>2</bdi></span>', html)
    card = _card(html, nour)
    assert 'data-state="attended"' in card and 'name="participation"' not in card
    assert "Checked in at 09:05" in card  # Casablanca time (UTC+1 that day)
    cancelled = _card(html, exhibitors["cancelled"])
    assert 'name="participation"' not in cancelled and "cannot be checked in" in cancelled
    argane = _card(html, exhibitors["argane"])
    assert f'name="participation" value="{exhibitors["argane"].pk}"' in argane
    assert "Stand 3" in argane


def test_the_page_warns_when_the_event_is_not_today(client_as, casablanca_officer):
    past = EventFactory(start_date=datetime.date(2024, 5, 2), end_date=datetime.date(2024, 5, 5))

    response = client_as(casablanca_officer).get(_url(past))

    assert "not taking place today" in response.content.decode()


# -- checking in from the search page ---------------------------------------------------------

def test_check_in_from_the_search_marks_attended_and_is_audited(
        client_as, casablanca_officer, exhibitors, market):
    nour = exhibitors["nour"]
    client = client_as(casablanca_officer)

    response = client.post(_url(market), {"participation": nour.pk, "q": "nour"})

    assert response.status_code == 302
    assert response["Location"] == _url(market, "nour")
    nour.refresh_from_db()
    assert nour.status == Participation.Status.ATTENDED
    assert nour.checked_in_at is not None
    entry = AuditEntry.objects.get(action=CHECKED_IN)
    assert entry.actor == casablanca_officer and entry.object_id == str(nour.pk)
    assert entry.region_id == market.region_id
    page = client.get(response["Location"])
    message = [str(m) for m in get_messages(page.wsgi_request)] or [page.content.decode()]
    assert any("Coopérative Nour Al Fajr" in m for m in message)


def test_a_second_check_in_changes_nothing(client_as, casablanca_officer, exhibitors, market):
    nour = exhibitors["nour"]
    client = client_as(casablanca_officer)
    client.post(_url(market), {"participation": nour.pk})
    nour.refresh_from_db()
    first = nour.checked_in_at

    response = client.post(_url(market), {"participation": nour.pk}, follow=True)

    nour.refresh_from_db()
    assert nour.checked_in_at == first
    assert AuditEntry.objects.filter(action=CHECKED_IN).count() == 1
    assert "was already checked in at" in response.content.decode()


def test_a_cancelled_participation_cannot_be_checked_in(client_as, casablanca_officer,
                                                       exhibitors, market):
    cancelled = exhibitors["cancelled"]

    response = client_as(casablanca_officer).post(_url(market),
                                                  {"participation": cancelled.pk},
                                                  follow=True)

    cancelled.refresh_from_db()
    assert cancelled.status == Participation.Status.CANCELLED
    assert cancelled.checked_in_at is None
    assert not AuditEntry.objects.filter(action=CHECKED_IN).exists()
    assert "alert-danger" in response.content.decode()


def test_an_absent_exhibitor_who_turns_up_can_be_checked_in(client_as, casablanca_officer,
                                                           market):
    late = _exhibitor(market, "Coopérative Tardive", status=Participation.Status.ABSENT)

    client_as(casablanca_officer).post(_url(market), {"participation": late.pk})

    late.refresh_from_db()
    assert late.status == Participation.Status.ATTENDED and late.checked_in_at


def test_a_participation_of_another_event_is_not_found(client_as, casablanca_officer,
                                                      exhibitors, market):
    elsewhere = _exhibitor(EventFactory(region=market.region), "Coopérative Ailleurs")
    client = client_as(casablanca_officer)

    assert client.post(_url(market), {"participation": elsewhere.pk}).status_code == 404
    assert client.post(_url(market), {"participation": "x"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Participation.Status.REGISTERED


@pytest.mark.parametrize("hostile", ["\x00", "nour\x00", "%", "_", "' OR 1=1 --", "<script>",
                                     "x" * 5000, "  ", "٣", "²"])
def test_hostile_searches_and_ids_are_harmless(client_as, casablanca_officer, exhibitors,
                                               market, hostile):
    client = client_as(casablanca_officer)

    response = client.get(_url(market), {"q": hostile})

    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split('id="checkin-live"')[1]
    posted = client.post(_url(market), {"participation": hostile, "q": hostile})
    assert posted.status_code == 404
    looked_up = client.get(reverse("promotion:checkin_lookup"), {"code": hostile}, follow=True)
    assert looked_up.status_code in (200, 404)


# -- htmx ---------------------------------------------------------------------------------------

def test_with_htmx_the_search_answers_only_the_results(client_as, casablanca_officer,
                                                      exhibitors, market):
    response = client_as(casablanca_officer).get(_url(market, "kabbaj"), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html and 'id="checkin-results"' in html
    assert _shown(response, exhibitors) == {"nour"}
    assert "HX-Request" in response["Vary"]


def test_with_htmx_a_check_in_answers_the_refreshed_results(client_as, casablanca_officer,
                                                           exhibitors, market):
    nour = exhibitors["nour"]

    response = client_as(casablanca_officer).post(
        _url(market), {"participation": nour.pk, "q": "nour"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "alert-success" in html
    assert re.search(r'<span id="checked-in"><bdi[^>]*>1</bdi></span>', html)
    nour.refresh_from_db()
    assert nour.status == Participation.Status.ATTENDED
    # The notice was shown in place; nothing is left over for the next page.
    assert not list(get_messages(response.wsgi_request))


def test_an_htmx_history_restore_gets_the_whole_page(client_as, casablanca_officer, market):
    response = client_as(casablanca_officer).get(
        _url(market), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")

    assert "<html" in response.content.decode()


# -- the badge's QR address --------------------------------------------------------------------

def _code_url(participation_or_code):
    code = getattr(participation_or_code, "badge_code", participation_or_code)
    return reverse("promotion:checkin_code", args=[code])


def test_the_qr_address_shows_the_exhibitor_and_checks_them_in(client_as, casablanca_officer,
                                                              exhibitors, market):
    nour = exhibitors["nour"]
    client = client_as(casablanca_officer)

    page = client.get(_code_url(nour)).content.decode()
    for shown in ("Coopérative Nour Al Fajr", "تعاونية نور الفجر", "Zineb Kabbaj", ">12<",
                  escape(market.title), nour.badge_code):
        assert shown in page
    assert f'action="{_code_url(nour)}"' in page

    response = client.post(_code_url(nour))

    assert response.status_code == 302 and response["Location"] == _code_url(nour)
    nour.refresh_from_db()
    assert nour.status == Participation.Status.ATTENDED
    assert AuditEntry.objects.filter(action=CHECKED_IN, object_id=str(nour.pk)).count() == 1
    again = client.get(_code_url(nour)).content.decode()
    at = timezone.localtime(nour.checked_in_at).strftime("%H:%M")
    assert 'id="checked-in"' in again and at in again
    assert f'action="{_code_url(nour)}"' not in again  # no button any more


def test_scanning_twice_checks_in_once(client_as, casablanca_officer, exhibitors):
    nour = exhibitors["nour"]
    client = client_as(casablanca_officer)
    client.post(_code_url(nour))
    nour.refresh_from_db()
    first = nour.checked_in_at

    client.post(_code_url(nour))

    nour.refresh_from_db()
    assert nour.checked_in_at == first
    assert AuditEntry.objects.filter(action=CHECKED_IN).count() == 1


def test_the_qr_address_of_a_cancelled_participation_refuses(client_as, casablanca_officer,
                                                            exhibitors):
    cancelled = exhibitors["cancelled"]
    client = client_as(casablanca_officer)

    page = client.get(_code_url(cancelled)).content.decode()
    assert 'data-state="cancelled"' in page and "cannot be checked in" in page
    client.post(_code_url(cancelled))

    cancelled.refresh_from_db()
    assert cancelled.status == Participation.Status.CANCELLED
    assert not AuditEntry.objects.filter(action=CHECKED_IN).exists()


def test_an_unknown_code_is_a_clear_404_page(client_as, casablanca_officer):
    response = client_as(casablanca_officer).get(_code_url("no-such-code"))

    assert response.status_code == 404
    html = response.content.decode()
    assert "no-such-code" in html and 'id="badge-code"' in html
    assert response.templates[0].name == "promotion/checkin_code.html"


def test_typing_a_code_by_hand_opens_its_page(client_as, casablanca_officer, exhibitors):
    nour = exhibitors["nour"]
    client = client_as(casablanca_officer)
    lookup = reverse("promotion:checkin_lookup")

    assert 'id="badge-code"' in client.get(lookup).content.decode()
    response = client.get(lookup, {"code": f" {nour.badge_code} "})
    assert response.status_code == 302 and response["Location"] == _code_url(nour)
    # The QR's whole address, pasted, works too.
    pasted = client.get(lookup, {"code": f"https://essor.example{_code_url(nour)}"})
    assert pasted["Location"] == _code_url(nour)
    assert client.get(lookup, {"code": "<script>"}).status_code == 404


# -- scoping ------------------------------------------------------------------------------------

def test_the_oriental_officer_finds_nothing_of_a_casablanca_market(
        client_as, oriental_officer, exhibitors, market):
    nour = exhibitors["nour"]
    client = client_as(oriental_officer)

    assert client.get(_url(market)).status_code == 404
    assert client.post(_url(market), {"participation": nour.pk}).status_code == 404
    scanned = client.get(_code_url(nour))
    assert scanned.status_code == 404
    # The same page as for a code that does not exist: nothing about the exhibitor.
    assert "Coopérative Nour Al Fajr" not in scanned.content.decode()
    assert "no-such-code" in client.get(_code_url("no-such-code")).content.decode()
    assert client.post(_code_url(nour)).status_code == 404
    nour.refresh_from_db()
    assert nour.status == Participation.Status.REGISTERED
    assert not AuditEntry.objects.filter(action=CHECKED_IN).exists()
    refused = AuditEntry.objects.filter(action="access.refused", actor=oriental_officer)
    assert refused.filter(object_id=str(market.pk)).count() >= 3


@pytest.mark.parametrize("who", ["trainer", "coach", "analyst", "partner",
                                 "organisation_account"])
def test_roles_that_do_not_run_events_are_refused(client_as, persona, exhibitors, market, who):
    nour = exhibitors["nour"]
    client = client_as(persona(who))

    assert client.get(_url(market)).status_code == 403
    assert client.post(_url(market), {"participation": nour.pk}).status_code == 403
    assert client.get(_code_url(nour)).status_code == 403
    assert client.post(_code_url(nour)).status_code == 403
    nour.refresh_from_db()
    assert nour.status == Participation.Status.REGISTERED


def test_a_regional_officer_does_not_check_in_at_a_national_fair(client_as, casablanca_officer,
                                                                national_admin):
    fair = EventFactory(kind=Event.Kind.NATIONAL_FAIR, code="SN-2025")
    exhibitor = _exhibitor(fair, "Coopérative Nationale")

    assert client_as(casablanca_officer).get(_url(fair)).status_code == 404
    assert client_as(casablanca_officer).get(_code_url(exhibitor)).status_code == 404
    assert client_as(national_admin).post(_code_url(exhibitor)).status_code == 302
    exhibitor.refresh_from_db()
    assert exhibitor.status == Participation.Status.ATTENDED


def test_anonymous_visitors_are_sent_to_log_in(client, exhibitors):
    response = client.get(_code_url(exhibitors["nour"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert _code_url(exhibitors["nour"]) in response["Location"]


# -- query count --------------------------------------------------------------------------------

def test_the_search_page_query_count_does_not_grow_with_exhibitors(client_as,
                                                                  casablanca_officer, market):
    client = client_as(casablanca_officer)

    def queries_with(n):
        for i in range(len(Participation.objects.filter(event=market)), n):
            _exhibitor(market, f"Coopérative Test {i}", f"تعاونية {i}", number=i + 1,
                       status=Participation.Status.ATTENDED if i % 2 else
                       Participation.Status.REGISTERED,
                       checked_in_at=timezone.now() if i % 2 else None)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url(market, "coop"))
        assert response.status_code == 200
        assert response.content.decode().count('class="card mb-2') == n
        return len(queries)

    assert queries_with(3) == queries_with(15) == 6
