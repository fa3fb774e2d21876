"""Logging in: one answer for every wrong pair, and a lock after repeated failures of one
user from one address (django-axes; the admin's login and the shared cache in
test_lock.py)."""

import time

import pytest
from django.conf import settings

from essor.audit.models import AuditEntry

MAX_FAILURES = settings.AXES_FAILURE_LIMIT
LOCK_SECONDS = settings.AXES_COOLOFF_TIME.total_seconds()

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def fast_hashing(settings):
    """Argon2 costs ~0.2 s a check; the lock tests check many passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client, username, password, address="127.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


def errors(response):
    """The form errors of the page sent: a locked login's page is rendered over the
    login view's own, so the last form rendered is the one shown."""
    contexts = response.context if isinstance(response.context, list) else [response.context]
    form = [context["form"] for context in contexts if "form" in context][-1]
    return [str(e) for e in form.non_field_errors()]


def logged_in_as(client, user):
    return client.session.get("_auth_user_id") == str(user.pk)


def test_login_with_the_right_password(client, oriental_officer):
    response = login(client, "omar_oriental", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_as(client, oriental_officer)


def test_login_follows_next(client, oriental_officer):
    response = client.post("/accounts/login/?next=/registry/people/",
                           {"username": "omar_oriental", "password": PASSWORD,
                            "next": "/registry/people/"})

    assert response["Location"] == "/registry/people/"


def test_login_does_not_redirect_to_another_site(client, oriental_officer):
    response = client.post("/accounts/login/", {"username": "omar_oriental",
                                                "password": PASSWORD,
                                                "next": "https://evil.example/"})

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(client, oriental_officer):
    unknown = login(client, "nobody_at_all", PASSWORD)
    wrong = login(client, "omar_oriental", "not the password")

    assert unknown.status_code == wrong.status_code == 200
    assert errors(unknown) == errors(wrong)
    assert len(errors(wrong)) == 1
    assert not logged_in_as(client, oriental_officer)


@pytest.mark.usefixtures("fast_hashing")
def test_an_inactive_user_gets_the_same_answer_as_a_wrong_password(client, oriental_officer):
    wrong = login(client, "omar_oriental", "not the password", address="10.0.0.1")
    oriental_officer.is_active = False
    oriental_officer.save()

    inactive = login(client, "omar_oriental", PASSWORD, address="10.0.0.2")

    assert errors(inactive) == errors(wrong)
    assert not logged_in_as(client, oriental_officer)


@pytest.mark.usefixtures("fast_hashing")
def test_four_failures_do_not_lock(client, oriental_officer):
    for _ in range(MAX_FAILURES - 1):
        login(client, "omar_oriental", "not the password")

    assert login(client, "omar_oriental", PASSWORD).status_code == 302
    assert logged_in_as(client, oriental_officer)


@pytest.mark.usefixtures("fast_hashing")
def test_after_five_failures_the_account_is_locked_even_with_the_right_password(
        client, oriental_officer):
    assert MAX_FAILURES == 5
    for _ in range(5):
        login(client, "omar_oriental", "not the password")

    response = login(client, "omar_oriental", PASSWORD)

    assert response.status_code == 429
    assert not logged_in_as(client, oriental_officer)
    assert len(errors(response)) == 1
    assert "15" in errors(response)[0]  # "Too many failed attempts. Try again in 15 minutes."
    assert errors(response) != errors(login(client, "someone_else", "x", address="10.9.9.9"))


@pytest.mark.usefixtures("fast_hashing")
def test_the_lock_holds_the_user_and_address_pair(client, oriental_officer):
    for _ in range(5):
        login(client, "omar_oriental", "not the password", address="203.0.113.7")

    locked = login(client, "omar_oriental", PASSWORD, address="203.0.113.7")
    elsewhere = login(client, "omar_oriental", PASSWORD, address="192.0.2.50")

    assert locked.status_code == 429
    assert elsewhere.status_code == 302 and logged_in_as(client, oriental_officer)


@pytest.mark.usefixtures("fast_hashing")
def test_failures_spread_over_addresses_do_not_add_up(client, oriental_officer):
    for i in range(5):
        login(client, "omar_oriental", "not the password", address=f"10.0.0.{i}")

    login(client, "omar_oriental", PASSWORD, address="10.0.0.1")

    assert logged_in_as(client, oriental_officer)


@pytest.mark.usefixtures("fast_hashing")
def test_the_lock_ignores_the_case_of_the_username(client, oriental_officer):
    for name in ("OMAR_Oriental", "Omar_Oriental", "omar_ORIENTAL", "OMAR_ORIENTAL",
                 "omar_oriental"):
        login(client, name, "not the password", address="10.0.0.1")

    login(client, "omar_oriental", PASSWORD, address="10.0.0.1")

    assert not logged_in_as(client, oriental_officer)


@pytest.mark.usefixtures("fast_hashing")
def test_another_user_at_a_locked_address_still_logs_in(client, oriental_officer,
                                                        casablanca_officer):
    # An office behind one address: one person's typos do not lock their colleagues out.
    for _ in range(5):
        login(client, "omar_oriental", "not the password", address="203.0.113.7")

    response = login(client, "karima_casablanca", PASSWORD, address="203.0.113.7")

    assert response.status_code == 302
    assert logged_in_as(client, casablanca_officer)


@pytest.mark.usefixtures("fast_hashing")
def test_other_users_from_other_addresses_are_not_locked(client, oriental_officer,
                                                         casablanca_officer):
    for _ in range(5):
        login(client, "omar_oriental", "not the password", address="203.0.113.7")

    login(client, "karima_casablanca", PASSWORD, address="198.51.100.1")

    assert logged_in_as(client, casablanca_officer)


@pytest.mark.usefixtures("fast_hashing")
def test_an_unknown_user_is_locked_the_same_way(client, oriental_officer):
    # No enumeration: locking does not depend on whether the account exists.
    for _ in range(5):
        login(client, "nobody_at_all", "x", address="10.0.1.1")
        login(client, "omar_oriental", "x", address="10.0.1.1")

    unknown = login(client, "nobody_at_all", "x", address="10.0.1.1")
    known = login(client, "omar_oriental", "x", address="10.0.1.1")

    assert unknown.status_code == known.status_code == 429
    assert errors(unknown) == errors(known)


@pytest.mark.usefixtures("fast_hashing")
def test_the_lock_ends_after_fifteen_minutes(client, oriental_officer, monkeypatch):
    for _ in range(5):
        login(client, "omar_oriental", "not the password")
    assert not logged_in_as(client, oriental_officer)
    later = time.time() + LOCK_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)

    login(client, "omar_oriental", PASSWORD)

    assert logged_in_as(client, oriental_officer)


@pytest.mark.usefixtures("fast_hashing")
def test_failed_and_locked_logins_are_audited_with_the_address(client, oriental_officer):
    for _ in range(5):
        login(client, "omar_oriental", "not the password", address="203.0.113.7")
    before = AuditEntry.objects.count()

    login(client, "omar_oriental", PASSWORD, address="203.0.113.7")

    assert AuditEntry.objects.count() == before + 1
    failed = AuditEntry.objects.filter(action="accounts.login_failed")
    assert failed.count() == 5
    locked = AuditEntry.objects.get(action="accounts.login_locked")
    assert locked.actor_name == "omar_oriental"
    assert locked.changes == {"address": "203.0.113.7"}
    assert {e.changes["address"] for e in failed} == {"203.0.113.7"}


@pytest.mark.real_password_hashing
def test_passwords_are_stored_with_argon2(db):
    from essor.accounts.models import User

    user = User.objects.create_user(username="latifa_hajji", password="a long passphrase 2026")
    assert user.password.startswith("argon2")
