"""The calls' pages in the permission matrix (see essor/core/testing.py).

The call belongs to an incubator of Casablanca-Settat whose coach is the coach persona:
the Oriental officer does not find the call or its application (404); the roles that do
not run incubation (trainer, analyst, partner, organisation account) are refused (403)
before anything is looked up. The public pages answer everyone, without an account; the
page after sending says nothing without an application just sent (back to the calls).
"""

import datetime

from django.utils import timezone

from essor.core.testing import row
from essor.incubation import calls
from essor.incubation.models import Application, ApplicationHolder, Call
from essor.registry.tests.factories import PersonFactory

from .factories import CallFactory, IncubatorFactory

PUBLIC = row(anonymous=200, default=200)
RUNS = {"national_admin": 200, "oriental_officer": 200, "casablanca_officer": 200,
        "coach": 200, "default": 403}
CASA_CALL = {"national_admin": 200, "casablanca_officer": 200, "coach": 200,
             "oriental_officer": 404, "default": 403}
CASA_WRITE = {"national_admin": 302, "casablanca_officer": 302, "coach": 302,
              "oriental_officer": 404, "default": 403}
POST_ONLY = row(default=405)

ROWS = {
    "incubation:public_calls": PUBLIC,
    "incubation:public_call": PUBLIC,
    "incubation:public_application_sent": row(anonymous=302, default=302),
    "incubation:public_confirm": PUBLIC,
    "incubation:call_list": row(**RUNS),
    "incubation:call_create": row(**RUNS),
    "incubation:call_detail": row(**CASA_CALL),
    "incubation:call_edit": row(**CASA_CALL),
    "incubation:call_status": POST_ONLY,
    "incubation:selection": row(**CASA_CALL),
    "incubation:selection_select_top": POST_ONLY,
    "incubation:application_detail": row(**CASA_CALL),
}

WRITES = {
    # Empty forms: their errors, 200 (the public form for everyone, with no account).
    "incubation:public_call": {"POST": PUBLIC},
    "incubation:call_create": {"POST": row(**RUNS)},
    "incubation:call_edit": {"POST": row(**CASA_CALL)},
    "incubation:selection": {"POST": row(**CASA_CALL)},
    "incubation:application_detail": {"POST": row(**CASA_CALL)},
    # No status, nothing shown to select: a message, and back to the call.
    "incubation:call_status": {"POST": row(**CASA_WRITE)},
    "incubation:selection_select_top": {"POST": row(**CASA_WRITE)},
}


def build(ctx) -> dict:
    today = timezone.localdate()
    incubator = IncubatorFactory(region=ctx["casablanca_settat"], code="cira-ess-matrice",
                                 name="CIRA-ESS Ain Chock", coaches=[ctx["coach"]])
    call = CallFactory(incubator=incubator, code="cira-ess-matrice-2026",
                       title="Appel à projets CIRA-ESS 2026", status=Call.Status.PUBLISHED,
                       opens_on=today - datetime.timedelta(days=10),
                       closes_on=today + datetime.timedelta(days=20))
    application = Application.objects.create(
        call=call, title="Coopérative Tissage Hay Hassani", summary="Tissage de tapis.",
        sector="textile", email="fatima.zahra@essor.invalid", region=ctx["casablanca_settat"])
    ApplicationHolder.objects.create(
        application=application, lead=True,
        person=PersonFactory(region=ctx["casablanca_settat"], first_name="Fatima Zahra",
                             last_name="Bennani", sex="F", birth_year=1996))
    return {"incubation:public_call": {"code": call.code},
            "incubation:public_confirm": {"token": calls.confirmation_token(application)},
            "incubation:call_detail": {"pk": call.pk},
            "incubation:call_edit": {"pk": call.pk},
            "incubation:call_status": {"pk": call.pk},
            "incubation:selection": {"pk": call.pk},
            "incubation:selection_select_top": {"pk": call.pk},
            "incubation:application_detail": {"pk": application.pk}}
