"""In a real browser, on a 360-pixel phone: a held market's public page (where its
poster's QR code points) in Arabic, its place in Arabic with the Arabic comma, its results,
nothing wider than the screen; and the upcoming list, in French and in Arabic.
ESSOR_SHOTS=<folder> keeps the screenshots."""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from essor.browser import browser_page
from essor.promotion.models import Event, Participation
from essor.promotion.tests.factories import EventFactory, ParticipationFactory
from essor.registry.tests.factories import OrganisationFactory, PersonFactory
from essor.territory.models import Province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ESSOR_SHOTS")


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def markets(casablanca_settat):
    settat = Province.objects.get(code="MA-SET")
    held = EventFactory(
        code="MI-MA06-2024-03", title="Marché itinérant de l'ESS — Settat",
        title_ar="السوق المتجول للاقتصاد الاجتماعي والتضامني — سطات",
        status=Event.Status.HELD, region=casablanca_settat, province=settat, city="Settat",
        venue="Place centrale de Settat", venue_ar="الساحة المركزية بسطات",
        organiser="Délégation régionale de l'ESS et Conseil de la Région Casablanca-Settat",
        organiser_ar="المندوبية الجهوية للاقتصاد الاجتماعي والتضامني ومجلس جهة الدار البيضاء-سطات",
        start_date=datetime.date(2024, 5, 10), end_date=datetime.date(2024, 5, 14))
    for n, (name, name_ar, sex) in enumerate([
            ("Coopérative Tifaout", "تعاونية تيفاوت", "F"),
            ("Coopérative Nour Settat", "تعاونية نور سطات", "F"),
            ("Association Al Amal", "جمعية الأمل", "M")]):
        ParticipationFactory(
            event=held, status=Participation.Status.ATTENDED,
            organisation=OrganisationFactory(name=name, name_ar=name_ar,
                                             region=casablanca_settat),
            holder=PersonFactory(sex=sex, region=casablanca_settat),
            sales_mad=Decimal(3200 + 400 * n), visitors=90 + 10 * n)
    start = timezone.localdate() + datetime.timedelta(days=20)
    EventFactory(code="MI-MA06-2099-01", title="Marché itinérant de l'ESS — Berrechid",
                 title_ar="السوق المتجول للاقتصاد الاجتماعي والتضامني — برشيد",
                 status=Event.Status.OPEN, region=casablanca_settat,
                 province=Province.objects.get(code="MA-BRR"), city="Berrechid",
                 venue="Jardin public de Berrechid", venue_ar="الحديقة العمومية ببرشيد",
                 start_date=start, end_date=start + datetime.timedelta(days=3))
    return held


def _no_wider_than_the_screen(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_held_markets_public_page_in_arabic_on_a_phone(live_server, markets):
    url = f"{live_server.url}/promotion/public/MI-MA06-2024-03/"

    with browser_page(width=360, height=780, locale="ar") as page:
        page.goto(url)

        assert page.get_attribute("html", "dir") == "rtl"
        place = page.inner_text("#event-place")
        assert place == "الساحة المركزية بسطات، الدار البيضاء-سطات"
        assert "," not in place
        assert "المندوبية الجهوية" in page.inner_text("#event-organiser")
        assert page.inner_text("#result-exhibitors").strip() == "3"
        assert page.inner_text("#result-visitors").strip() == "300"
        assert page.locator("#public-exhibitors li").count() == 3
        assert "تعاونية تيفاوت" in page.inner_text("#public-exhibitors")
        # The place reads right to left: its first words are at the right of the screen.
        box = page.locator("#event-place bdi").bounding_box()
        assert box["x"] + box["width"] > 360 * 0.6
        _no_wider_than_the_screen(page)
        _shot(page, "public-held-ar-360")

        page.goto(f"{live_server.url}/promotion/public/")
        listed = page.inner_text("#public-events")
        assert "الحديقة العمومية ببرشيد، الدار البيضاء-سطات" in listed
        assert "Berrechid" not in listed
        _no_wider_than_the_screen(page)
        _shot(page, "public-list-ar-360")


@pytest.mark.parametrize(("locale", "width"), [("fr-FR", 1280), ("fr-FR", 360), ("ar", 1280)])
def test_the_public_pages_in_each_language_and_width(live_server, markets, locale, width):
    with browser_page(width=width, height=900, locale=locale) as page:
        page.goto(f"{live_server.url}/promotion/public/MI-MA06-2024-03/")
        place = page.inner_text("#event-place")
        if locale == "ar":
            assert place == "الساحة المركزية بسطات، الدار البيضاء-سطات"
        else:
            assert place == "Place centrale de Settat, Casablanca-Settat"
        assert page.locator("#event-results").is_visible()
        _no_wider_than_the_screen(page)
        _shot(page, f"public-held-{locale[:2]}-{width}")

        page.goto(f"{live_server.url}/promotion/public/")
        _no_wider_than_the_screen(page)
        _shot(page, f"public-list-{locale[:2]}-{width}")
