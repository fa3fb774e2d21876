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
    recipients = [application.organisation.email] if application.organisation.email else []
    recipients += list(application.organisation.accounts.exclude(email="")
                       .values_list("email", flat=True))
    if not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {"application": application, "event": application.event}
        subject = render_to_string("emails/decision-subject.html", context).strip()
        body = render_to_string("emails/decision-body.html", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, sorted(set(recipients)))
    return True
