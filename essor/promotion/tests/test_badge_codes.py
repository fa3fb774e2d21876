"""Badge codes read aloud and typed on a phone: readable (no 0/O, 1/I/L), printed in
groups, found whatever the case, the spaces and the dashes; existing participations got
new readable codes through a data migration."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from essor.core import codes
from essor.core.testing import requires_pango
from essor.promotion import badges
from essor.promotion.models import Event, Participation
from essor.promotion.tests.factories import EventFactory, ParticipationFactory
from essor.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

CODE = "K7M2QX9PA"


@pytest.fixture(autouse=True)
def _in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def market(casablanca_settat):
    today = timezone.localdate()
    return EventFactory(region=casablanca_settat, title="Marché itinérant de l'ESS — Settat",
                        start_date=today, end_date=today + datetime.timedelta(days=2),
                        status=Event.Status.SELECTION)


@pytest.fixture
def nour(market):
    participation = ParticipationFactory(
        event=market, organisation=OrganisationFactory(name="Coopérative Nour",
                                                       region=market.region))
    Participation.objects.filter(pk=participation.pk).update(badge_code=CODE)
    participation.refresh_from_db()
    return participation


def test_the_code_is_shown_in_groups_of_three(nour):
    assert nour.badge_code_display == "K7M-2QX-9PA"


@pytest.mark.parametrize("typed", ["k7m2qx9pa", "K7M-2QX-9PA", "k7m 2qx 9pa", " K7m-2qX 9pa "])
def test_typing_the_code_finds_the_badge_whatever_the_case_spaces_and_dashes(
        client_as, casablanca_officer, nour, typed):
    client = client_as(casablanca_officer)

    response = client.get(reverse("promotion:checkin_lookup"), {"code": typed})

    assert response.status_code == 302
    assert response["Location"] == reverse("promotion:checkin_code", args=[CODE])
    page = client.get(response["Location"]).content.decode()
    assert "Coopérative Nour" in page


def test_the_badge_address_in_lower_case_opens_the_badge(client_as, casablanca_officer, nour):
    client = client_as(casablanca_officer)

    response = client.get(reverse("promotion:checkin_code", args=["k7m-2qx-9pa"]))

    assert response.status_code == 200
    assert "Coopérative Nour" in response.content.decode()
    client.post(reverse("promotion:checkin_code", args=["k7m-2qx-9pa"]))
    nour.refresh_from_db()
    assert nour.status == Participation.Status.ATTENDED


def test_the_check_in_search_finds_a_code_typed_in_groups(client_as, casablanca_officer,
                                                          market, nour):
    ParticipationFactory(event=market)  # another exhibitor, not found
    client = client_as(casablanca_officer)

    for typed in ("k7m 2qx 9pa", "K7M-2QX-9PA", "k7m2qx9pa"):
        html = client.get(reverse("promotion:checkin", args=[market.pk]),
                          {"q": typed}).content.decode()
        assert html.count('id="participation-') == 1, typed
        assert f'id="participation-{nour.pk}"' in html


def test_an_unknown_code_is_refused_with_the_code_as_typed(client_as, casablanca_officer,
                                                           nour):
    response = client_as(casablanca_officer).get(
        reverse("promotion:checkin_code", args=["k7m-2qx-9pb"]))

    assert response.status_code == 404
    assert "k7m-2qx-9pb" in response.content.decode()


def test_another_regions_officer_does_not_find_the_badge(client_as, oriental_officer, nour):
    response = client_as(oriental_officer).get(
        reverse("promotion:checkin_code", args=["k7m2qx9pa"]))

    assert response.status_code == 404
    assert "Coopérative Nour" not in response.content.decode()


def test_the_code_input_is_written_left_to_right_in_capitals(client_as, casablanca_officer):
    html = client_as(casablanca_officer).get(reverse("promotion:checkin_lookup")).content.decode()

    field = re.search(r'<input[^>]*id="badge-code"[^>]*>', html).group(0)
    for attribute in ('dir="ltr"', 'autocapitalize="characters"', 'autocomplete="off"',
                      'inputmode="text"'):
        assert attribute in field


def test_the_check_in_page_shows_the_grouped_code_left_to_right(client_as, casablanca_officer,
                                                                nour):
    html = client_as(casablanca_officer).get(
        reverse("promotion:checkin_code", args=[CODE])).content.decode()

    assert '<bdi dir="ltr" class="ltr">K7M-2QX-9PA</bdi>' in html


def test_the_badge_html_prints_the_grouped_code_left_to_right(market, nour):
    request = RequestFactory().get("/")

    html = badges.render_html(request, market, [nour])

    assert '<div class="code" dir="ltr"><bdi dir="ltr" class="ltr">K7M-2QX-9PA</bdi></div>' in html


@requires_pango
def test_the_badge_pdf_prints_the_grouped_code(client_as, casablanca_officer, nour):
    import io

    from pypdf import PdfReader

    response = client_as(casablanca_officer).get(reverse("promotion:badge", args=[nour.pk]))

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "K7M-2QX-9PA" in text


# -- the data migration ----------------------------------------------------------------------------

def test_the_migration_gives_every_participation_a_new_unique_readable_code(market):
    migration = importlib.import_module(
        "essor.promotion.migrations.0003_readable_badge_codes_for_existing_participations")
    participations = [ParticipationFactory(event=market) for _ in range(25)]
    old = {}
    for n, participation in enumerate(participations):
        # Codes as the first default made them: URL-safe tokens, any case, - and _.
        code = f"aB-{n:02d}_x0Ol1Iq9zW"
        Participation.objects.filter(pk=participation.pk).update(badge_code=code)
        old[participation.pk] = code

    migration.readable_codes(apps, None)

    new = dict(Participation.objects.values_list("pk", "badge_code"))
    assert set(new) == set(old)
    assert len(set(new.values())) == len(new)  # unique
    for pk, code in new.items():
        assert code != old[pk]
        assert len(code) == 9 and codes.is_readable(code)
