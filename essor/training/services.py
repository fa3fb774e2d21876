"""Writes for training workshops. Atomic, validated, audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from essor.accounts import permissions
from essor.audit import services as audit
from essor.core.scoping import in_scope
from essor.promotion.models import Event
from essor.registry import services as registry_services
from essor.registry.models import Person

from .models import Enrolment, Evaluation, Workshop

WORKSHOP_AUDITED = ["code", "title", "title_ar", "theme_id", "trainer_id", "trainer_name",
                    "date", "duration_hours", "city", "venue", "event_id", "capacity",
                    "status", "region_id", "province_id", "city_ar", "venue_ar"]


def can_manage_workshop(user, workshop: Workshop) -> bool:
    """Kept for the importers: ``permissions.can(user, "training.manage_workshop", w)``."""
    return permissions.can(user, "training.manage_workshop", workshop)


def can_create_workshop(user, region_id) -> bool:
    return permissions.can(user, "training.create_workshop", region_id=region_id)


def _check_manage(by, workshop: Workshop) -> None:
    permissions.check(by, "training.manage_workshop", workshop)


# -- link rules: what may be attached to a workshop --------------------------------------------

def check_workshop_event(workshop: Workshop, event: Event | None) -> None:
    """A workshop held alongside an event lies in the event's region."""
    if event is not None and event.region_id != workshop.region_id:
        raise ValidationError({"event": ValidationError(
            _("%(event)s is held in another region than the workshop.")
            % {"event": event.code}, code="event_region")})


def check_workshop_person(workshop: Workshop, person: Person) -> None:
    """The people on a workshop's lists (enrolled, waitlisted, present) live in the
    workshop's region."""
    if person.region_id != workshop.region_id:
        raise ValidationError({"person": ValidationError(
            _("%(person)s lives outside the region of workshop %(workshop)s.")
            % {"person": person.full_name, "workshop": workshop.code},
            code="person_region")})


def _check_person(by, workshop: Workshop, person: Person) -> None:
    """No person outside the writer's own scope, and the link rule."""
    if by is not None and not in_scope(by, person.region_id):
        raise PermissionDenied(_("This person is outside your region."))
    check_workshop_person(workshop, person)


def _check_online(by, workshop: Workshop, person: Person) -> None:
    """An organisation account enrols its own members, online, in the planned workshops
    of its region."""
    organisation = by.organisation
    if organisation is None or workshop.region_id != organisation.region_id:
        raise PermissionDenied(_("This workshop is not open to your organisation."))
    if workshop.status != Workshop.Status.PLANNED or workshop.date < timezone.localdate():
        raise ValidationError(_("Enrolment in this workshop is closed."))
    if not person.memberships.filter(organisation=organisation).exists():
        raise PermissionDenied(_("Only your organisation's members can be enrolled here."))


# -- workshops --------------------------------------------------------------------------------

@transaction.atomic
def workshop_create(*, by, **data: Any) -> Workshop:
    workshop = Workshop(**data)
    permissions.check(by, "training.create_workshop", region_id=workshop.region_id)
    check_workshop_event(workshop, workshop.event)
    if workshop.date and workshop.date < timezone.localdate() and "status" not in data:
        workshop.status = Workshop.Status.HELD
    workshop.full_clean()
    workshop.save()
    audit.record("training.workshop.created", workshop, by=by,
                 changes=audit.snapshot(workshop, WORKSHOP_AUDITED))
    return workshop


@transaction.atomic
def workshop_update(*, workshop: Workshop, by, **data: Any) -> Workshop:
    # The stored workshop, not the caller's copy (which a refused update may have changed).
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _check_manage(by, workshop)
    before = audit.snapshot(workshop, WORKSHOP_AUDITED)
    data.pop("status", None)  # statuses move through workshop_set_status only
    for name, value in data.items():
        setattr(workshop, name, value)
    # Whoever manages the workshop (its own trainer included) moves it only to a region of
    # their own scope.
    if (by is not None and workshop.region_id != before["region_id"]
            and not in_scope(by, workshop.region_id)):
        raise PermissionDenied(_("This region is outside your scope."))
    check_workshop_event(workshop, workshop.event)
    workshop.full_clean()
    workshop.save()
    changes = audit.diff(before, audit.snapshot(workshop, WORKSHOP_AUDITED))
    changes.pop("updated_at", None)
    if changes:
        audit.record("training.workshop.updated", workshop, by=by, changes=changes)
    return workshop


@transaction.atomic
def workshop_set_status(*, workshop: Workshop, status: str, by) -> Workshop:
    """planned → held → closed, forward only."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _check_manage(by, workshop)
    flow = [str(s) for s in Workshop.FLOW]
    if status not in flow or flow.index(status) <= flow.index(workshop.status):
        raise ValidationError(_("A workshop cannot go from %(old)s to %(new)s.") % {
            "old": workshop.get_status_display(),
            "new": Workshop.Status(status).label if status in flow else status})
    before = workshop.status
    workshop.status = status
    workshop.save(update_fields=["status", "updated_at"])
    audit.record("training.workshop.status", workshop, by=by,
                 changes={"status": [before, status]})
    return workshop


# -- enrolment --------------------------------------------------------------------------------

def _seats_taken(workshop: Workshop) -> int:
    return workshop.enrolments.filter(status=Enrolment.Status.ENROLLED).count()


@transaction.atomic
def enrol(*, workshop: Workshop, person: Person, by,
          source: str = Enrolment.Source.STAFF) -> Enrolment:
    """A seat if one is free, else a place on the waiting list. The workshop row is locked
    so that two enrolments never take the last seat twice."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if by is not None and permissions.can(by, "training.enrol_online"):
        _check_online(by, workshop, person)
        check_workshop_person(workshop, person)
        source = Enrolment.Source.ONLINE
    else:
        _check_manage(by, workshop)
        _check_person(by, workshop, person)
    enrolment = Enrolment.objects.filter(workshop=workshop, person=person).first()
    if enrolment is not None and enrolment.status != Enrolment.Status.CANCELLED:
        return enrolment
    full = _seats_taken(workshop) >= workshop.capacity
    status = Enrolment.Status.WAITLISTED if full else Enrolment.Status.ENROLLED
    if enrolment is None:
        enrolment = Enrolment(workshop=workshop, person=person, source=source, status=status)
    else:  # back after a cancellation: at the end of the queue
        enrolment.status, enrolment.enrolled_at = status, timezone.now()
    enrolment.full_clean()
    enrolment.save()
    audit.record("training.enrolment.created", enrolment, by=by, region=workshop.region,
                 changes={"person": person.pk, "status": status, "source": source})
    return enrolment


@transaction.atomic
def enrolment_cancel(*, enrolment: Enrolment, by) -> Enrolment | None:
    """Cancel; a freed seat goes to the first person on the waiting list, who is returned."""
    workshop = Workshop.objects.select_for_update().get(pk=enrolment.workshop_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    _check_manage(by, workshop)
    if enrolment.status == Enrolment.Status.CANCELLED:
        return None
    freed = enrolment.status == Enrolment.Status.ENROLLED
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.attended = None
    enrolment.save(update_fields=["status", "attended"])
    audit.record("training.enrolment.cancelled", enrolment, by=by, region=workshop.region)
    if not freed:
        return None
    return enrolment_promote_next(workshop=workshop, by=by)


def enrolment_promote_next(*, workshop: Workshop, by, label: str = "") -> Enrolment | None:
    """A free seat goes to the first person on the waiting list, who is returned (the
    caller holds the workshop's row lock)."""
    if _seats_taken(workshop) >= workshop.capacity:
        return None
    promoted = (Enrolment.objects.select_for_update()
                .filter(workshop=workshop, status=Enrolment.Status.WAITLISTED)
                .order_by("enrolled_at", "pk").first())
    if promoted is not None:
        promoted.status = Enrolment.Status.ENROLLED
        promoted.save(update_fields=["status"])
        audit.record("training.enrolment.promoted", promoted, by=by, region=workshop.region,
                     label=label)
    return promoted


# -- attendance -------------------------------------------------------------------------------

@transaction.atomic
def attendance_mark(*, enrolment: Enrolment, attended: bool, by) -> Enrolment:
    """Tick (or untick) a name on the attendance sheet."""
    enrolment = Enrolment.objects.select_for_update().select_related("workshop").get(
        pk=enrolment.pk)
    _check_manage(by, enrolment.workshop)
    if enrolment.status == Enrolment.Status.CANCELLED:
        raise ValidationError(_("This enrolment was cancelled."))
    if enrolment.attended == attended:
        return enrolment
    before = enrolment.attended
    enrolment.attended = attended
    if attended and enrolment.status == Enrolment.Status.WAITLISTED:
        enrolment.status = Enrolment.Status.ENROLLED  # came anyway: the seat is theirs
    enrolment.save(update_fields=["attended", "status"])
    audit.record("training.attendance.marked", enrolment, by=by,
                 region=enrolment.workshop.region, changes={"attended": [before, attended]})
    return enrolment


@transaction.atomic
def person_for_workshop(*, workshop: Workshop, by, **person_data: Any) -> tuple[Person, str]:
    """The person on a workshop's sheet (walk-ins, attendance imports): matched against
    the registry by the duplicate rules, or registered in the workshop's region. A
    trainer runs the workshop without holding the registry: the person is matched or
    registered on the workshop's behalf, and a match in another region is refused
    without being shown."""
    person_data.setdefault("region", workshop.region)
    trainer = by is not None and not permissions.can(by, "registry.edit_person")
    actor = None if trainer else by
    person, outcome = registry_services.person_get_or_create(by=actor, **person_data)
    if person.region_id != workshop.region_id and trainer:
        raise ValidationError(_("This person is already registered in another region. "
                                "Ask the national administration to check the record."),
                              code="duplicate_person_elsewhere")
    check_workshop_person(workshop, person)
    if trainer:
        audit.record("training.walk_in.person", person, by=by, region=workshop.region,
                     changes={"outcome": outcome})
    return person, outcome


@transaction.atomic
def walk_in(*, workshop: Workshop, by, **person_data: Any) -> tuple[Enrolment, str]:
    """Someone who came without enrolling: matched against the registry by the duplicate
    rules (or registered), enrolled and marked present, beyond capacity if need be."""
    _check_manage(by, workshop)
    person, outcome = person_for_workshop(workshop=workshop, by=by, **person_data)
    return attendance_record(workshop=workshop, person=person, attended=True, by=by,
                             source=Enrolment.Source.WALK_IN), outcome


@transaction.atomic
def attendance_record(*, workshop: Workshop, person: Person, attended: bool, by,
                      source: str = Enrolment.Source.IMPORT) -> Enrolment:
    """Imports and walk-ins: the person's enrolment with its attendance, created if need
    be (a paper sheet knows who came, not who enrolled)."""
    _check_manage(by, workshop)
    check_workshop_person(workshop, person)
    enrolment = (Enrolment.objects.select_for_update()
                 .filter(workshop=workshop, person=person).first())
    if enrolment is None:
        enrolment = Enrolment(workshop=workshop, person=person, source=source,
                              status=Enrolment.Status.ENROLLED, attended=attended)
        enrolment.full_clean()
        enrolment.save()
        audit.record("training.attendance.recorded", enrolment, by=by, region=workshop.region,
                     changes={"person": person.pk, "attended": attended, "source": source})
        return enrolment
    if enrolment.attended == attended and enrolment.status == Enrolment.Status.ENROLLED:
        return enrolment
    before = enrolment.attended
    enrolment.attended = attended
    enrolment.status = Enrolment.Status.ENROLLED
    enrolment.save(update_fields=["attended", "status"])
    audit.record("training.attendance.marked", enrolment, by=by, region=workshop.region,
                 changes={"attended": [before, attended]})
    return enrolment


@transaction.atomic
def evaluation_answer(*, enrolment: Enrolment, by, rating: int, usefulness: int | None = None,
                      comment: str = "") -> Evaluation:
    """The attendee's satisfaction form (entered by staff or the trainer)."""
    _check_manage(by, enrolment.workshop)
    if not enrolment.attended:
        raise ValidationError(_("Only attendees evaluate a workshop."))
    evaluation = Evaluation.objects.filter(enrolment=enrolment).first() or Evaluation(
        enrolment=enrolment)
    evaluation.rating, evaluation.usefulness, evaluation.comment = rating, usefulness, comment
    evaluation.full_clean()
    evaluation.save()
    audit.record("training.evaluation.answered", evaluation, by=by,
                 region=enrolment.workshop.region, changes={"rating": rating})
    return evaluation
