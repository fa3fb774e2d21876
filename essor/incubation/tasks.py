"""Background tasks of the calls for projects: the e-mail that confirms an application
(passes ids, not objects), sent by the task backend after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task


@task()
def send_application_confirmation(application_id: int, origin: str = "") -> bool:
    """Send the applicant the link that confirms their e-mail, in the language of the
    form they filled in; ``origin`` is the site's address (``https://host``)."""
    from . import calls
    from .models import Application

    application = (Application.objects.select_related("call", "call__incubator")
                   .filter(pk=application_id).first())
    if application is None or application.email_confirmed_at is not None:
        return False
    path = reverse("incubation:public_confirm",
                   kwargs={"token": calls.confirmation_token(application)})
    language = application.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"application": application, "call": application.call,
                   "incubator": application.call.incubator,
                   "link": f"{origin.rstrip('/')}{path}", "days": calls.CONFIRM_DAYS}
        subject = render_to_string("emails/application-confirm-subject.html", context).strip()
        body = render_to_string("emails/application-confirm-body.html", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [application.email])
    return True
