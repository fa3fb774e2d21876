"""essor's URLs and error handlers, with pages that fail on purpose (test_errors.py)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path
from django.utils import translation

from config import urls as base


def fails(request):
    raise RuntimeError("the secret detail of a bug: sk_live_0123456789")


def fails_in_arabic(request):
    # A view that switched language (an Arabic certificate) when it failed.
    translation.activate("ar")
    raise RuntimeError("failed while rendering in Arabic")


def suspicious(request):
    raise SuspiciousOperation("a malformed request")


def refused(request):
    raise PermissionDenied


urlpatterns = [
    path("test-errors/500/", fails),
    path("test-errors/500-ar/", fails_in_arabic),
    path("test-errors/400/", suspicious),
    path("test-errors/403/", refused),
    path("api/test-errors/500/", fails),
    *base.urlpatterns,
]
handler400 = base.handler400
handler403 = base.handler403
handler404 = base.handler404
handler500 = base.handler500
