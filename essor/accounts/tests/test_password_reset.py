"""Password reset by e-mail: the same answer whether the address has an account or not,
requests counted per client address and per address typed, the e-mail in the user's
language, audited; a reset lifts the login lock of the address that completed it only."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from essor.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
NEW = "a brand new long secret"
LIMITS = settings.PASSWORD_RESET_LIMITS
LINK = re.compile(r"http://testserver(/accounts/password-reset/[\w-]+/[\w-]+/)")


@pytest.fixture
def with_email(coach):
    coach.email = "salma@essor.example"
    coach.save()
    return coach


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Runs what waits for the commit (the e-mail's task) as a real request would."""
    def run(callable_, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(*args, **kwargs)
    return run


def ask(client, commits, email, address="127.0.0.1"):
    return commits(client.post, "/accounts/password-reset/", {"email": email},
                   REMOTE_ADDR=address)


def login(client, username, password, address="127.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_the_login_page_links_to_the_reset(client):
    html = client.get("/accounts/login/").content.decode()

    assert 'href="/accounts/password-reset/"' in html


def test_a_known_address_gets_a_link_that_sets_a_new_password(client, commits, with_email):
    response = ask(client, commits, "SALMA@essor.example")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["salma@essor.example"]
    assert "salma_coach" in message.body
    path = LINK.search(message.body).group(1)

    form = client.get(path, follow=True)
    assert form.context["validlink"]
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW,
                                                    "new_password2": NEW})
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password-reset/done/"
    with_email.refresh_from_db()
    assert with_email.check_password(NEW)
    assert AuditEntry.objects.filter(action="accounts.password_reset",
                                     object_id=str(with_email.pk)).exists()
    # The link works once.
    again = client.get(path, follow=True)
    assert not again.context["validlink"]


def test_known_and_unknown_addresses_get_the_same_answer(client, commits, with_email):
    known = ask(client, commits, "salma@essor.example")
    unknown = ask(client, commits, "nobody@essor.example")

    assert (known.status_code, known["Location"]) == (unknown.status_code,
                                                      unknown["Location"])
    assert len(mail.outbox) == 1
    page = client.get(known["Location"])
    assert page.status_code == 200
    assert "nobody@essor.example" not in page.content.decode()
    entries = AuditEntry.objects.filter(action="accounts.password_reset_requested")
    assert sorted(entry.object_id for entry in entries) == ["", str(with_email.pk)]


def test_an_inactive_account_gets_no_email(client, commits, with_email):
    with_email.is_active = False
    with_email.save()

    response = ask(client, commits, "salma@essor.example")

    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_the_email_is_in_the_language_the_user_chose(client, commits, with_email):
    with_email.language = "ar"
    with_email.save()

    ask(client, commits, "salma@essor.example")

    with translation.override("ar"):
        subject = translation.gettext("Choose a new essor password")
        closing = translation.gettext("The ESS support programme")
    assert mail.outbox[0].subject == subject
    assert closing in mail.outbox[0].body


def test_the_email_of_a_user_with_no_choice_is_in_the_pages_language(client, commits,
                                                                     with_email):
    commits(client.post, "/accounts/password-reset/", {"email": "salma@essor.example"},
            HTTP_ACCEPT_LANGUAGE="en")

    assert mail.outbox[0].subject == "Choose a new essor password"


@pytest.mark.parametrize("email", ["salma@essor.example", "nobody@essor.example"])
def test_requests_for_one_address_are_limited_whether_it_has_an_account_or_not(
        client, commits, with_email, email):
    for number in range(LIMITS["per_email"]):
        ask(client, commits, email, address=f"10.0.0.{number}")

    refused = ask(client, commits, email.upper(), address="10.0.1.1")

    assert refused.status_code == 429
    assert "Trop de demandes de réinitialisation" in refused.content.decode()  # French site
    assert len(mail.outbox) == (LIMITS["per_email"] if email.startswith("salma") else 0)
    assert AuditEntry.objects.filter(action="accounts.password_reset_throttled").count() == 1


def test_requests_from_one_client_are_limited(client, commits, with_email):
    for number in range(LIMITS["per_client"]):
        assert ask(client, commits, f"someone{number}@essor.example").status_code == 302

    assert ask(client, commits, "salma@essor.example").status_code == 429
    assert mail.outbox == []
    # Another client still asks.
    assert ask(client, commits, "salma@essor.example", address="10.9.9.9").status_code == 302
    assert len(mail.outbox) == 1


def reset_from(client, commits, address):
    ask(client, commits, "salma@essor.example", address=address)
    path = LINK.search(mail.outbox[-1].body).group(1)
    form = client.get(path, follow=True, REMOTE_ADDR=address)
    return client.post(form.redirect_chain[-1][0], {"new_password1": NEW,
                                                    "new_password2": NEW},
                       REMOTE_ADDR=address)


def test_a_reset_lifts_the_lock_of_the_address_that_completed_it_only(client, commits,
                                                                      with_email):
    owner, guesser = "192.0.2.10", "198.51.100.66"
    for address in (owner, guesser):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            login(client, "salma_coach", "wrong guess", address)
        assert login(client, "salma_coach", PASSWORD, address).status_code == 429

    assert reset_from(client, commits, owner).status_code == 302

    assert login(client, "salma_coach", NEW, owner).status_code == 302
    client.logout()
    assert login(client, "salma_coach", NEW, guesser).status_code == 429  # still locked
    entry = AuditEntry.objects.get(action="accounts.password_reset")
    assert entry.changes == {"address": owner, "lock_lifted": True}


def test_a_reset_without_a_lock_says_so_in_the_audit(client, commits, with_email):
    reset_from(client, commits, "192.0.2.10")

    entry = AuditEntry.objects.get(action="accounts.password_reset")
    assert entry.changes["lock_lifted"] is False


def test_a_wrong_link_shows_its_page(client):
    response = client.get("/accounts/password-reset/MQ/abc-def/")

    assert response.status_code == 200
    assert not response.context["validlink"]
    assert 'href="/accounts/password-reset/"' in response.content.decode()
