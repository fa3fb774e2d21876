"""The profile page: the account as it is, the language chosen and remembered (applied at
login, saved by the menu's buttons), the password changed; the menu's entries."""

import pytest
from django.conf import settings

from essor.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
COOKIE = settings.LANGUAGE_COOKIE_NAME


def test_the_profile_is_for_logged_in_users(client):
    response = client.get("/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_profile_shows_the_account(client, oriental_officer):
    oriental_officer.email = "omar@essor.example"
    oriental_officer.save()
    client.force_login(oriental_officer)

    html = client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "omar_oriental" in html and "omar@essor.example" in html
    assert "Regional officer" in html
    assert "Oriental" in html


def test_the_profile_of_an_organisation_account_names_its_organisation(
        client, organisation_account):
    client.force_login(organisation_account)

    html = client.get("/accounts/profile/").content.decode()

    assert "Coopérative Nour Settat" in html


def test_choosing_a_language_saves_it_sets_it_and_is_audited(client, coach):
    client.force_login(coach)

    response = client.post("/accounts/profile/", {"language": "ar"})

    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    assert response.cookies[COOKIE].value == "ar"
    coach.refresh_from_db()
    assert coach.language == "ar"
    entry = AuditEntry.objects.get(action="accounts.language_changed")
    assert entry.changes == {"language": ["", "ar"]} and entry.actor == coach
    page = client.get("/accounts/profile/")
    assert '<html lang="ar" dir="rtl">' in page.content.decode()


def test_an_unknown_language_is_refused(client, coach):
    client.force_login(coach)

    response = client.post("/accounts/profile/", {"language": "xx"})

    assert response.status_code == 200
    assert response.context["form"].errors
    coach.refresh_from_db()
    assert coach.language == ""


def test_the_language_chosen_is_applied_at_login(client, analyst):
    analyst.language = "ar"
    analyst.save()
    client.cookies[COOKIE] = "fr"

    response = client.post("/accounts/login/", {"username": "hicham_analyst",
                                                 "password": PASSWORD})

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "ar"
    home = client.get("/")
    assert '<html lang="ar" dir="rtl">' in home.content.decode()


def test_a_login_with_no_language_chosen_keeps_the_browsers(client, analyst):
    response = client.post("/accounts/login/", {"username": "hicham_analyst",
                                                 "password": PASSWORD})

    assert response.status_code == 302
    assert COOKIE not in response.cookies


def test_the_menus_buttons_save_the_choice_of_a_logged_in_user(client, trainer):
    client.force_login(trainer)
    home = client.get("/").content.decode()
    assert 'action="/accounts/language/"' in home

    response = client.post("/accounts/language/", {"language": "en",
                                                   "next": "/registry/people/"})

    assert response.status_code == 302 and response["Location"] == "/registry/people/"
    assert response.cookies[COOKIE].value == "en"
    trainer.refresh_from_db()
    assert trainer.language == "en"


def test_the_menus_buttons_of_an_anonymous_visitor_stay_djangos(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in page

    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/accounts/login/"})

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "ar"
    assert '<html lang="ar"' in client.get("/accounts/login/").content.decode()


def test_an_anonymous_post_to_the_accounts_language_view_saves_nothing(client):
    response = client.post("/accounts/language/", {"language": "ar", "next": "/"})

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "ar"
    assert not AuditEntry.objects.filter(action="accounts.language_changed").exists()


def test_a_wrong_language_from_the_buttons_changes_nothing(client, trainer):
    client.force_login(trainer)

    client.post("/accounts/language/", {"language": "de", "next": "/"})

    trainer.refresh_from_db()
    assert trainer.language == ""


def test_changing_the_password_keeps_the_session_and_is_audited(client, coach):
    client.force_login(coach)

    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "a much longer new secret",
        "new_password2": "a much longer new secret"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    assert client.get("/accounts/profile/").status_code == 200  # still logged in
    coach.refresh_from_db()
    assert coach.check_password("a much longer new secret")
    assert AuditEntry.objects.filter(action="accounts.password_changed", actor=coach).exists()


def test_a_wrong_old_password_changes_nothing(client, coach):
    client.force_login(coach)

    response = client.post("/accounts/password/", {
        "old_password": "not it", "new_password1": "a much longer new secret",
        "new_password2": "a much longer new secret"})

    assert response.status_code == 200
    coach.refresh_from_db()
    assert coach.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="accounts.password_changed").exists()


# -- the menu ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("persona_name", "figures"), [
    ("national_admin", "/observatory/dashboard/"), ("oriental_officer", "/observatory/dashboard/"),
    ("analyst", "/observatory/dashboard/"), ("coach", "/training/figures/"),
    ("trainer", None), ("partner", None), ("organisation_account", None)])
def test_the_figures_are_in_the_menu_of_who_may_read_them(
        client, persona, persona_name, figures):
    """The dashboard for who reads it (it links the training figures), the training
    figures for the others who read them."""
    from essor.accounts.permissions import can

    user = persona(persona_name)
    client.force_login(user)

    urls = [item["url"] for item in client.get("/accounts/profile/").context["nav"]]

    assert ("/observatory/dashboard/" in urls) is (figures == "/observatory/dashboard/")
    assert ("/training/figures/" in urls) is (figures == "/training/figures/")
    assert (figures is not None) is can(user, "training.read_figures")
    if figures == "/observatory/dashboard/":
        page = client.get(figures).content.decode()
        assert "/training/figures/" in page


def test_the_figures_entry_is_the_active_one_on_the_figures_page(client, analyst, coach):
    client.force_login(coach)
    nav = client.get("/training/figures/").context["nav"]
    assert [item["url"] for item in nav if item["active"]] == ["/training/figures/"]
    # for who reads the dashboard, the training figures are under it
    client.force_login(analyst)
    nav = client.get("/training/figures/").context["nav"]
    assert [item["url"] for item in nav if item["active"]] == ["/observatory/dashboard/"]


def test_the_account_menu_holds_the_profile_the_password_and_logout(client, coach):
    client.force_login(coach)

    html = client.get("/accounts/profile/").content.decode()

    menu = html[html.index('id="account-menu"'):]
    assert 'href="/accounts/profile/"' in menu
    assert 'href="/accounts/password/"' in menu
    assert 'action="/accounts/logout/"' in menu
