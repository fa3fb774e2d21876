"""Decision e-mails to organisations, sent after the transaction commits, by the task
backend (the console e-mail backend by default)."""

from __future__ import annotations

from django.db import transaction

from .tasks import send_decision_email


def notify_decision(application) -> None:
    application_id = application.pk
    transaction.on_commit(lambda: send_decision_email.enqueue(application_id))
