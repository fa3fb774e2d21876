"""Public pages of the calls for projects, no account needed: the calls open today, a
call's page with its application form (the project and one or several holders), the page
that gives the application's reference, and the link of the confirmation e-mail.

Submissions are counted per client address and per e-mail address typed
(``APPLICATION_LIMITS``); past the limit the form comes back with what was typed and a
message saying to wait. The holders are matched to the registry by the duplicate rules
(``calls.application_submit``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _

from essor.accounts import throttle
from essor.audit import services as audit
from essor.core.http import client_ip
from essor.core.web import form_errors_from

from .. import calls, selectors_calls
from ..calls import MAX_HOLDERS
from ..forms_calls import HOLDERS_PREFIX, HolderForm, PublicApplicationForm, holder_formset

PAGE_SIZE = 30
# Applications sent per client address and per e-mail address, in a window (seconds).
APPLICATION_LIMITS = {"per_client": 10, "per_email": 3, "window": 3600}
SENT_KEY = "incubation_application_sent"


def public_calls(request):
    page = Paginator(selectors_calls.public_calls(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "incubation/public/call_list.html",
                  {"page": page, "query": request.GET.copy()})


def _typed_again(data, count: int) -> tuple[PublicApplicationForm, Any]:
    """The form as it was typed, unchecked (no error shown yet), with ``count`` holders:
    after "add a holder" or "remove this holder"."""
    form = PublicApplicationForm(initial={name: data.get(name, "")
                                          for name in PublicApplicationForm.base_fields})
    rows = []
    for index in range(int(data.get(f"{HOLDERS_PREFIX}-TOTAL_FORMS", 1) or 1)):
        prefix = f"{HOLDERS_PREFIX}-{index}-"
        row = {name: data.get(prefix + name, "") for name in HolderForm.base_fields}
        row["disability"] = bool(data.get(prefix + "disability"))
        rows.append(row)
    return form, rows[:count] + [{}] * max(0, count - len(rows))


def _holders(formset, lead: int | None) -> tuple[list[dict], int]:
    """The holders typed (blank extra rows left out) and the index of the lead among them."""
    holders, lead_at = [], 0
    for index, form in enumerate(formset.forms):
        if not form.has_changed() and index >= formset.min_num:
            continue
        if index == lead:
            lead_at = len(holders)
        holders.append(form.holder_data())
    return holders, lead_at


def _count(data) -> int:
    try:
        return max(1, min(MAX_HOLDERS, int(data.get(f"{HOLDERS_PREFIX}-TOTAL_FORMS", 1))))
    except (TypeError, ValueError):
        return 1


def public_call_apply(request, code):
    """A call's public page and, while it is open, its application form."""
    call = selectors_calls.public_call(code)
    if call is None:
        raise Http404
    is_open = calls.is_open(call)
    form, formset, status = None, None, 200
    data = request.POST if request.method == "POST" else None
    if data is not None and ("add_holder" in data or "remove_holder" in data):
        count = _count(data)
        if "add_holder" in data:
            form, rows = _typed_again(data, min(MAX_HOLDERS, count + 1))
        else:
            try:
                removed = int(data.get("remove_holder", -1))
            except ValueError:
                removed = -1
            form, rows = _typed_again(data, count)
            if 0 <= removed < len(rows) and len(rows) > 1:
                del rows[removed]
        formset = holder_formset(initial=rows)
        formset.extra = max(0, len(rows) - formset.min_num)
    elif data is not None:
        form = PublicApplicationForm(data)
        formset = holder_formset(data)
        if not is_open:
            form.is_valid()
            form.add_error(None, _("The call %(title)s takes no more applications.")
                           % {"title": call.local_title})
        elif form.is_valid() and formset.is_valid():
            email = form.cleaned_data["email"]
            by_client = throttle.hit("incubation-apply-ip", client_ip(request),
                                     limit=APPLICATION_LIMITS["per_client"],
                                     window=APPLICATION_LIMITS["window"])
            by_email = throttle.hit("incubation-apply-email", email,
                                    limit=APPLICATION_LIMITS["per_email"],
                                    window=APPLICATION_LIMITS["window"])
            if not (by_client and by_email):
                audit.record("incubation.application.throttled", call, label="anonymous",
                             region=call.incubator.region,
                             changes={"by": "address" if not by_client else "e-mail"})
                form.add_error(None, _("Too many applications were sent from here or for "
                                       "%(email)s. Try again in an hour: what you typed is "
                                       "kept below.") % {"email": email})
                status = 429
            else:
                holders, lead = _holders(formset, form.cleaned_data.get("lead"))
                try:
                    application = calls.application_submit(
                        call=call, holders=holders, lead=lead,
                        origin=request.build_absolute_uri("/"),
                        language=translation.get_language() or "",
                        **form.application_data())
                except ValidationError as exc:
                    form_errors_from(exc, form)
                else:
                    request.session[SENT_KEY] = {"reference": application.reference,
                                                 "email": application.email,
                                                 "call": call.code}
                    return redirect("incubation:public_application_sent")
    elif is_open:
        form = PublicApplicationForm(initial={"lead": 0})
        formset = holder_formset()
    lead = 0
    if form is not None:
        try:
            lead = int((form.data.get("lead") if form.is_bound else form.initial.get("lead"))
                       or 0)
        except (TypeError, ValueError):
            lead = 0
    return render(request, "incubation/public/call_apply.html", {
        "call": call, "is_open": is_open, "form": form, "formset": formset, "lead": lead,
        "max_holders": MAX_HOLDERS,
        "can_add": formset is not None and len(formset.forms) < MAX_HOLDERS},
        status=status)


def public_application_sent(request):
    """The reference of the application just sent (kept in the visitor's session)."""
    sent = request.session.get(SENT_KEY)
    if not sent:
        return redirect("incubation:public_calls")
    call = selectors_calls.public_call(sent.get("call", ""))
    return render(request, "incubation/public/sent.html", {
        "reference": sent["reference"], "email": sent["email"], "call": call,
        "days": calls.CONFIRM_DAYS})


def public_confirm(request, token):
    """The link of the confirmation e-mail."""
    try:
        application = calls.application_confirm(token=token)
    except ValidationError as exc:
        return render(request, "incubation/public/confirmed.html",
                      {"error": " ".join(exc.messages)}, status=400)
    return render(request, "incubation/public/confirmed.html",
                  {"application": application, "call": application.call})


urlpatterns = [
    path("calls/public/", public_calls, name="public_calls"),
    path("calls/public/<slug:code>/", public_call_apply, name="public_call"),
    path("applications/sent/", public_application_sent, name="public_application_sent"),
    path("applications/confirm/<str:token>/", public_confirm, name="public_confirm"),
]
