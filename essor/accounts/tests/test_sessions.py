"""Sessions end after 30 minutes without a request, and 8 hours after the login however
active they were."""

import time

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def clock(monkeypatch):
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])

    def advance(seconds):
        now[0] += seconds

    return advance


def signed_in(client, user):
    response = client.post("/accounts/login/", {"username": user.username,
                                                "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_timeouts_are_thirty_minutes_idle_and_eight_hours_in_all():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_a_session_idle_for_more_than_the_timeout_ends(client, oriental_officer, clock):
    signed_in(client, oriental_officer)
    clock(settings.SESSION_IDLE_TIMEOUT - 60)
    assert client.get("/registry/people/").status_code == 200

    clock(settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get("/registry/people/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_requests_keep_a_session_alive(client, oriental_officer, clock):
    signed_in(client, oriental_officer)
    for _ in range(6):  # an hour and a half of work, a request every quarter of an hour
        clock(15 * 60)
        assert client.get("/registry/people/").status_code == 200


def test_an_active_session_still_ends_after_the_absolute_timeout(client, oriental_officer,
                                                                 clock, settings):
    settings.SESSION_COOKIE_AGE = 3600
    signed_in(client, oriental_officer)
    for _ in range(3):
        clock(20 * 60)
        assert client.get("/registry/people/").status_code == 200

    clock(20 * 60 + 1)

    assert client.get("/registry/people/").status_code == 302


def test_an_api_token_is_not_a_session(client, oriental_officer, clock):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=oriental_officer)
    clock(settings.SESSION_COOKIE_AGE * 2)

    response = client.get("/api/people/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
