"""Training's audit codes as sentences, and how its records are named and linked."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from essor.audit.actions import Resolved, describe, objects

from . import selectors
from .models import Enrolment, Evaluation


def _attended(key: str):
    """Present or absent, as the change records it (a value, or a before/after pair)."""

    def sentence(changes):
        value = changes.get(key)
        present = value[-1] if isinstance(value, list) and value else value
        return (_("%(actor)s marked %(person)s present at %(workshop)s") if present
                else _("%(actor)s marked %(person)s absent from %(workshop)s"))

    return sentence


def _walk_in(changes):
    if changes.get("outcome") == "created":
        return _("%(actor)s added the walk-in %(object)s to the registry")
    return _("%(actor)s found the walk-in %(object)s in the registry")


describe("training.workshop.created", _("Workshop created"),
         _("%(actor)s created the workshop %(object)s"))
describe("training.workshop.updated", _("Workshop edited"),
         _("%(actor)s edited the workshop %(object)s"))
describe("training.workshop.status", _("Workshop moved to another stage"),
         _("%(actor)s moved %(object)s from %(status_before)s to %(status_after)s"))
describe("training.enrolment.created", _("Person enrolled"),
         _("%(actor)s enrolled %(person)s in %(workshop)s (%(status)s)"),
         refs={"person": "registry.person"})
describe("training.enrolment.cancelled", _("Enrolment cancelled"),
         _("%(actor)s cancelled the enrolment of %(person)s in %(workshop)s"))
describe("training.enrolment.promoted", _("Moved up from the waiting list"),
         _("%(person)s moved up from the waiting list of %(workshop)s (after %(actor)s "
           "freed a seat)"))
describe("training.attendance.marked", _("Attendance ticked"), _attended("attended"))
describe("training.attendance.recorded", _("Attendance recorded"), _attended("attended"),
         refs={"person": "registry.person"})
describe("training.walk_in.person", _("Walk-in matched or added"), _walk_in)
describe("training.evaluation.answered", _("Workshop evaluated"),
         _("%(actor)s rated %(workshop)s %(rating)s/5"))
describe("training.attendance_sheet.printed", _("Attendance sheet printed"),
         _("%(actor)s printed the attendance sheet of %(object)s (%(names)s names)"))
describe("training.certificate.downloaded", _("Certificate downloaded"),
         _("%(actor)s downloaded the certificate of %(person)s for %(workshop)s "
           "(%(language)s)"))
describe("training.certificates.downloaded", _("Certificates downloaded"),
         _("%(actor)s downloaded the %(certificates)s certificates of %(object)s "
           "(%(language)s)"))
describe("export.workshops", _("Workshops exported"),
         _("%(actor)s exported the list of workshops (%(format)s)"))
describe("export.enrolments", _("Enrolments exported"),
         _("%(actor)s exported a workshop's enrolments (%(format)s)"))
describe("import.workshops", _("Workshops imported"),
         _("%(actor)s imported workshops from %(file)s: %(rows)s rows, %(created)s "
           "created, %(updated)s updated, %(unchanged)s unchanged, %(error_rows)s refused"))
describe("import.attendance", _("Attendance imported"),
         _("%(actor)s imported attendance from %(file)s: %(rows)s rows, %(created)s "
           "created, %(updated)s updated, %(unchanged)s unchanged, %(error_rows)s refused"))


@objects("training.workshop")
def _workshops(user, ids):
    return {w.pk: Resolved(str(w), reverse("training:workshop_detail", args=[w.pk]))
            for w in selectors.workshop_visible(user).filter(pk__in=ids)}


def _of_enrolment(e: Enrolment) -> Resolved:
    person, workshop = e.person.local_name, str(e.workshop)
    return Resolved(f"{person} — {workshop}",
                    reverse("training:enrolment_list", args=[e.workshop_id]),
                    {"person": person, "workshop": workshop})


@objects("training.enrolment")
def _enrolments(user, ids):
    found = (Enrolment.objects.filter(pk__in=ids,
                                      workshop__in=selectors.workshop_visible(user))
             .select_related("person", "workshop"))
    return {e.pk: _of_enrolment(e) for e in found}


@objects("training.evaluation")
def _evaluations(user, ids):
    found = (Evaluation.objects.filter(pk__in=ids,
                                       enrolment__workshop__in=selectors.workshop_visible(user))
             .select_related("enrolment__person", "enrolment__workshop"))
    return {e.pk: _of_enrolment(e.enrolment) for e in found}
