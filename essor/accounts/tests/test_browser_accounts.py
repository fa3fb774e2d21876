"""In a real browser: the admin's menu on one line at 1,280 px in French and in Arabic,
collapsed on a phone; the language chosen on the profile comes back at the next login."""

import os

import pytest

from essor.browser import browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
SHOTS = os.environ.get("ESSOR_SHOTS", "")  # a folder: the pages are saved there as PNG


def shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def log_in(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form:not(#language-switch) button[type=submit]")
    page.wait_for_url(f"{url}/")


@pytest.mark.parametrize("locale", ["fr-FR", "ar"])
def test_the_admins_menu_holds_on_one_line_at_1280_px(live_server, national_admin, locale):
    language = locale[:2]
    # A long name is cut short in the menu (the account's menu names it in full).
    national_admin.first_name = "Fatima-Zahra Noor El Houda"
    national_admin.last_name = "El Idrissi Benkirane"
    national_admin.save()
    with browser_page(width=1280, locale=locale) as page:
        log_in(page, live_server.url, "nadia_national")
        page.wait_for_selector(f"html[lang={language}]")
        shot(page, f"menu-admin-{language}-1280")
        entries = page.locator("#nav .nav-link")
        assert entries.count() == 8  # the role with the most entries
        assert page.locator("#nav a[href='/observatory/dashboard/']").count() == 1
        boxes = [entries.nth(i).bounding_box() for i in range(entries.count())]
        boxes.append(page.locator("#language-switch").bounding_box())
        boxes.append(page.locator("#account-menu").bounding_box())
        middles = [box["y"] + box["height"] / 2 for box in boxes]
        assert max(middles) - min(middles) < 4, middles  # one line
        assert page.locator("#navbar").bounding_box()["height"] < 64
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        page.click("#account-menu > button")
        page.wait_for_selector("#account-menu .dropdown-menu.show")
        shot(page, f"menu-admin-{language}-1280-account")


@pytest.mark.parametrize("locale", ["fr-FR", "ar"])
def test_the_menu_is_collapsed_on_a_phone(live_server, national_admin, locale):
    language = locale[:2]
    with browser_page(width=360, height=780, locale=locale) as page:
        log_in(page, live_server.url, "nadia_national")
        assert not page.locator("#nav").is_visible()
        page.click(".navbar-toggler")
        page.wait_for_selector("#nav.show")
        page.wait_for_timeout(400)  # the opening animation
        assert page.locator("#nav a[href='/observatory/dashboard/']").is_visible()
        assert page.locator("#account-menu > button").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, f"menu-admin-{language}-360")


def test_the_language_chosen_on_the_profile_comes_back_at_the_next_login(live_server,
                                                                       analyst):
    url = live_server.url
    with browser_page(width=1280, locale="fr-FR") as page:
        log_in(page, url, "hicham_analyst")
        page.goto(f"{url}/accounts/profile/")
        shot(page, "profile-fr-1280")
        page.check("#language-form input[value=ar]")
        page.click("#language-form button[type=submit]")
        page.wait_for_selector("html[lang=ar][dir=rtl]")
        shot(page, "profile-ar-1280")
        page.click("#account-menu > button")
        page.click("#logout button")
        page.wait_for_url(f"{url}/accounts/login/")
        # A French browser, another day: the choice is the account's.
        page.context.clear_cookies()
        page.goto(f"{url}/accounts/login/")
        assert page.locator("html").get_attribute("lang") == "fr"
        log_in(page, url, "hicham_analyst")
        assert page.locator("html").get_attribute("lang") == "ar"


@pytest.mark.parametrize("locale", ["fr-FR", "ar"])
def test_account_pages_on_a_phone(live_server, coach, locale):
    language = locale[:2]
    url = live_server.url
    with browser_page(width=360, height=780, locale=locale) as page:
        page.goto(f"{url}/accounts/login/")
        shot(page, f"login-{language}-360")
        page.click("#forgotten-password")
        page.wait_for_url(f"{url}/accounts/password-reset/")
        shot(page, f"password-reset-{language}-360")
        page.fill("#id_email", "nobody@essor.example")
        page.click("#password-reset button[type=submit]")
        page.wait_for_url(f"{url}/accounts/password-reset/sent/")
        assert page.locator("#reset-sent").is_visible()
        shot(page, f"password-reset-sent-{language}-360")
        log_in(page, url, "salma_coach")
        page.goto(f"{url}/accounts/profile/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, f"profile-{language}-360")
