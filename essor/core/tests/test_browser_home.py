"""In a real browser: each role's home, in French and Arabic, on a desktop (1,280 px) and a
phone (360 px): its cards are there, in the page's direction, and nothing runs off the
side of the phone's screen. ``ESSOR_SHOTS=/some/folder`` keeps the screenshots."""

import os
from pathlib import Path

import pytest

from essor.browser import browser_page
from essor.core.tests.test_home import CARDS, world  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ESSOR_SHOTS", "")


@pytest.mark.parametrize("name", CARDS)
@pytest.mark.parametrize("locale", ["fr-FR", "ar"])
def test_each_roles_home_in_french_and_arabic_on_a_desktop_and_a_phone(
        live_server, world, persona, name, locale):  # noqa: F811 - world is the fixture
    user = persona(name)
    direction = "rtl" if locale == "ar" else "ltr"
    with browser_page(width=1280, height=900, locale=locale) as page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", "correct horse battery")
        page.click("form:not(#language-switch) button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            page.reload()
            page.wait_for_selector(f"html[dir={direction}]")
            shown = set(page.eval_on_selector_all(
                "[data-card]", "cards => cards.map(c => c.dataset.card)"))
            assert shown == CARDS[name]
            for card in page.locator(".home-card").all():
                assert card.is_visible()
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} {locale} {width}px runs {overflow}px off screen"
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{SHOTS}/home-{name}-{locale[:2]}-{width}.png",
                                full_page=True)
