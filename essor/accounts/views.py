"""Logging in and out, the profile (language, password) and the password reset."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.i18n import set_language

from essor.core.http import client_ip

from . import services, throttle
from .forms import LanguageForm, LoginForm, ResetForm


def remember_language(response, language: str):
    """Set the language cookie that LocaleMiddleware reads, as Django's set_language."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().language
        return remember_language(response, language) if language else response


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def profile(request):
    user = request.user
    form = LanguageForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        services.user_set_language(user=user, language=language, by=user)
        translation.activate(language)
        messages.success(request, _("Your language is saved: essor will use it at each "
                                    "login."))
        return remember_language(redirect("accounts:profile"), language)
    return render(request, "accounts/profile.html",
                  {"form": form, "regions": user.regions.order_by("code")})


def language(request):
    """The menu's language buttons for a logged-in user: Django's ``set_language`` (the
    cookie, the redirect), and the choice saved on the account."""
    response = set_language(request)
    chosen = request.POST.get("language", "") if request.method == "POST" else ""
    if request.user.is_authenticated and chosen in services.LANGUAGES:
        services.user_set_language(user=request.user, language=chosen, by=request.user)
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user, request=self.request)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """The same page follows for any address; requests are counted per client address and
    per address typed (``PASSWORD_RESET_LIMITS``), past which the form says to wait."""

    template_name = "registration/password_reset_form.html"
    form_class = ResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        limits = settings.PASSWORD_RESET_LIMITS
        window = limits["window"]
        by_client = throttle.hit("reset-ip", client_ip(self.request),
                                 limit=limits["per_client"], window=window)
        by_email = throttle.hit("reset-email", form.cleaned_data["email"],
                                limit=limits["per_email"], window=window)
        if not (by_client and by_email):
            services.password_reset_throttled(request=self.request)
            form.add_error(None, _("Too many reset requests. Try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"
    extra_context = {"hours": settings.PASSWORD_RESET_TIMEOUT // 3600}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_done(user=form.user, request=self.request)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
