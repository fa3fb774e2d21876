from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task


@task()
def send_password_reset_email(user_id: int, domain: str, use_https: bool,
                              language: str) -> bool:
    """The reset link, in the user's language (passes ids, not objects). Sent in the
    background, so that the page answers as fast for an unknown address."""
    from .models import User

    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None or not user.has_usable_password():
        return False
    context = {
        "user": user, "domain": domain, "protocol": "https" if use_https else "http",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    with translation.override(language):
        subject = " ".join(render_to_string("emails/password-reset-subject.html",
                                            context).split())
        body = render_to_string("emails/password-reset-body.html", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
