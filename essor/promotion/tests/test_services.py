import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from essor.audit.models import AuditEntry
from essor.promotion import services
from essor.promotion.models import Application, Event, Participation
from essor.promotion.tests.factories import (
    ApplicationFactory,
    EventFactory,
    ParticipationFactory,
    StandFactory,
)
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _event_data(where, **changes):
    return {"code": "MI-MA06-2027-01", "kind": Event.Kind.ITINERANT_MARKET,
            "title": "Marché itinérant de l'ESS — Berrechid", "region": where,
            "start_date": datetime.date(2027, 4, 2), "end_date": datetime.date(2027, 4, 6),
            **changes}


# -- events -----------------------------------------------------------------------------------

def test_an_officer_creates_a_market_in_their_region_and_it_is_audited(
        casablanca_officer, casablanca_settat):
    event = services.event_create(by=casablanca_officer, **_event_data(casablanca_settat))

    assert event.status == Event.Status.PLANNED
    entry = AuditEntry.objects.get(action="promotion.event.created")
    assert entry.actor == casablanca_officer and entry.object_id == str(event.pk)


def test_an_event_already_over_is_recorded_as_held(casablanca_officer, casablanca_settat):
    event = services.event_create(by=casablanca_officer, **_event_data(
        casablanca_settat, start_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2024, 3, 4)))

    assert event.status == Event.Status.HELD


@pytest.mark.parametrize("changes", [{"kind": Event.Kind.NATIONAL_FAIR}, {"region": "MA-02"}])
def test_an_officer_cannot_create_a_national_fair_or_outside_their_region(
        casablanca_officer, casablanca_settat, oriental, changes):
    if changes.get("region") == "MA-02":
        changes = {"region": oriental}
    with pytest.raises(PermissionDenied):
        services.event_create(by=casablanca_officer, **_event_data(casablanca_settat,
                                                                   **changes))
    assert not Event.objects.exists()


def test_end_before_start_is_refused(national_admin, casablanca_settat):
    with pytest.raises(ValidationError):
        services.event_create(by=national_admin, **_event_data(
            casablanca_settat, end_date=datetime.date(2027, 4, 1)))


def test_status_moves_forward_only(casablanca_officer):
    event = EventFactory()
    for status in ("open", "selection", "held", "closed"):
        event = services.event_set_status(event=event, status=status, by=casablanca_officer)
        assert event.status == status
    with pytest.raises(ValidationError):
        services.event_set_status(event=event, status="open", by=casablanca_officer)
    assert AuditEntry.objects.filter(action="promotion.event.status").count() == 4


def test_a_status_may_be_skipped_but_not_repeated(casablanca_officer):
    event = services.event_set_status(event=EventFactory(), status="held",
                                      by=casablanca_officer)
    with pytest.raises(ValidationError):
        services.event_set_status(event=event, status="held", by=casablanca_officer)


def test_event_update_cannot_change_the_status(casablanca_officer):
    event = services.event_update(event=EventFactory(), by=casablanca_officer,
                                  title="Marché de Settat", status="closed")
    event.refresh_from_db()
    assert event.title == "Marché de Settat" and event.status == Event.Status.PLANNED


# -- applications -----------------------------------------------------------------------------

def test_an_organisation_applies_to_an_open_event_only(organisation_account, member_org):
    event = EventFactory(status=Event.Status.OPEN)
    application = services.application_submit(event=event, organisation=member_org,
                                              by=organisation_account, products="Couscous")
    assert application.status == Application.Status.SUBMITTED

    closed = EventFactory(status=Event.Status.PLANNED)
    with pytest.raises(ValidationError):
        services.application_submit(event=closed, organisation=member_org,
                                    by=organisation_account)
    with pytest.raises(ValidationError):
        services.application_submit(event=event, organisation=member_org,
                                    by=organisation_account)


def test_an_organisation_cannot_apply_for_another(organisation_account):
    with pytest.raises(PermissionDenied):
        services.application_submit(event=EventFactory(status=Event.Status.OPEN),
                                    organisation=OrganisationFactory(),
                                    by=organisation_account)


def test_accepting_creates_the_participation_and_mails_the_organisation(
        casablanca_officer, django_capture_on_commit_callbacks):
    application = ApplicationFactory(organisation__email="coop@essor.invalid")

    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(application=application, status="shortlisted",
                                    by=casablanca_officer)
        services.application_decide(application=application, status="accepted",
                                    by=casablanca_officer)

    participation = Participation.objects.get(application=application)
    assert participation.holder == application.holder
    assert participation.status == Participation.Status.REGISTERED
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["coop@essor.invalid"]


def test_the_decision_reaches_each_account_in_the_language_it_chose(
        casablanca_officer, organisation_account, django_capture_on_commit_callbacks):
    organisation_account.email, organisation_account.language = "nour@essor.invalid", "ar"
    organisation_account.save()
    application = ApplicationFactory(organisation=organisation_account.organisation,
                                     organisation__email="", event__city="Settat",
                                     event__city_ar="سطات")
    application.organisation.email = "bureau@essor.invalid"
    application.organisation.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(application=application, status="accepted",
                                    by=casablanca_officer)

    sent = {m.to[0]: m.body for m in mail.outbox}
    assert set(sent) == {"nour@essor.invalid", "bureau@essor.invalid"}
    assert "سطات" in sent["nour@essor.invalid"] and "تم قبول" in sent["nour@essor.invalid"]
    assert "Settat" in sent["bureau@essor.invalid"] and "accept" in sent["bureau@essor.invalid"]


def test_accepting_without_a_stand_holder_is_refused_and_nothing_changes(casablanca_officer):
    application = ApplicationFactory(holder=None)

    with pytest.raises(ValidationError):
        services.application_decide(application=application, status="accepted",
                                    by=casablanca_officer)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not Participation.objects.exists()


def test_impossible_moves_are_refused(casablanca_officer):
    application = ApplicationFactory(status=Application.Status.REJECTED)
    with pytest.raises(ValidationError):
        services.application_decide(application=application, status="accepted",
                                    by=casablanca_officer)


def test_withdrawing_an_accepted_application_cancels_and_frees_the_stand(casablanca_officer):
    application = ApplicationFactory()
    services.application_decide(application=application, status="accepted",
                                by=casablanca_officer)
    participation = Participation.objects.get()
    stand = StandFactory(event=application.event)
    services.stand_allocate(participation=participation, stand=stand, by=casablanca_officer)

    services.application_decide(application=application, status="withdrawn",
                                by=casablanca_officer)

    participation.refresh_from_db()
    assert participation.status == Participation.Status.CANCELLED
    assert participation.stand is None


def test_the_oriental_officer_cannot_decide_on_a_casablanca_market(oriental_officer):
    with pytest.raises(PermissionDenied):
        services.application_decide(application=ApplicationFactory(), status="accepted",
                                    by=oriental_officer)


# -- participations ---------------------------------------------------------------------------

def test_one_participation_per_organisation_per_event(casablanca_officer):
    event = EventFactory()
    organisation = OrganisationFactory(region=event.region)
    first_holder = PersonFactory(region=event.region)
    second_holder = PersonFactory(region=event.region)

    _p, outcome = services.participation_register(event=event, organisation=organisation,
                                                  holder=first_holder, by=casablanca_officer)
    assert outcome == "created"
    participation, outcome = services.participation_register(
        event=event, organisation=organisation, holder=second_holder,
        by=casablanca_officer, status="attended")

    assert outcome == "updated"
    assert Participation.objects.count() == 1
    assert participation.holder == second_holder and participation.status == "attended"


def test_no_foreign_region_exhibitor_at_a_regional_market(casablanca_officer, oriental):
    event = EventFactory()
    with pytest.raises(PermissionDenied):
        services.participation_register(event=event,
                                        organisation=OrganisationFactory(region=oriental),
                                        holder=PersonFactory(region=event.region),
                                        by=casablanca_officer)


def test_a_national_fair_gathers_every_region(national_admin, oriental):
    fair = EventFactory(kind=Event.Kind.NATIONAL_FAIR, code="SN-2027-01")
    participation, _outcome = services.participation_register(
        event=fair, organisation=OrganisationFactory(region=oriental),
        holder=PersonFactory(region=oriental), by=national_admin)
    assert participation.pk


def test_check_in_is_idempotent_and_refused_when_cancelled(casablanca_officer):
    participation = ParticipationFactory()
    participation, first = services.participation_check_in(participation=participation,
                                                           by=casablanca_officer)
    _again, second = services.participation_check_in(participation=participation,
                                                     by=casablanca_officer)
    assert (first, second) == (True, False)
    assert participation.status == Participation.Status.ATTENDED
    assert AuditEntry.objects.filter(action="promotion.participation.checked_in").count() == 1

    cancelled = ParticipationFactory(status=Participation.Status.CANCELLED)
    with pytest.raises(ValidationError):
        services.participation_check_in(participation=cancelled, by=casablanca_officer)


def test_the_organisation_declares_its_own_sales_but_not_anothers(organisation_account,
                                                                  member_org):
    own = ParticipationFactory(organisation=member_org)
    services.participation_record_results(participation=own, by=organisation_account,
                                          sales_mad=Decimal("12500.50"), visitors=340)
    own.refresh_from_db()
    assert own.sales_mad == Decimal("12500.50") and own.visitors == 340

    with pytest.raises(PermissionDenied):
        services.participation_record_results(participation=ParticipationFactory(),
                                              by=organisation_account, sales_mad=Decimal(1),
                                              visitors=1)


def test_negative_sales_are_refused(casablanca_officer):
    with pytest.raises(ValidationError):
        services.participation_record_results(participation=ParticipationFactory(),
                                              by=casablanca_officer,
                                              sales_mad=Decimal("-5"), visitors=3)


def test_a_stand_of_another_event_or_already_taken_is_refused(casablanca_officer):
    first = ParticipationFactory()
    second = ParticipationFactory(event=first.event)
    stand = StandFactory(event=first.event)
    services.stand_allocate(participation=first, stand=stand, by=casablanca_officer)

    with pytest.raises(ValidationError, match=str(stand.number)):
        services.stand_allocate(participation=second, stand=stand, by=casablanca_officer)
    with pytest.raises(ValidationError):
        services.stand_allocate(participation=second, stand=StandFactory(),
                                by=casablanca_officer)


def test_an_organisation_applies_to_regional_events_of_its_own_region_only(
        organisation_account, member_org, oriental, client_as):
    elsewhere = EventFactory(status=Event.Status.OPEN, region=oriental, code="SR-MA02-2027-1",
                             kind=Event.Kind.REGIONAL_FAIR)
    national = EventFactory(status=Event.Status.OPEN, region=oriental, code="SN-2027-01",
                            kind=Event.Kind.NATIONAL_FAIR)

    with pytest.raises(ValidationError):
        services.application_submit(event=elsewhere, organisation=member_org,
                                    by=organisation_account)
    assert services.application_submit(event=national, organisation=member_org,
                                       by=organisation_account).pk

    from essor.promotion import selectors

    visible = set(selectors.event_visible(organisation_account).values_list("code", flat=True))
    assert "SN-2027-01" in visible and "SR-MA02-2027-1" not in visible


def test_a_refused_move_names_both_statuses_in_words(casablanca_officer):
    from django.utils import translation

    event = services.event_set_status(event=EventFactory(), status="held",
                                      by=casablanca_officer)
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        services.event_set_status(event=event, status="open", by=casablanca_officer)
    message = " ".join(refused.value.messages)
    assert "open" not in message.split()
    assert str(Event.Status.OPEN.label) in message or "ouvert" in message.lower()
