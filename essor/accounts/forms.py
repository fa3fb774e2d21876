from functools import partial
from typing import cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import services
from .models import User
from .tasks import send_password_reset_email


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


class ResetForm(PasswordResetForm):
    """Django's reset form, whose e-mails leave in the background (``tasks``), in each
    user's language, and whose requests are audited. The page that follows is the same
    whether the address belongs to an account or not."""

    def save(self, domain_override=None, subject_template_name="", email_template_name="",
             use_https=False, token_generator=None, from_email=None, request=None,
             html_email_template_name=None, extra_email_context=None) -> None:
        """Called by PasswordResetView with its options; the templates and the token are
        the task's (``tasks.send_password_reset_email``)."""
        if request is None:
            raise ValueError("the reset form is saved by its view, with the request")
        users = list(self.get_users(self.cleaned_data["email"]))
        domain = domain_override or request.get_host()
        current = translation.get_language()
        for user in users:
            transaction.on_commit(partial(send_password_reset_email.enqueue, user.pk,
                                          domain, use_https, user.language or current))
        services.password_reset_requested(users=users, request=request)


class LanguageForm(forms.Form):
    """The language of the pages, each named in itself (as the menu's buttons name it)."""

    language = forms.ChoiceField(label=_("Language of the pages"), widget=forms.RadioSelect,
                                 choices=())

    def __init__(self, data=None, *, user: User):
        super().__init__(data, initial={"language": user.language or
                                        translation.get_language()})
        field = cast(forms.ChoiceField, self.fields["language"])
        field.choices = [
            (code, translation.get_language_info(code)["name_local"].capitalize())
            for code, _name in settings.LANGUAGES]
