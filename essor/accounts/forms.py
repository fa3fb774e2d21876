from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from essor.audit import services as audit

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def _keys(request, username: str) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "") if request else ""
    return [f"login-fail:user:{username.lower()}", f"login-fail:addr:{address}"]


class LoginForm(AuthenticationForm):
    """Same answer for an unknown user and a wrong password; a lock after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed attempts. Try again in 15 minutes."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        keys = _keys(self.request, username)
        if any((cache.get(k) or 0) >= MAX_FAILURES for k in keys):
            audit.record("accounts.login_locked", None, label=username[:150])
            raise ValidationError(self.error_messages["locked"], code="locked")
        try:
            return super().clean()
        except ValidationError:
            for k in keys:
                cache.set(k, (cache.get(k) or 0) + 1, LOCK_SECONDS)
            raise
