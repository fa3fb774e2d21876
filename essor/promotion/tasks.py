from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_decision_email(application_id: int) -> bool:
    """Tell an organisation the decision on its application (passes ids, not objects)."""
    from .models import Application

    application = (Application.objects.select_related("event", "organisation")
                   .filter(pk=application_id).first())
    if application is None:
        return False
    # Each account reads it in the language it chose (its profile); the organisation's
    # own address, and accounts that chose none, in the site's language.
    by_language: dict[str, set[str]] = {}
    if application.organisation.email:
        by_language.setdefault(settings.LANGUAGE_CODE, set()).add(application.organisation.email)
    for email, language in (application.organisation.accounts.exclude(email="")
                            .values_list("email", "language")):
        by_language.setdefault(language or settings.LANGUAGE_CODE, set()).add(email)
    if not by_language:
        return False
    for language, recipients in sorted(by_language.items()):
        with translation.override(language):
            context = {"application": application, "event": application.event}
            subject = render_to_string("emails/decision-subject.html", context).strip()
            body = render_to_string("emails/decision-body.html", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, sorted(recipients))
    return True
