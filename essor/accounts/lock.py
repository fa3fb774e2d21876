"""The login lock, by django-axes (settings ``AXES_*``): failures are counted per user and
address in the shared cache, on every path that checks a password (essor's login page,
the Django admin's), and a locked pair is refused before its password is checked."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.shortcuts import render

from .forms import LoginForm


class LockBackend(AxesStandaloneBackend):
    """Axes's backend, marking the request it refused so that the audit log records a
    refused attempt as ``accounts.login_locked``, not as a wrong password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(request, username=username, password=password,
                                        **kwargs)
        except AxesBackendPermissionDenied:
            request.essor_login_locked = True
            raise


def username(request, credentials) -> str:
    """The name the lock counts under: case-folded, as essor's login accepts any case."""
    value = (credentials or {}).get("username") or request.POST.get("username") or ""
    return str(value).strip().casefold()[:150]


def lockout_response(request, original_response=None, credentials=None):
    """The answer to a locked login, on essor's page and the admin's alike: the login
    form with the lock's message (429), whatever the password."""
    form = LoginForm.locked(request, str((credentials or {}).get("username") or "")[:150])
    return render(request, "accounts/login.html", {"form": form, "next": ""}, status=429)


def unlock(name: str, address: str) -> bool:
    """Forget the failures of user ``name`` at ``address`` (the lock's key is the pair);
    True when there were some."""
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.reset_attempts(ip_address=address,
                                           username=str(name).strip().casefold()) > 0
