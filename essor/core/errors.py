"""The error pages (``handler400``… in config/urls.py, and ``CSRF_FAILURE_VIEW``): what
happened and where to go, in the site's layout and the reader's language.

403 and 404 are drawn in the whole layout (menu, language buttons, account). 400, 500 and
a form refused by the CSRF check are drawn in the layout without them
(``templates/errors/bare.html``): the 500 page is rendered with no request context, so
neither the session nor the user is read and nothing asks the database; a 400 answers a
request that may itself be malformed; the CSRF page carries no form, hence no token, and
says nothing of the posted data nor of the check's reason codes.

The language is the reader's, as LocaleMiddleware picks it (the language cookie, which a
login sets from the account's choice, else the browser's): taken again from the request,
so that an error raised while a view had switched language (an Arabic certificate) or
before the middleware ran speaks the reader's language all the same.

Under ``/api/`` (the documentation page aside) the answers are JSON, as DRF's own errors:
``{"detail": "…"}``.
"""

from __future__ import annotations

from django.core.exceptions import DisallowedHost, PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

API_PREFIX = "/api/"
API_PAGES = ("/api/docs/",)  # HTML pages under the API's prefix


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX) and not request.path.startswith(API_PAGES)


def _language(request) -> str:
    """The reader's language, from the request alone (cookie, then Accept-Language)."""
    return translation.get_language_from_request(request)


def _back(request, *, same_page: bool = False) -> str:
    """The page the reader came from (``Referer``) when it is one of this site's, else "".
    ``same_page``: the page itself counts (a form that posts to its own address)."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return ""
    if not referer or not url_has_allowed_host_and_scheme(
            referer, allowed_hosts={host}, require_https=request.is_secure()):
        return ""
    if not same_page and referer == request.build_absolute_uri():
        return ""
    return referer


def _json(message: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


@requires_csrf_token
def bad_request(request, exception=None, template_name="400.html"):
    with translation.override(_language(request)):
        if _is_api(request):
            return _json(_("Bad request."), 400)
        html = loader.get_template(template_name).render({"back": _back(request)})
    return HttpResponse(html, status=400)


@requires_csrf_token
def permission_denied(request, exception=None, template_name="403.html"):
    """403: the role may not open the page. The message given by the permission (a
    translated sentence of ``essor.accounts.permissions``) is shown when there is one."""
    with translation.override(_language(request)):
        if _is_api(request):
            return _json(_("You do not have permission to perform this action."), 403)
        message = ""
        if isinstance(exception, PermissionDenied) and exception.args:
            message = str(exception.args[0])
        return render(request, template_name, {"message": message, "back": _back(request)},
                      status=403)


@requires_csrf_token
def page_not_found(request, exception=None, template_name="404.html"):
    """404: nothing at this address, or a record outside the reader's scope (which answers
    exactly like a missing one: the page says so without telling which it is)."""
    with translation.override(_language(request)):
        if _is_api(request):
            return _json(_("Not found."), 404)
        return render(request, template_name, {"back": _back(request)}, status=404)


def server_error(request, template_name="500.html"):
    """500, without the database: no request context (no session, no user, no menu)."""
    with translation.override(_language(request)):
        if _is_api(request):
            return _json(_("A server error occurred."), 500)
        html = loader.get_template(template_name).render({"back": _back(request)})
    return HttpResponse(html, status=500)


def csrf_failure(request, reason="", template_name="403_csrf.html"):
    """A form refused by the CSRF check (most often a page left open too long, on a phone):
    reload it and send it again. Nothing secret: no token on the page, no reason code, none
    of the posted data."""
    with translation.override(_language(request)):
        if _is_api(request):
            return _json(_("The form expired: reload the page and send it again."), 403)
        context = {"reload": _back(request, same_page=True) or request.path,
                   "no_cookie": reason == REASON_NO_CSRF_COOKIE}
        html = loader.get_template(template_name).render(context)
    return HttpResponse(html, status=403)
