"""Badges: one A6 PDF page per exhibitor with the event, the organisation in both scripts,
the stand holder, the stand, the badge code and a QR code that opens the check-in page."""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from essor.audit.models import AuditEntry
from essor.core.qr import qr_data_uri
from essor.core.testing import embedded_fonts, repository_font_ids, requires_pango
from essor.promotion import badges
from essor.promotion.models import Event, Participation
from essor.promotion.tests.factories import EventFactory, ParticipationFactory, StandFactory
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.django_db, requires_pango]

A6 = (297.64, 419.53)  # points


@pytest.fixture
def market(casablanca_settat):
    return EventFactory(region=casablanca_settat, code="MI-2025-SETTAT",
                        title="Marché itinérant de l'ESS — Settat",
                        title_ar="السوق المتجول للاقتصاد الاجتماعي والتضامني — سطات")


@pytest.fixture
def nour(market, member_org):
    """The organisation account's own cooperative exhibits at the market."""
    member_org.name_ar = "تعاونية نور سطات"
    member_org.save()
    holder = PersonFactory(first_name="Zineb", last_name="Kabbaj", first_name_ar="زينب",
                           last_name_ar="القباج")
    return ParticipationFactory(event=market, organisation=member_org, holder=holder,
                                stand=StandFactory(event=market, number=12))


def _pdf(response) -> PdfReader:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def _checkin_address(participation) -> str:
    return "http://testserver" + reverse("promotion:checkin_code",
                                         args=[participation.badge_code])


# -- one badge ----------------------------------------------------------------------------------

def test_a_badge_is_one_a6_page_with_the_exhibitor_and_its_code(client_as, casablanca_officer,
                                                               nour):
    response = client_as(casablanca_officer).get(reverse("promotion:badge", args=[nour.pk]))
    reader = _pdf(response)

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (
        round(A6[0], 1), round(A6[1], 1))
    text = reader.pages[0].extract_text()
    for expected in ("Coopérative Nour Settat", "Zineb Kabbaj", nour.badge_code_display, "12",
                     "Marché itinérant de l'ESS"):
        assert expected in text
    # Arabic is set in Noto Naskh Arabic, Latin in Noto Sans: the repository's files,
    # whatever fonts the machine has.
    fonts = embedded_fonts(response.content)
    assert {"Noto-Naskh-Arabic", "Noto-Sans"} <= fonts.keys()
    assert set().union(*fonts.values()) <= repository_font_ids()
    assert reader.metadata.title.startswith("Coopérative Nour Settat")


def test_the_badge_qr_code_is_made_from_the_check_in_address(casablanca_officer, nour):
    request = RequestFactory().get("/")
    html = badges.render_html(request, nour.event, [nour])

    assert badges.checkin_url(request, nour) == _checkin_address(nour)
    assert qr_data_uri(_checkin_address(nour)) in html
    assert html.count("data:image/svg+xml") == 1


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
                    reason="decoding the printed QR code needs pdftoppm (poppler-utils) and "
                           "zbarimg (zbar-tools) from Debian's packages")
def test_the_printed_qr_code_reads_back_as_the_check_in_address(client_as, casablanca_officer,
                                                              nour):
    pdf = client_as(casablanca_officer).get(reverse("promotion:badge", args=[nour.pk])).content
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "badge.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "150", "badge.pdf", "page"], cwd=folder,  # noqa: S607
                       check=True, timeout=60)
        decoded = subprocess.run(["zbarimg", "-q", "--raw", "page-1.png"], cwd=folder,  # noqa: S607
                                 capture_output=True, text=True, timeout=60, check=False)

    assert decoded.stdout.strip() == _checkin_address(nour)


def test_a_badge_without_a_stand_or_arabic_names_still_prints(client_as, casablanca_officer,
                                                             market):
    plain = ParticipationFactory(event=market, organisation=OrganisationFactory(
        name="Association Amal", region=market.region))

    reader = _pdf(client_as(casablanca_officer).get(reverse("promotion:badge",
                                                            args=[plain.pk])))

    assert "Association Amal" in reader.pages[0].extract_text()


def test_printing_a_badge_is_audited(client_as, casablanca_officer, nour):
    client_as(casablanca_officer).get(reverse("promotion:badge", args=[nour.pk]))

    entry = AuditEntry.objects.get(action="promotion.badge.printed")
    assert entry.actor == casablanca_officer and entry.object_id == str(nour.pk)
    assert entry.region_id == nour.event.region_id


def test_a_cancelled_participation_has_no_badge(client_as, casablanca_officer, nour):
    Participation.objects.filter(pk=nour.pk).update(status=Participation.Status.CANCELLED)

    response = client_as(casablanca_officer).get(reverse("promotion:badge", args=[nour.pk]))

    assert response.status_code == 404


# -- who may print ------------------------------------------------------------------------------

def test_the_organisation_prints_its_own_badge_only(client_as, organisation_account, nour,
                                                   market):
    client = client_as(organisation_account)
    other = ParticipationFactory(event=market)

    assert _pdf(client.get(reverse("promotion:badge", args=[nour.pk])))
    assert client.get(reverse("promotion:badge", args=[other.pk])).status_code == 404
    assert client.get(reverse("promotion:badges", args=[market.pk])).status_code == 404


@pytest.mark.parametrize("who", ["oriental_officer", "trainer", "coach", "analyst", "partner"])
def test_people_who_do_not_run_the_event_get_no_badge(client_as, persona, nour, market, who):
    client = client_as(persona(who))

    assert client.get(reverse("promotion:badge", args=[nour.pk])).status_code == 404
    assert client.get(reverse("promotion:badges", args=[market.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action__startswith="promotion.badge").exists()


def test_a_regional_officer_prints_no_badge_of_a_national_fair(client_as, casablanca_officer,
                                                              national_admin):
    fair = EventFactory(kind=Event.Kind.NATIONAL_FAIR, code="SN-2025-CASA")
    exhibitor = ParticipationFactory(event=fair)

    officer = client_as(casablanca_officer)
    assert officer.get(reverse("promotion:badge", args=[exhibitor.pk])).status_code == 404
    assert officer.get(reverse("promotion:badges", args=[fair.pk])).status_code == 404
    assert _pdf(client_as(national_admin).get(reverse("promotion:badges", args=[fair.pk])))


# -- every badge of the event -------------------------------------------------------------------

def test_all_badges_one_page_per_participation_not_cancelled(client_as, casablanca_officer,
                                                            market, nour):
    others = [ParticipationFactory(event=market, status=status) for status in (
        Participation.Status.REGISTERED, Participation.Status.ATTENDED,
        Participation.Status.ABSENT)]
    cancelled = ParticipationFactory(event=market, status=Participation.Status.CANCELLED)
    ParticipationFactory(event=EventFactory(region=market.region))  # another event's

    reader = _pdf(client_as(casablanca_officer).get(reverse("promotion:badges",
                                                            args=[market.pk])))

    assert len(reader.pages) == 4
    texts = [page.extract_text() for page in reader.pages]
    for participation in [nour, *others]:
        assert sum(participation.badge_code_display in text for text in texts) == 1
        assert any(participation.organisation.name in text for text in texts)
    assert not any(cancelled.badge_code_display in text for text in texts)
    entry = AuditEntry.objects.get(action="promotion.badges.printed")
    assert entry.object_id == str(market.pk) and entry.changes == {"badges": 4}


def test_all_badges_of_an_event_without_exhibitors_is_a_one_page_note(client_as,
                                                                     casablanca_officer, market):
    reader = _pdf(client_as(casablanca_officer).get(reverse("promotion:badges",
                                                            args=[market.pk])))

    assert len(reader.pages) == 1


def test_all_badges_query_count_does_not_grow_with_exhibitors(client_as, casablanca_officer,
                                                              market):
    client = client_as(casablanca_officer)

    def queries_with(n):
        while Participation.objects.filter(event=market).count() < n:
            ParticipationFactory(event=market, stand=StandFactory(event=market))
        with CaptureQueriesContext(connection) as queries:
            assert len(_pdf(client.get(reverse("promotion:badges", args=[market.pk]))).pages) == n
        return len(queries)

    # session, user, the user's regions, the event, the participations, the audit entry
    assert queries_with(2) == queries_with(10) == 6
