"""Merging two records of one person keeps what matters: each app's rule keeps the
stronger of two conflicting records, the figures do not move, and a conflict nobody can
decide refuses the merge."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from essor.audit.models import AuditEntry
from essor.promotion.figures import promotion_figures
from essor.promotion.models import Application, Event, Participation
from essor.promotion.tests.factories import (
    ApplicationFactory,
    EventFactory,
    ParticipationFactory,
    StandFactory,
)
from essor.registry import merge, services
from essor.registry.models import Membership, Person
from essor.registry.tests.factories import OrganisationFactory, PersonFactory
from essor.training.figures import training_figures
from essor.training.models import Enrolment, Evaluation, Workshop
from essor.training.tests.factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

ENROLLED, WAITLISTED, CANCELLED = (Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED,
                                   Enrolment.Status.CANCELLED)


@pytest.fixture
def twins():
    """Two records of one person (a typo in the last name)."""
    keep = PersonFactory(first_name="Fatima", last_name="Benali", phone="0612345678")
    drop = PersonFactory(first_name="Fatima", last_name="Benaly", phone="0612345678")
    return keep, drop


def _records(person):
    return Enrolment.objects.filter(person=person)


def _enrol(workshop, person, *, status=ENROLLED, attended=None, minutes_ago=0):
    enrolment = EnrolmentFactory(workshop=workshop, person=person, status=status,
                                 attended=attended)
    at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=at)
    enrolment.refresh_from_db()
    return enrolment


# -- training -----------------------------------------------------------------------------


@pytest.mark.parametrize("present_on", ["keep", "drop"])
def test_attended_is_kept_over_absent_and_beneficiaries_do_not_move(
        twins, casablanca_officer, present_on):
    keep, drop = twins
    workshop = WorkshopFactory(status=Workshop.Status.HELD)
    present, absent = (keep, drop) if present_on == "keep" else (drop, keep)
    attended = _enrol(workshop, present, attended=True)
    _enrol(workshop, absent, attended=False)
    before = training_figures()
    assert before["beneficiaries"] == 1

    services.person_merge(keep=keep, drop=drop, by=casablanca_officer)

    (enrolment,) = _records(keep)
    assert enrolment.pk == attended.pk
    assert enrolment.attended is True
    assert enrolment.certificate_code == attended.certificate_code
    assert Enrolment.objects.filter(workshop=workshop).count() == 1
    assert training_figures() == before


@pytest.mark.parametrize("enrolled_on", ["keep", "drop"])
def test_enrolled_is_kept_over_waitlisted_with_the_earlier_place(
        twins, casablanca_officer, enrolled_on):
    keep, drop = twins
    workshop = WorkshopFactory(capacity=1)
    seated, waiting = (keep, drop) if enrolled_on == "keep" else (drop, keep)
    enrolled = _enrol(workshop, seated, minutes_ago=10)
    waitlisted = _enrol(workshop, waiting, status=WAITLISTED, minutes_ago=30)

    services.person_merge(keep=keep, drop=drop, by=casablanca_officer)

    (enrolment,) = _records(keep)
    assert enrolment.pk == enrolled.pk
    assert enrolment.status == ENROLLED
    assert enrolment.enrolled_at == waitlisted.enrolled_at


@pytest.mark.parametrize("earlier_on", ["keep", "drop"])
def test_two_places_on_the_waiting_list_become_the_earlier_one(
        twins, casablanca_officer, earlier_on):
    keep, drop = twins
    workshop = WorkshopFactory(capacity=1)
    _enrol(workshop, PersonFactory(), minutes_ago=60)
    first, later = (keep, drop) if earlier_on == "keep" else (drop, keep)
    early = _enrol(workshop, first, status=WAITLISTED, minutes_ago=50)
    other = _enrol(workshop, PersonFactory(), status=WAITLISTED, minutes_ago=40)
    _enrol(workshop, later, status=WAITLISTED, minutes_ago=30)

    services.person_merge(keep=keep, drop=drop, by=casablanca_officer)

    queue = list(Enrolment.objects.filter(workshop=workshop, status=WAITLISTED)
                 .order_by("enrolled_at", "pk"))
    assert [e.pk for e in queue] == [early.pk, other.pk]
    assert queue[0].person_id == keep.pk


@pytest.mark.parametrize("standing_on", ["keep", "drop"])
def test_a_standing_enrolment_is_kept_over_a_cancelled_one(
        twins, casablanca_officer, standing_on):
    keep, drop = twins
    workshop = WorkshopFactory()
    standing, cancelled = (keep, drop) if standing_on == "keep" else (drop, keep)
    kept = _enrol(workshop, standing, status=WAITLISTED, minutes_ago=5)
    _enrol(workshop, cancelled, status=CANCELLED, minutes_ago=50)

    services.person_merge(keep=keep, drop=drop, by=casablanca_officer)

    (enrolment,) = _records(keep)
    assert enrolment.pk == kept.pk
    assert enrolment.status == WAITLISTED
    assert enrolment.enrolled_at == kept.enrolled_at  # a cancelled place is no place


@pytest.mark.parametrize("evaluated_on", ["keep", "drop"])
def test_the_evaluation_stays_with_the_kept_enrolment(twins, casablanca_officer,
                                                      evaluated_on):
    keep, drop = twins
    workshop = WorkshopFactory(status=Workshop.Status.HELD)
    first = _enrol(workshop, keep, attended=True, minutes_ago=20)
    second = _enrol(workshop, drop, attended=True, minutes_ago=10)
    Evaluation.objects.create(enrolment=first if evaluated_on == "keep" else second,
                              rating=4, comment="Très utile")

    services.person_merge(keep=keep, drop=drop, by=casablanca_officer)

    (enrolment,) = _records(keep)
    assert enrolment.pk == first.pk  # both attended: the earlier one
    assert enrolment.evaluation.comment == "Très utile"
    assert Evaluation.objects.count() == 1


def test_a_seat_freed_by_the_merge_goes_to_the_first_on_the_waiting_list(
        twins, casablanca_officer):
    keep, drop = twins
    workshop = WorkshopFactory(capacity=2)
    _enrol(workshop, keep, minutes_ago=30)
    _enrol(workshop, drop, minutes_ago=20)
    first = _enrol(workshop, PersonFactory(), status=WAITLISTED, minutes_ago=10)
    second = _enrol(workshop, PersonFactory(), status=WAITLISTED, minutes_ago=5)

    services.person_merge(keep=keep, drop=drop, by=casablanca_officer)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ENROLLED, WAITLISTED)
    assert Enrolment.objects.filter(workshop=workshop, status=ENROLLED).count() == 2


def test_enrolments_in_different_workshops_all_move(twins, casablanca_officer):
    keep, drop = twins
    _enrol(WorkshopFactory(), keep)
    _enrol(WorkshopFactory(), drop)

    services.person_merge(keep=keep, drop=drop, by=casablanca_officer)

    assert _records(keep).count() == 2


def test_the_audit_entry_says_which_enrolment_was_kept(twins, casablanca_officer):
    keep, drop = twins
    workshop = WorkshopFactory(status=Workshop.Status.HELD)
    attended = _enrol(workshop, drop, attended=True)
    absent = _enrol(workshop, keep, attended=False)

    services.person_merge(keep=keep, drop=drop, by=casablanca_officer)

    entry = AuditEntry.objects.get(action="registry.person.merged")
    (kept,) = entry.changes["kept"]["training.enrolment"]
    assert (kept["kept"], kept["deleted"]) == (attended.pk, absent.pk)
    assert kept["from_dropped_person"] is True
    assert entry.changes["deleted_duplicates"] == {"training.enrolment": 1}


# -- promotion ----------------------------------------------------------------------------


@pytest.mark.parametrize("checked_in_on", ["keep", "drop"])
def test_stands_and_applications_move_and_exhibitors_do_not(twins, casablanca_officer,
                                                            checked_in_on):
    keep, drop = twins
    event = EventFactory(status=Event.Status.HELD)
    holder, other = (keep, drop) if checked_in_on == "keep" else (drop, keep)
    stand = StandFactory(event=event)
    checked_in = ParticipationFactory(event=event, holder=holder, stand=stand,
                                      status=Participation.Status.ATTENDED,
                                      checked_in_at=timezone.now())
    registered = ParticipationFactory(event=event, holder=other,
                                      status=Participation.Status.ABSENT)
    application = ApplicationFactory(event=event, organisation=registered.organisation,
                                     holder=drop)
    before = promotion_figures()
    assert before[Event.Kind.ITINERANT_MARKET]["exhibitors"] == 1

    services.person_merge(keep=keep, drop=drop, by=casablanca_officer)

    checked_in.refresh_from_db()
    assert checked_in.holder_id == keep.pk
    assert checked_in.stand_id == stand.pk
    assert checked_in.checked_in_at is not None
    assert Participation.objects.filter(holder=keep).count() == 2
    assert Application.objects.get(pk=application.pk).holder_id == keep.pk
    assert promotion_figures() == before


# -- registry -----------------------------------------------------------------------------


@pytest.mark.parametrize(("keep_role", "drop_role", "kept_role"), [
    ("member", "president", "president"),
    ("president", "member", "president"),
    ("manager", "employee", "manager"),
    ("member", "employee", "employee"),
])
def test_one_membership_per_organisation_with_the_stronger_role(
        twins, casablanca_officer, keep_role, drop_role, kept_role):
    keep, drop = twins
    organisation = OrganisationFactory()
    Membership.objects.create(person=keep, organisation=organisation, role=keep_role)
    Membership.objects.create(person=drop, organisation=organisation, role=drop_role)

    services.person_merge(keep=keep, drop=drop, by=casablanca_officer)

    (membership,) = Membership.objects.filter(organisation=organisation)
    assert (membership.person_id, membership.role) == (keep.pk, kept_role)


# -- what no app claims -------------------------------------------------------------------


def test_a_conflict_no_rule_decides_refuses_the_merge_and_changes_nothing(
        twins, casablanca_officer, monkeypatch):
    keep, drop = twins
    monkeypatch.delitem(merge.rules, "training")  # as if training had no merge rule
    workshop = WorkshopFactory()
    _enrol(workshop, keep)
    theirs = _enrol(workshop, drop)
    _enrol(WorkshopFactory(), drop)
    entries = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.person_merge(keep=keep, drop=drop, by=casablanca_officer)

    assert "Nothing was merged" in refused.value.messages[0]
    assert str(theirs.pk) in refused.value.messages[0]
    assert Person.objects.filter(pk=drop.pk).exists()
    assert _records(drop).count() == 2
    assert _records(keep).count() == 1
    assert AuditEntry.objects.count() == entries


def test_relations_no_rule_claims_still_move(twins, casablanca_officer, monkeypatch):
    keep, drop = twins
    monkeypatch.delitem(merge.rules, "training")
    _enrol(WorkshopFactory(), drop)

    services.person_merge(keep=keep, drop=drop, by=casablanca_officer)

    assert _records(keep).count() == 1
    entry = AuditEntry.objects.get(action="registry.person.merged")
    assert entry.changes["moved"] == {"training.enrolment": 1}


def test_every_relation_to_a_person_is_claimed_by_its_app():
    claimed = merge.claimed_relations()
    relations = {(model._meta.label_lower, name) for model, name in merge.person_relations()}
    assert relations == claimed


def test_the_merge_page_shows_a_refusal_instead_of_failing(
        twins, client, casablanca_officer, monkeypatch):
    keep, drop = twins
    monkeypatch.delitem(merge.rules, "training")
    workshop = WorkshopFactory()
    _enrol(workshop, keep)
    _enrol(workshop, drop)
    client.force_login(casablanca_officer)

    response = client.post(f"/registry/people/{keep.pk}/merge/{drop.pk}/", follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Nothing was merged" in response.content.decode()
    assert Person.objects.filter(pk=drop.pk).exists()
