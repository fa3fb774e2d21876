from django.core.exceptions import PermissionDenied

from essor.core.http import client_ip
from essor.core.scoping import OutOfScope

from . import services as audit


def record_refusal(request, exception) -> None:
    """Audit a refused access: a role that may not open a page (403), or an object that
    exists outside the user's scope (answered 404, as if it did not exist)."""
    if isinstance(exception, OutOfScope):
        obj, reason = exception.obj, "scope"
    elif isinstance(exception, PermissionDenied):
        obj, reason = None, "role"
    else:
        return
    user = getattr(request, "user", None)
    audit.record("access.refused", obj, by=user, label="anonymous",
                 changes={"path": request.path[:200], "method": request.method,
                          "reason": reason, "address": client_ip(request)})


class RefusedAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        record_refusal(request, exception)
        return None


def api_exception_handler(exc, context):
    """DRF answers its own exceptions; refused accesses are audited there too."""
    from rest_framework.views import exception_handler

    record_refusal(context["request"], exc)
    return exception_handler(exc, context)
