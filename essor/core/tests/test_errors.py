"""The error pages (essor.core.errors): 400, 403, 404, 500 and a refused form, with
DEBUG=false, in the site's layout and the reader's language; the 500 page without the
database; the API's errors still JSON."""

import json
from html import unescape

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.utils import translation

from essor.registry.tests.factories import OrganisationFactory

LANGUAGES = ["fr", "ar", "en"]
FOOTER = "essor — support measures for the social and solidarity economy"


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "essor.core.tests.error_urls"


def in_language(language: str, msgid: str) -> str:
    """The text as the page reads (HTML entities decoded), in ``language``."""
    with translation.override(language):
        return translation.gettext(msgid)


def client_in(language: str, *, cookie: bool = False, **kwargs) -> Client:
    """A browser asking for ``language``: by its Accept-Language header, or by the
    language cookie (which the menu's buttons and the login set)."""
    if cookie:
        client = Client(raise_request_exception=False, **kwargs)
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        return client
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language, **kwargs)


def text_of(response) -> str:
    return unescape(response.content.decode())


def assert_page_in(response, language: str, *headings: str):
    html = text_of(response)
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert in_language(language, FOOTER) in html  # the layout, translated
    for heading in headings:
        assert in_language(language, heading) in html, heading
    assert "Traceback" not in html
    return html


# -- 404 ------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("cookie", [False, True], ids=["accept-language", "cookie"])
def test_an_unknown_address_answers_the_404_page(language, cookie):
    response = client_in(language, cookie=cookie).get("/no/such/page/")

    assert response.status_code == 404
    html = assert_page_in(response, language, "This page or record cannot be found",
                          "If the record is not public, log in to see it.")
    # Where to go: home, and the login page that comes back here.
    assert 'href="/"' in html
    assert 'href="/accounts/login/?next=/no/such/page/"' in html
    assert 'id="nav"' in html  # the whole layout: the menu
    assert "Not Found" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_another_regions_record_says_it_may_belong_to_another_region(
        language, oriental_officer, casablanca_settat):
    organisation = OrganisationFactory(region=casablanca_settat)
    client = client_in(language, cookie=True)
    client.force_login(oriental_officer)
    path = f"/registry/organisations/{organisation.pk}/"
    link_from_a_colleague = f"http://testserver/registry/organisations/?region={organisation.pk}"

    response = client.get(path, HTTP_REFERER=link_from_a_colleague)

    assert response.status_code == 404
    html = assert_page_in(response, language, "This page or record cannot be found")
    assert in_language(language, "Records of another region or of another organisation are "
                       "not shown to your account: they answer as not found. If a colleague "
                       "sent you this link, the record may belong to a region your account "
                       "does not cover. Ask them, or log in with an account that covers "
                       "it.") in html
    assert organisation.name not in html  # nothing of the record itself
    # Back, and another account: logging out leads to the login page, then back here.
    assert f'href="{link_from_a_colleague}"' in html
    assert 'id="error-switch-account"' in html
    assert f'name="next" value="/accounts/login/?next={path}"' in html


@pytest.mark.django_db
def test_logging_in_as_someone_else_from_a_404_comes_back_to_the_record(
        client, oriental_officer, casablanca_officer, casablanca_settat):
    organisation = OrganisationFactory(region=casablanca_settat)
    path = f"/registry/organisations/{organisation.pk}/"
    client.force_login(oriental_officer)

    logout = client.post("/accounts/logout/", {"next": f"/accounts/login/?next={path}"})
    assert logout.status_code == 302
    assert logout["Location"] == f"/accounts/login/?next={path}"
    login = client.post(logout["Location"], {"username": "karima_casablanca",
                                              "password": "correct horse battery",
                                              "next": path})
    assert login["Location"] == path
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_a_referer_from_another_site_is_not_offered_as_back(client):
    response = client.get("/no/such/page/", HTTP_REFERER="https://evil.example/phish")

    assert response.status_code == 404
    assert "evil.example" not in response.content.decode()
    assert 'id="error-back"' not in response.content.decode()


# -- 403 ------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_the_role_may_not_open_answers_the_403_page(language, trainer):
    client = client_in(language)
    client.force_login(trainer)

    response = client.get("/audit/")

    assert response.status_code == 403
    html = assert_page_in(response, language, "You cannot open this page",
                          "Your role does not give access to this page.")
    assert 'id="error-switch-account"' in html and 'id="nav"' in html
    assert "403 Forbidden" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_403_page_gives_the_permissions_own_message(language, analyst):
    client = client_in(language, cookie=True)
    client.force_login(analyst)

    response = client.get("/registry/people/")

    assert response.status_code == 403
    assert_page_in(response, language, "You cannot open this page",
                   "Your role does not give access to people.")


@pytest.mark.django_db
def test_a_bare_permission_denied_also_gets_the_page(client, coach):
    client.force_login(coach)

    response = client.get("/test-errors/403/")

    assert response.status_code == 403
    assert_page_in(response, "fr", "You cannot open this page")


# -- 400 ------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_malformed_request_answers_the_400_page(language):
    response = client_in(language).get("/test-errors/400/")

    assert response.status_code == 400
    html = assert_page_in(response, language, "The request could not be read")
    assert "a malformed request" not in html
    assert 'id="nav"' not in html  # drawn without the menu


def test_a_request_for_an_unknown_host_answers_the_400_page():
    # DisallowedHost: the page is drawn without reading the host (nor the database).
    response = client_in("ar").get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert_page_in(response, "ar", "The request could not be read")


# -- 500 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_a_server_error_answers_the_500_page_without_the_database(language):
    # No django_db mark: any query would raise. The page reads no session and no user.
    response = client_in(language).get("/test-errors/500/")

    assert response.status_code == 500
    html = assert_page_in(response, language, "Something went wrong on our side")
    assert "sk_live_0123456789" not in html and "RuntimeError" not in html
    assert 'id="nav"' not in html and "csrfmiddlewaretoken" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_500_page_is_drawn_when_the_database_is_unreachable(language, national_admin,
                                                                monkeypatch):
    client = client_in(language, cookie=True)
    client.force_login(national_admin)  # a session to read: the first thing that fails

    def unreachable(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", unreachable)
    response = client.get("/registry/organisations/")
    monkeypatch.undo()

    assert response.status_code == 500
    html = assert_page_in(response, language, "Something went wrong on our side",
                          "What you were doing may not have been saved. Try again in a few "
                          "minutes; if the error comes back, tell the programme's team "
                          "which page it was and at what time.")
    assert "Connection refused" not in html and "OperationalError" not in html


def test_the_500_page_speaks_the_readers_language_whatever_the_view_had_switched_to():
    response = client_in("fr", cookie=True).get("/test-errors/500-ar/")

    assert response.status_code == 500
    assert_page_in(response, "fr", "Something went wrong on our side")


# -- a form refused by the CSRF check -------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_expired_form_answers_the_csrf_page(language):
    client = client_in(language, enforce_csrf_checks=True)
    assert client.get("/accounts/login/").status_code == 200  # the form, and its cookie
    client.cookies[django_settings.CSRF_COOKIE_NAME] = "x" * 32  # a new session's token

    response = client.post("/accounts/login/", {
        "username": "secret_user_name", "password": "hunter2-secret",
        "csrfmiddlewaretoken": "y" * 32}, HTTP_REFERER="http://testserver/accounts/login/")

    assert response.status_code == 403
    html = assert_page_in(response, language, "This form has expired",
                          "Reload the page, fill in the form again and send it.")
    assert 'href="http://testserver/accounts/login/"' in html  # reload the form
    # Nothing secret: no token, none of the posted data, no reason code.
    assert "csrfmiddlewaretoken" not in html and "x" * 32 not in html
    assert "secret_user_name" not in html and "hunter2-secret" not in html
    assert "CSRF" not in html and "token" not in html.lower()
    assert in_language(language, "Your browser may be refusing cookies: essor needs them to "
                       "send forms. Allow cookies for this site, then try again.") not in html


@pytest.mark.django_db
def test_a_form_sent_without_cookies_says_cookies_are_needed():
    client = client_in("ar", enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "someone"})

    assert response.status_code == 403
    html = assert_page_in(response, "ar", "This form has expired")
    assert in_language("ar", "Your browser may be refusing cookies: essor needs them to "
                       "send forms. Allow cookies for this site, then try again.") in html
    assert 'href="/accounts/login/"' in html  # no referer: the form's own address


# -- the API stays JSON ---------------------------------------------------------------------

@pytest.mark.django_db
def test_an_unknown_api_address_answers_json(national_admin):
    client = client_in("fr")
    client.force_login(national_admin)

    response = client.get("/api/no-such-endpoint/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(json.loads(response.content)) == {"detail"}


@pytest.mark.django_db
def test_the_apis_own_errors_stay_drf_json(national_admin, oriental_officer,
                                           casablanca_settat):
    organisation = OrganisationFactory(region=casablanca_settat)
    anonymous = client_in("fr")
    officer = client_in("fr")
    officer.force_login(oriental_officer)

    assert anonymous.get("/api/organisations/").status_code == 401
    assert "detail" in anonymous.get("/api/organisations/").json()
    out_of_scope = officer.get(f"/api/organisations/{organisation.pk}/")
    assert out_of_scope.status_code == 404
    assert "detail" in out_of_scope.json()


def test_a_server_error_in_the_api_answers_json():
    response = client_in("ar").get("/api/test-errors/500/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "RuntimeError" not in response.content.decode()
