"""Writes for training workshops: enrolment and waiting list, attendance, walk-ins,
statuses, permissions and evaluations."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections

from essor.audit.models import AuditEntry
from essor.registry.models import Person
from essor.registry.tests.factories import PersonFactory
from essor.training import services
from essor.training.models import Enrolment, Evaluation, Theme, Workshop
from essor.training.tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

ENROLLED, WAITLISTED, CANCELLED = (Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED,
                                   Enrolment.Status.CANCELLED)


@pytest.fixture
def workshop(oriental, trainer):
    return WorkshopFactory(region=oriental, city="Oujda", capacity=2, trainer=trainer,
                           date=datetime.date(2030, 5, 11))


def person(region, **extra):
    return PersonFactory(region=region, **extra)


# -- enrolment and the waiting list ------------------------------------------------------------

def test_a_full_workshop_puts_the_next_people_on_the_waiting_list(workshop, oriental_officer,
                                                                 oriental):
    first, second, third, fourth = (person(oriental) for _n in range(4))
    statuses = [services.enrol(workshop=workshop, person=p, by=oriental_officer).status
                for p in (first, second, third, fourth)]

    assert statuses == [ENROLLED, ENROLLED, WAITLISTED, WAITLISTED]
    # Enrolling again changes nothing.
    again = services.enrol(workshop=workshop, person=third, by=oriental_officer)
    assert again.status == WAITLISTED
    assert Enrolment.objects.filter(workshop=workshop).count() == 4


def test_a_cancellation_moves_the_first_waitlisted_up_in_order(workshop, oriental_officer,
                                                              oriental):
    first, second, third, fourth = (person(oriental) for _n in range(4))
    enrolments = [services.enrol(workshop=workshop, person=p, by=oriental_officer)
                  for p in (first, second, third, fourth)]

    promoted = services.enrolment_cancel(enrolment=enrolments[0], by=oriental_officer)
    assert promoted.pk == enrolments[2].pk
    statuses = dict(Enrolment.objects.filter(workshop=workshop)
                    .values_list("person_id", "status"))
    assert statuses == {first.pk: CANCELLED, second.pk: ENROLLED, third.pk: ENROLLED,
                        fourth.pk: WAITLISTED}
    assert AuditEntry.objects.filter(action="training.enrolment.promoted").count() == 1

    # Cancelling a waitlisted enrolment frees no seat; the next seat goes to the fourth.
    assert services.enrolment_cancel(enrolment=enrolments[1], by=oriental_officer).pk == \
        enrolments[3].pk
    # Cancelling twice does nothing.
    assert services.enrolment_cancel(enrolment=enrolments[0], by=oriental_officer) is None


def test_cancelling_a_waitlisted_enrolment_promotes_nobody(workshop, oriental_officer,
                                                          oriental):
    enrolments = [services.enrol(workshop=workshop, person=person(oriental),
                                 by=oriental_officer) for _n in range(4)]

    assert services.enrolment_cancel(enrolment=enrolments[2], by=oriental_officer) is None
    enrolments[3].refresh_from_db()
    assert enrolments[3].status == WAITLISTED


def test_re_enrolling_after_a_cancellation_goes_to_the_end_of_the_queue(
        workshop, oriental_officer, oriental):
    first, second, third = (person(oriental) for _n in range(3))
    mine = services.enrol(workshop=workshop, person=first, by=oriental_officer)
    services.enrol(workshop=workshop, person=second, by=oriental_officer)
    services.enrolment_cancel(enrolment=mine, by=oriental_officer)
    services.enrol(workshop=workshop, person=third, by=oriental_officer)  # takes the seat

    back = services.enrol(workshop=workshop, person=first, by=oriental_officer)
    assert back.pk == mine.pk and back.status == WAITLISTED
    assert Enrolment.objects.filter(workshop=workshop, person=first).count() == 1
    # Re-enrolled with a free seat: enrolled again.
    roomy = WorkshopFactory(region=oriental, capacity=5)
    gone = services.enrol(workshop=roomy, person=first, by=oriental_officer)
    services.enrolment_cancel(enrolment=gone, by=oriental_officer)
    assert services.enrol(workshop=roomy, person=first, by=oriental_officer).status == ENROLLED


# -- attendance --------------------------------------------------------------------------------

def test_attendance_mark_ticks_and_is_audited(workshop, trainer, oriental):
    enrolment = services.enrol(workshop=workshop, person=person(oriental), by=None)

    services.attendance_mark(enrolment=enrolment, attended=True, by=trainer)
    enrolment.refresh_from_db()
    assert enrolment.attended is True
    entry = AuditEntry.objects.get(action="training.attendance.marked")
    assert entry.actor == trainer and entry.changes == {"attended": [None, True]}
    # The same tick again records nothing more.
    services.attendance_mark(enrolment=enrolment, attended=True, by=trainer)
    assert AuditEntry.objects.filter(action="training.attendance.marked").count() == 1
    services.attendance_mark(enrolment=enrolment, attended=False, by=trainer)
    enrolment.refresh_from_db()
    assert enrolment.attended is False


def test_a_waitlisted_person_who_came_takes_a_seat_and_cancelled_cannot_be_ticked(
        workshop, oriental_officer, oriental):
    enrolments = [services.enrol(workshop=workshop, person=person(oriental),
                                 by=oriental_officer) for _n in range(3)]

    services.attendance_mark(enrolment=enrolments[2], attended=True, by=oriental_officer)
    enrolments[2].refresh_from_db()
    assert (enrolments[2].status, enrolments[2].attended) == (ENROLLED, True)

    services.enrolment_cancel(enrolment=enrolments[0], by=oriental_officer)
    with pytest.raises(ValidationError):
        services.attendance_mark(enrolment=enrolments[0], attended=True, by=oriental_officer)


def test_a_walk_in_is_matched_by_national_id_in_another_spelling(workshop, trainer, oriental):
    known = person(oriental, first_name="Fatima", last_name="Benali", national_id="AB123456")
    people = Person.objects.count()

    enrolment, outcome = services.walk_in(
        workshop=workshop, by=trainer, first_name="Fatma", last_name="Ben Ali", sex="F",
        birth_year=1990, national_id="ab 123 456")

    assert enrolment.person_id == known.pk
    assert outcome in ("unchanged", "updated")
    assert Person.objects.count() == people
    assert (enrolment.status, enrolment.attended, enrolment.source) == (
        ENROLLED, True, Enrolment.Source.WALK_IN)


def test_a_new_walk_in_is_registered_in_the_workshops_region_even_beyond_capacity(
        workshop, trainer, oriental):
    for _n in range(2):
        services.enrol(workshop=workshop, person=person(oriental), by=None)

    enrolment, outcome = services.walk_in(
        workshop=workshop, by=trainer, first_name="Zineb", last_name="Alaoui", sex="F",
        birth_year=1995, phone="0661234567")

    assert outcome == "created"
    assert enrolment.person.region == oriental
    assert enrolment.status == ENROLLED and enrolment.attended is True
    assert workshop.enrolments.filter(status=ENROLLED).count() == 3


def test_attendance_record_creates_the_enrolment_or_updates_it(workshop, oriental_officer,
                                                               oriental):
    newcomer, waiting = person(oriental), person(oriental)

    created = services.attendance_record(workshop=workshop, person=newcomer, attended=True,
                                         by=oriental_officer)
    assert (created.status, created.attended, created.source) == (
        ENROLLED, True, Enrolment.Source.IMPORT)
    assert AuditEntry.objects.filter(action="training.attendance.recorded").count() == 1
    # The same row again: unchanged, still one enrolment.
    again = services.attendance_record(workshop=workshop, person=newcomer, attended=True,
                                       by=oriental_officer)
    assert again.pk == created.pk
    assert Enrolment.objects.filter(workshop=workshop, person=newcomer).count() == 1

    Enrolment.objects.create(workshop=workshop, person=waiting, status=WAITLISTED)
    updated = services.attendance_record(workshop=workshop, person=waiting, attended=False,
                                         by=oriental_officer)
    assert (updated.status, updated.attended) == (ENROLLED, False)


# -- statuses ----------------------------------------------------------------------------------

def test_workshop_status_moves_forward_only(workshop, oriental_officer):
    services.workshop_set_status(workshop=workshop, status=Workshop.Status.HELD,
                                 by=oriental_officer)
    with pytest.raises(ValidationError):
        services.workshop_set_status(workshop=workshop, status=Workshop.Status.PLANNED,
                                     by=oriental_officer)
    with pytest.raises(ValidationError):
        services.workshop_set_status(workshop=workshop, status=Workshop.Status.HELD,
                                     by=oriental_officer)
    with pytest.raises(ValidationError):
        services.workshop_set_status(workshop=workshop, status="bogus", by=oriental_officer)
    closed = services.workshop_set_status(workshop=workshop, status=Workshop.Status.CLOSED,
                                          by=oriental_officer)
    assert closed.status == Workshop.Status.CLOSED
    assert AuditEntry.objects.filter(action="training.workshop.status").count() == 2


def test_update_does_not_change_the_status(workshop, oriental_officer):
    services.workshop_update(workshop=workshop, by=oriental_officer, status="closed",
                             capacity=30)
    workshop.refresh_from_db()
    assert (workshop.status, workshop.capacity) == (Workshop.Status.PLANNED, 30)


def test_a_past_workshop_is_created_as_held(oriental, oriental_officer):
    workshop = services.workshop_create(
        by=oriental_officer, code="AT-MA02-2024-001", title="Atelier", region=oriental,
        theme=Theme.objects.get(code="governance"), date=datetime.date(2024, 3, 1))
    assert workshop.status == Workshop.Status.HELD


# -- permissions -------------------------------------------------------------------------------

def test_a_trainer_manages_only_their_own_workshop(workshop, trainer, oriental):
    other = WorkshopFactory(region=oriental, trainer=None, trainer_name="Latifa Bennani")
    someone = person(oriental)

    assert services.can_manage_workshop(trainer, workshop)
    assert not services.can_manage_workshop(trainer, other)
    services.enrol(workshop=workshop, person=someone, by=trainer)
    with pytest.raises(PermissionDenied):
        services.enrol(workshop=other, person=someone, by=trainer)
    with pytest.raises(PermissionDenied):
        services.workshop_set_status(workshop=other, status="held", by=trainer)
    with pytest.raises(PermissionDenied):
        services.walk_in(workshop=other, by=trainer, first_name="A", last_name="B", sex="F",
                         birth_year=1990, phone="0661234500")


def test_an_officer_of_another_region_is_refused(workshop, casablanca_officer, oriental):
    someone = person(oriental)
    enrolment = services.enrol(workshop=workshop, person=someone, by=None)

    assert not services.can_manage_workshop(casablanca_officer, workshop)
    for call in (
        lambda: services.enrol(workshop=workshop, person=person(oriental),
                               by=casablanca_officer),
        lambda: services.enrolment_cancel(enrolment=enrolment, by=casablanca_officer),
        lambda: services.attendance_mark(enrolment=enrolment, attended=True,
                                         by=casablanca_officer),
        lambda: services.workshop_update(workshop=workshop, by=casablanca_officer,
                                         capacity=50),
        lambda: services.workshop_set_status(workshop=workshop, status="held",
                                             by=casablanca_officer),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_an_officer_cannot_enrol_a_person_of_another_region(workshop, oriental_officer,
                                                            casablanca_settat):
    with pytest.raises(PermissionDenied):
        services.enrol(workshop=workshop, person=person(casablanca_settat),
                       by=oriental_officer)


def test_an_officer_cannot_create_outside_their_region(oriental_officer, casablanca_settat,
                                                       oriental, national_admin):
    data = {"code": "AT-MA06-2030-001", "title": "Atelier", "date": datetime.date(2030, 1, 1),
            "theme": Theme.objects.get(code="governance")}
    with pytest.raises(PermissionDenied):
        services.workshop_create(by=oriental_officer, region=casablanca_settat, **data)
    assert not Workshop.objects.exists()

    mine = services.workshop_create(by=oriental_officer, region=oriental,
                                    **{**data, "code": "AT-MA02-2030-001"})
    assert mine.status == Workshop.Status.PLANNED
    assert services.workshop_create(by=national_admin, region=casablanca_settat, **data)
    with pytest.raises(PermissionDenied):
        services.workshop_update(workshop=mine, by=oriental_officer, region=casablanca_settat)


def test_a_trainer_cannot_create_a_workshop(trainer, oriental):
    with pytest.raises(PermissionDenied):
        services.workshop_create(by=trainer, region=oriental, code="AT-X", title="Atelier",
                                 theme=Theme.objects.get(code="governance"),
                                 date=datetime.date(2030, 1, 1))


# -- evaluation --------------------------------------------------------------------------------

def test_only_attendees_evaluate(workshop, trainer, oriental):
    came = services.attendance_record(workshop=workshop, person=person(oriental),
                                      attended=True, by=trainer)
    absent = services.attendance_record(workshop=workshop, person=person(oriental),
                                        attended=False, by=trainer)
    enrolled = services.enrol(workshop=workshop, person=person(oriental), by=trainer)

    evaluation = services.evaluation_answer(enrolment=came, by=trainer, rating=4,
                                            usefulness=5, comment="Très utile")
    assert (evaluation.rating, evaluation.usefulness) == (4, 5)
    # Answering again updates the same evaluation.
    services.evaluation_answer(enrolment=came, by=trainer, rating=5)
    assert Evaluation.objects.get().rating == 5
    for enrolment in (absent, enrolled):
        with pytest.raises(ValidationError):
            services.evaluation_answer(enrolment=enrolment, by=trainer, rating=3)
    assert Evaluation.objects.count() == 1


def test_an_evaluation_needs_a_rating_from_1_to_5(workshop, trainer, oriental):
    came = services.attendance_record(workshop=workshop, person=person(oriental),
                                      attended=True, by=trainer)
    # Refused either way (the service saves before validating: the database's check refuses).
    with pytest.raises((ValidationError, IntegrityError)):
        services.evaluation_answer(enrolment=came, by=trainer, rating=9)
    assert not Evaluation.objects.exists()


# -- the waiting list under concurrency (PostgreSQL) -------------------------------------------

@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_take_more_seats_than_there_are(oriental):
    workshop = WorkshopFactory(region=oriental, capacity=5)
    people = [person(oriental) for _n in range(12)]
    barrier = threading.Barrier(len(people))
    errors = []

    def enrol(someone):
        try:
            barrier.wait(timeout=10)
            services.enrol(workshop=workshop, person=someone, by=None)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    statuses = list(Enrolment.objects.filter(workshop=workshop)
                    .values_list("status", flat=True))
    assert statuses.count(ENROLLED) == 5
    assert statuses.count(WAITLISTED) == 7
