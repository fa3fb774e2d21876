"""Audit codes of the calls for projects, applications and selection, and how their
records are named and linked on the audit page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from essor.audit.actions import Resolved, describe, objects

from .models import Application
from .selectors_calls import calls_visible

describe("incubation.call.created", _("Call for projects created"),
         _("%(actor)s created the call for projects %(object)s"))
describe("incubation.call.updated", _("Call for projects edited"),
         _("%(actor)s edited the call for projects %(object)s"))
describe("incubation.call.status", _("Call for projects published or closed"),
         _("%(actor)s moved the call %(object)s from %(status_before)s to %(status_after)s"))
describe("incubation.application.submitted", _("Application to a call sent"),
         _("%(actor)s sent the application %(object)s with %(holders)s holders "
           "(%(matched)s already known to the registry)"),
         refs={"call": "incubation.call"})
describe("incubation.application.confirmed", _("Application's e-mail confirmed"),
         _("%(actor)s confirmed the e-mail of the application %(object)s"))
describe("incubation.application.throttled", _("Applications to a call slowed down"),
         _("%(actor)s sent too many applications to %(object)s (counted by %(by)s)"))
describe("incubation.application.decided", _("Application decided"),
         _("%(actor)s decided the application %(object)s: %(status_after)s, score "
           "%(score)s"))
describe("incubation.cohort.created", _("Cohort created from a call"),
         _("%(actor)s created the cohort %(object)s at the selection of a call"),
         refs={"call": "incubation.call"})


@objects("incubation.call")
def _calls(user, ids):
    return {c.pk: Resolved(c.local_title, reverse("incubation:call_detail", args=[c.pk]))
            for c in calls_visible(user).filter(pk__in=ids)}


@objects("incubation.application")
def _applications(user, ids):
    found = Application.objects.filter(pk__in=ids, call__in=calls_visible(user).values("pk"))
    return {a.pk: Resolved(f"{a.reference} — {a.title}",
                           reverse("incubation:application_detail", args=[a.pk]))
            for a in found}

