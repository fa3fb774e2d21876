"""Session timeouts: a session ends after ``SESSION_IDLE_TIMEOUT`` seconds without a
request, and at the latest ``SESSION_COOKIE_AGE`` seconds after the login, however
active it was (Django alone only knows the second, counted from the last save)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout

STARTED = "essor_session_started"
SEEN = "essor_session_seen"
# The time of the last request is saved at most once a minute, not on every request.
SEEN_RESOLUTION = 60


def session_started(request) -> None:
    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now


def session_expired(request) -> bool:
    """True when the session of this request must end: idle too long, or too old."""
    now = int(time.time())
    started = request.session.get(STARTED)
    seen = request.session.get(SEEN, started)
    if started is None:  # a session from before the timeouts: start counting now
        session_started(request)
        return False
    if now - seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_COOKIE_AGE:
        return True
    if now - seen >= SEEN_RESOLUTION:
        request.session[SEEN] = now
    return False


class SessionIdleTimeoutMiddleware:
    """Logs out a session that expired (see ``session_expired``); the request goes on as
    anonymous, so a page behind the login redirects to it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get("_auth_user_id") and session_expired(request):
            logout(request)
        return self.get_response(request)
