"""Writes for fairs and itinerant markets. Every one is atomic, validated and audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from essor.accounts import permissions
from essor.audit import services as audit
from essor.core.scoping import in_scope
from essor.observatory.cache import bump
from essor.registry.models import Organisation, Person

from .models import Application, Event, Participation, Satisfaction, Stand
from .notifications import notify_decision

EVENT_AUDITED = ["code", "kind", "title", "title_ar", "edition", "start_date", "end_date",
                 "venue", "city", "organiser", "stands", "status", "region_id",
                 "province_id", "application_deadline", "selection_rules", "venue_ar",
                 "city_ar", "organiser_ar"]


def can_manage_event(user, event: Event) -> bool:
    """Kept for the importers: ``permissions.can(user, "promotion.manage_event", event)``."""
    return permissions.can(user, "promotion.manage_event", event)


def _check_manage(by, event: Event) -> None:
    permissions.check(by, "promotion.manage_event", event)


# -- link rules: what may be attached to an event ----------------------------------------------

def check_participation_organisation(event: Event, organisation: Organisation) -> None:
    """An organisation takes part in a regional fair or an itinerant market of its own
    region; a national fair gathers every region."""
    if event.kind != Event.Kind.NATIONAL_FAIR and organisation.region_id != event.region_id:
        raise ValidationError({"organisation": ValidationError(
            _("%(organisation)s is not of the region of %(event)s.")
            % {"organisation": organisation, "event": event.code}, code="organisation_region")})


def check_participation_holder(organisation: Organisation, holder: Person | None) -> None:
    """The person holding an organisation's stand is one of its members, or lives in its
    region."""
    if holder is None or holder.region_id == organisation.region_id:
        return
    if not holder.memberships.filter(organisation=organisation).exists():
        raise ValidationError({"holder": ValidationError(
            _("%(person)s is neither a member of %(organisation)s nor lives in its region.")
            % {"person": holder.full_name, "organisation": organisation}, code="holder_region")})


def check_attachable(by, event: Event, organisation: Organisation,
                      person: Person | None = None) -> None:
    """No foreign-region records attached by a regional writer, unless the event is a
    national fair (which gathers every region) or the writer has national scope; then
    the link rules above, whoever writes."""
    if not (by is None or permissions.can(by, "core.national_scope")
            or event.kind == Event.Kind.NATIONAL_FAIR):
        if not in_scope(by, organisation.region_id):
            raise PermissionDenied(_("This organisation is outside your region."))
        if person is not None and not in_scope(by, person.region_id):
            raise PermissionDenied(_("This person is outside your region."))
    check_participation_organisation(event, organisation)
    check_participation_holder(organisation, person)


def _check_started(event: Event) -> None:
    """Sales, visitors and satisfaction are declared once the event has begun."""
    if not event.is_held and event.start_date > timezone.localdate():
        raise ValidationError(_("This event has not started yet."))


# -- events -----------------------------------------------------------------------------------

@transaction.atomic
def event_create(*, by, **data: Any) -> Event:
    event = Event(**data)
    _check_manage(by, event)
    if event.end_date and event.end_date < timezone.localdate() and "status" not in data:
        event.status = Event.Status.HELD
    event.full_clean()
    event.save()
    audit.record("promotion.event.created", event, by=by,
                 changes=audit.snapshot(event, EVENT_AUDITED))
    return event


@transaction.atomic
def event_update(*, event: Event, by, **data: Any) -> Event:
    _check_manage(by, event)
    before = audit.snapshot(event, EVENT_AUDITED)
    data.pop("status", None)  # statuses move through event_set_status only
    for name, value in data.items():
        setattr(event, name, value)
    _check_manage(by, event)
    event.full_clean()
    event.save()
    changes = audit.diff(before, audit.snapshot(event, EVENT_AUDITED))
    if changes:
        audit.record("promotion.event.updated", event, by=by, changes=changes)
    return event


@transaction.atomic
def event_set_status(*, event: Event, status: str, by) -> Event:
    """planned → open for applications → selection → held → closed; one step at a time
    forward (a step may be skipped), never back."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_manage(by, event)
    flow = [str(s) for s in Event.FLOW]
    if status not in flow or flow.index(status) <= flow.index(event.status):
        raise ValidationError(_("An event cannot go from %(old)s to %(new)s.") % {
            "old": event.get_status_display(),
            "new": Event.Status(status).label if status in flow else status})
    before = event.status
    event.status = status
    event.save(update_fields=["status", "updated_at"])
    audit.record("promotion.event.status", event, by=by, changes={"status": [before, status]})
    return event


# -- applications -----------------------------------------------------------------------------

@transaction.atomic
def application_submit(*, event: Event, organisation: Organisation, by,
                       holder: Person | None = None, products: str = "",
                       stand_needs: str = "", first_time: bool = False) -> Application:
    """An organisation applies to exhibit (online, or entered by staff)."""
    if by is not None and permissions.can(by, "promotion.apply"):
        permissions.require(by, "promotion.apply", organisation)
        if not event.is_open:
            raise ValidationError(_("Applications to this event are closed."))
        check_participation_organisation(event, organisation)
        check_participation_holder(organisation, holder)
    else:
        _check_manage(by, event)
        check_attachable(by, event, organisation, holder)
    if Application.objects.filter(event=event, organisation=organisation).exists():
        raise ValidationError(_("This organisation has already applied to this event."))
    application = Application(event=event, organisation=organisation, holder=holder,
                              products=products, stand_needs=stand_needs,
                              first_time=first_time)
    application.full_clean()
    application.save()
    audit.record("promotion.application.submitted", application, by=by, region=event.region,
                 changes={"event": event.pk, "organisation": organisation.pk})
    return application


@transaction.atomic
def application_decide(*, application: Application, status: str, by,
                       notify: bool = True) -> Application:
    """Shortlist, accept, reject, waitlist or withdraw; accepted ones get a participation."""
    application = Application.objects.select_for_update().select_related(
        "event", "organisation").get(pk=application.pk)
    event = application.event
    if status == Application.Status.WITHDRAWN:
        # An organisation may withdraw its own application; the managers, any.
        permissions.check(by, "promotion.withdraw_application", application)
    else:
        _check_manage(by, event)
    if status not in Application.MOVES[application.status]:
        raise ValidationError(_("An application cannot go from %(old)s to %(new)s.") % {
            "old": application.get_status_display(),
            "new": Application.Status(status).label if status in Application.Status.values
            else status})
    before = application.status
    application.status = status
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    if status == Application.Status.ACCEPTED:
        if application.holder_id is None:
            raise ValidationError(_("Name the person who will hold the stand before "
                                    "accepting this application."))
        Participation.objects.get_or_create(
            event=event, organisation=application.organisation,
            defaults={"holder": application.holder, "application": application})
    elif status == Application.Status.WITHDRAWN and before == Application.Status.ACCEPTED:
        Participation.objects.filter(application=application).update(
            status=Participation.Status.CANCELLED, stand=None)
        bump("promotion.Participation")  # an update() sends no signal to the figures' cache
    audit.record("promotion.application.decided", application, by=by, region=event.region,
                 changes={"status": [before, status]})
    if notify and status in (Application.Status.ACCEPTED, Application.Status.REJECTED,
                             Application.Status.WAITLISTED):
        notify_decision(application)
    return application


# -- stands -----------------------------------------------------------------------------------

@transaction.atomic
def stands_create(*, event: Event, count: int, by, area: str = "") -> int:
    """Number stands 1..count (existing numbers are kept)."""
    _check_manage(by, event)
    existing = set(event.stand_set.values_list("number", flat=True))
    new = [Stand(event=event, number=n, area=area) for n in range(1, count + 1)
           if n not in existing]
    Stand.objects.bulk_create(new)
    if event.stands < count:
        event.stands = count
        event.save(update_fields=["stands", "updated_at"])
    audit.record("promotion.stands.created", event, by=by, changes={"count": len(new)})
    return len(new)


@transaction.atomic
def stand_allocate(*, participation: Participation, stand: Stand | None, by) -> Participation:
    """Give a participation its stand. The stand row is locked, and a unique constraint
    stands behind the lock: two organisations never share a stand, even on concurrent
    clicks. ``stand=None`` frees the participation's stand."""
    participation = Participation.objects.select_for_update().select_related("event").get(
        pk=participation.pk)
    _check_manage(by, participation.event)
    before = participation.stand_id
    if stand is not None:
        stand = Stand.objects.select_for_update().get(pk=stand.pk)
        if stand.event_id != participation.event_id:
            raise ValidationError(_("This stand belongs to another event."))
        holder = Participation.objects.filter(stand=stand).exclude(pk=participation.pk).first()
        if holder is not None:
            raise ValidationError(_("Stand %(number)s is already given to %(organisation)s.")
                                  % {"number": stand.number, "organisation": holder.organisation})
    participation.stand = stand
    try:
        with transaction.atomic():
            participation.save(update_fields=["stand"])
    except IntegrityError as exc:
        raise ValidationError(_("This stand was just given to another organisation.")) from exc
    audit.record("promotion.stand.allocated", participation, by=by,
                 region=participation.event.region,
                 changes={"stand": [before, stand.pk if stand else None]})
    return participation


# -- participations ---------------------------------------------------------------------------

@transaction.atomic
def participation_register(*, event: Event, organisation: Organisation, holder: Person,
                           by, status: str = Participation.Status.REGISTERED
                           ) -> tuple[Participation, str]:
    """One participation per organisation per event: a second registration updates the
    first (holder, status) instead of adding a row."""
    _check_manage(by, event)
    check_attachable(by, event, organisation, holder)
    participation = Participation.objects.filter(event=event, organisation=organisation).first()
    if participation is None:
        participation = Participation(event=event, organisation=organisation, holder=holder,
                                      status=status)
        if status == Participation.Status.ATTENDED:
            participation.checked_in_at = None
        participation.full_clean()
        participation.save()
        audit.record("promotion.participation.registered", participation, by=by,
                     region=event.region, changes={"holder": holder.pk, "status": status})
        return participation, "created"
    changes = participation_apply(participation, holder=holder, status=status)
    if not changes:
        return participation, "unchanged"
    participation.full_clean()
    participation.save()
    audit.record("promotion.participation.updated", participation, by=by,
                 region=event.region, changes=changes)
    return participation, "updated"


def participation_apply(participation: Participation, *, holder: Person, status: str
                        ) -> dict[str, list[Any]]:
    """A second registration of the same organisation: its holder and status replace the
    stored ones; returns what changed, as the audit records it (nothing is saved)."""
    changes: dict[str, list[Any]] = {}
    if participation.holder_id != holder.pk:
        changes["holder"] = [participation.holder_id, holder.pk]
        participation.holder = holder
    if participation.status != status:
        changes["status"] = [participation.status, status]
        participation.status = status
    return changes


@transaction.atomic
def participation_set_status(*, participation: Participation, status: str, by
                             ) -> Participation:
    participation = Participation.objects.select_for_update().select_related("event").get(
        pk=participation.pk)
    _check_manage(by, participation.event)
    if status not in Participation.Status.values:
        raise ValidationError(_("Unknown status."))
    before = participation.status
    participation.status = status
    if status == Participation.Status.CANCELLED:
        participation.stand = None
    participation.save(update_fields=["status", "stand"])
    audit.record("promotion.participation.status", participation, by=by,
                 region=participation.event.region, changes={"status": [before, status]})
    return participation


@transaction.atomic
def participation_check_in(*, participation: Participation, by) -> tuple[Participation, bool]:
    """Mark the exhibitor present on the day. Returns (participation, newly checked in)."""
    participation = Participation.objects.select_for_update().select_related("event").get(
        pk=participation.pk)
    _check_manage(by, participation.event)
    if participation.status == Participation.Status.CANCELLED:
        raise ValidationError(_("This participation was cancelled."))
    if participation.status == Participation.Status.ATTENDED and participation.checked_in_at:
        return participation, False
    participation.status = Participation.Status.ATTENDED
    participation.checked_in_at = timezone.now()
    participation.save(update_fields=["status", "checked_in_at"])
    audit.record("promotion.participation.checked_in", participation, by=by,
                 region=participation.event.region)
    return participation, True


@transaction.atomic
def participation_record_results(*, participation: Participation, by,
                                 sales_mad: Decimal | None, visitors: int | None
                                 ) -> Participation:
    """Declared sales and visitors, after the event (staff, or the organisation itself)."""
    participation = Participation.objects.select_for_update().select_related("event").get(
        pk=participation.pk)
    permissions.check(by, "promotion.report_participation", participation)
    _check_started(participation.event)
    before = {"sales_mad": str(participation.sales_mad), "visitors": participation.visitors}
    participation.sales_mad = sales_mad
    participation.visitors = visitors
    participation.full_clean()
    participation.save(update_fields=["sales_mad", "visitors"])
    audit.record("promotion.participation.results", participation, by=by,
                 region=participation.event.region,
                 changes={"before": before, "sales_mad": str(sales_mad), "visitors": visitors})
    return participation


@transaction.atomic
def satisfaction_answer(*, participation: Participation, by, rating: int,
                        organisation_rating: int | None = None, would_return: bool = True,
                        comment: str = "") -> Satisfaction:
    permissions.check(by, "promotion.report_participation", participation)
    _check_started(participation.event)
    answer = Satisfaction.objects.filter(participation=participation).first() or Satisfaction(
        participation=participation)
    answer.rating, answer.organisation_rating = rating, organisation_rating
    answer.would_return, answer.comment = would_return, comment
    answer.full_clean()
    answer.save()
    audit.record("promotion.satisfaction.answered", answer, by=by,
                 region=participation.event.region, changes={"rating": rating})
    return answer
