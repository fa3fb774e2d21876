from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Same answer for an unknown user and a wrong password. The lock after repeated
    failures is django-axes's (``essor.accounts.lock``): this form only words it."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed attempts. Try again in 15 minutes."),
    }

    @classmethod
    def locked(cls, request, username: str = "") -> "LoginForm":
        """The form as a locked login sees it: the name typed and the lock's message."""
        form = cls(request, initial={"username": username})
        form.cleaned_data = {}
        form.add_error(None, form.error_messages["locked"])
        return form
