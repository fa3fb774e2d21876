"""How enrolments merge when two records of one person become one.

One enrolment per person and workshop: when both records are enrolled in the same
workshop, the stronger enrolment is kept — attended over not, enrolled over waitlisted
over cancelled, marked (present or absent) over not marked, then the earlier one — and
takes the earlier place in the queue of the two that still stand. Its attendance and
certificate code stay with it; the other's evaluation moves to it when it has none. A seat
freed by the merge goes to the first person on the waiting list, as after a cancellation.
"""

from __future__ import annotations

from essor.registry.merge import MergeLog, rule
from essor.registry.models import Person

from .models import Enrolment, Evaluation, Workshop
from .services import enrolment_promote_next

STATUS_STRENGTH: dict[str, int] = {
    Enrolment.Status.ENROLLED: 2, Enrolment.Status.WAITLISTED: 1, Enrolment.Status.CANCELLED: 0}


def strength(enrolment: Enrolment) -> tuple:
    return (enrolment.attended is True, STATUS_STRENGTH.get(enrolment.status, 0),
            enrolment.attended is not None, -enrolment.enrolled_at.timestamp(),
            -enrolment.pk)


def _keep_stronger(keep_row: Enrolment, drop_row: Enrolment, keep: Person,
                   log: MergeLog) -> None:
    workshop = Workshop.objects.select_for_update().get(pk=keep_row.workshop_id)
    winner, loser = ((keep_row, drop_row) if strength(keep_row) >= strength(drop_row)
                     else (drop_row, keep_row))
    standing = [e.enrolled_at for e in (winner, loser)
                if e.status != Enrolment.Status.CANCELLED]
    if standing and min(standing) < winner.enrolled_at:
        winner.enrolled_at = min(standing)
    loser_evaluation = Evaluation.objects.filter(enrolment=loser).first()
    evaluation_moved = False
    if loser_evaluation is not None and not Evaluation.objects.filter(enrolment=winner).exists():
        loser_evaluation.enrolment = winner
        loser_evaluation.save(update_fields=["enrolment"])
        evaluation_moved = True
    freed = (winner.status == Enrolment.Status.ENROLLED
             and loser.status == Enrolment.Status.ENROLLED)
    log.fold(Enrolment, kept=winner, deleted=loser, workshop=workshop.pk,
             from_dropped_person=winner is drop_row, attended=winner.attended,
             status=winner.status, evaluation_moved=evaluation_moved,
             deleted_certificate_code=loser.certificate_code if loser.attended else "")
    loser.delete()
    winner.person = keep
    winner.save(update_fields=["person", "enrolled_at"])
    if freed:
        enrolment_promote_next(workshop=workshop, by=None, label="merge")


@rule("training", "training.Enrolment.person")
def merge_person(keep: Person, drop: Person, log: MergeLog) -> None:
    kept = {e.workshop_id: e for e in Enrolment.objects.filter(person=keep)}
    for enrolment in Enrolment.objects.filter(person=drop).order_by("pk"):
        mine = kept.get(enrolment.workshop_id)
        if mine is None:
            enrolment.person = keep
            enrolment.save(update_fields=["person"])
            log.move(Enrolment)
        else:
            _keep_stronger(mine, enrolment, keep, log)
