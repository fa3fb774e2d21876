from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from essor.audit import services as audit


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.record("accounts.login", user, by=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit.record("accounts.login_failed", None, label=str(credentials.get("username", ""))[:150])
