from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from essor.audit import services as audit
from essor.core.http import client_ip

from .sessions import session_started


def _address(request) -> dict:
    return {"address": client_ip(request)} if request is not None else {}


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_started(request)
    audit.record("accounts.login", user, by=user, changes=_address(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # A login the lock refused before checking its password (essor.accounts.lock).
    locked = getattr(request, "essor_login_locked", False)
    audit.record("accounts.login_locked" if locked else "accounts.login_failed", None,
                 label=str(credentials.get("username", ""))[:150], changes=_address(request))
