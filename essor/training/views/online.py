"""Online enrolment: an organisation account enrols its members in the planned workshops
of its region."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essor.accounts.permissions import require

from .. import selectors, services


def _organisation_account(user):
    require(user, "training.enrol_online")


@login_required
def online(request):
    _organisation_account(request.user)
    members = (request.user.organisation.memberships.select_related("person")
               .order_by("person__last_name", "person__first_name"))
    return render(request, "training/online.html", {
        "workshops": selectors.workshops_open_online(request.user),
        "members": members,
        "enrolments": selectors.online_enrolments(request.user)[:100],
    })


@login_required
@require_POST
def online_enrol(request, pk):
    _organisation_account(request.user)
    workshop = get_object_or_404(selectors.workshops_open_online(request.user), pk=pk)
    membership = get_object_or_404(request.user.organisation.memberships.select_related(
        "person"), person_id=request.POST.get("person") or 0)
    try:
        enrolment = services.enrol(workshop=workshop, person=membership.person,
                                   by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        name = membership.person.local_name
        if enrolment.status == enrolment.Status.WAITLISTED:
            messages.warning(request, _("The workshop is full: %(name)s is on the waiting "
                                        "list.") % {"name": name})
        else:
            messages.success(request, _("%(name)s is enrolled.") % {"name": name})
    return redirect("training:online")


urlpatterns = [
    path("online/", online, name="online"),
    path("online/<int:pk>/enrol/", online_enrol, name="online_enrol"),
]
