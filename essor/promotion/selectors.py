"""Reads for fairs and markets, scoped to the reader."""

from __future__ import annotations

import datetime

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from essor.accounts.permissions import can
from essor.core import codes, normalise
from essor.core.definitions import share
from essor.core.scoping import OutOfScope, filter_by_region, get_in_scope
from essor.territory.models import Region

from .models import Application, Event, Participation, Satisfaction


def event_visible(user) -> QuerySet[Event]:
    """Staff see their region's events (national admins, all); an organisation account
    sees the events it applied to or exhibits at, and those open for applications."""
    queryset = Event.objects.select_related("region", "province")
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if can(user, "core.own_organisation_only"):
        if not user.organisation_id:
            return queryset.filter(status=Event.Status.OPEN, kind=Event.Kind.NATIONAL_FAIR)
        # Open national fairs, and open regional events of the organisation's own region.
        open_to_it = Q(status=Event.Status.OPEN) & (
            Q(kind=Event.Kind.NATIONAL_FAIR) | Q(region=user.organisation.region_id))
        own = user.organisation_id
        applied = Application.objects.filter(event=OuterRef("pk"), organisation=own)
        exhibits = Participation.objects.filter(event=OuterRef("pk"), organisation=own)
        return queryset.filter(open_to_it | Exists(applied) | Exists(exhibits))
    return filter_by_region(queryset, user)


def event_list(*, user, q: str = "", kind: str = "", status: str = "", region: str = "",
               year: int | None = None) -> QuerySet[Event]:
    queryset = event_visible(user)
    q = normalise.search_text(q)
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(title_ar__icontains=q)
                                   | Q(code__icontains=q) | Q(city__icontains=q))
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    if region:
        queryset = queryset.filter(region__code=region)
    if year:
        queryset = queryset.filter(start_date__year=year)
    return queryset.order_by("-start_date", "code")


def access_event(user, pk, *, write: bool = False) -> Event:
    event = get_in_scope(event_visible(user), Event, pk)
    if write and not can(user, "promotion.manage_event", event):
        raise OutOfScope(event)
    return event


def event_by_code(code: str) -> Event | None:
    return Event.objects.filter(code=code.strip()).first()


def participation_list(*, event: Event, q: str = "", status: str = "") -> QuerySet:
    queryset = (Participation.objects.filter(event=event)
                .select_related("organisation", "holder", "stand", "organisation__region"))
    q = normalise.search_text(q)
    if q:
        queryset = queryset.filter(Q(organisation__name__icontains=q)
                                   | Q(organisation__name_ar__icontains=q)
                                   | Q(holder__last_name__icontains=q)
                                   | Q(holder__first_name__icontains=q)
                                   | Q(badge_code=codes.normalise_code(q)))
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("organisation__name", "pk")


def access_participation(user, pk, *, write: bool = False) -> Participation:
    participation = (Participation.objects.select_related("event", "organisation", "holder",
                                                          "stand").filter(pk=pk).first())
    if participation is None:
        raise Http404
    visible = event_visible(user).filter(pk=participation.event_id).exists()
    own = can(user, "promotion.apply", participation.organisation)
    if not (visible or own) or (write and not can(user, "promotion.report_participation",
                                                  participation)):
        raise OutOfScope(participation)
    return participation


def application_list(*, event: Event, status: str = "") -> QuerySet[Application]:
    queryset = (Application.objects.filter(event=event)
                .select_related("organisation", "organisation__region", "holder"))
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("submitted_at", "pk")


def upcoming_public_events(*, today: datetime.date | None = None) -> QuerySet[Event]:
    today = today or timezone.localdate()
    return (Event.objects.filter(end_date__gte=today)
            .exclude(status=Event.Status.CLOSED)
            .select_related("region", "province").order_by("start_date", "code"))


def public_events(*, today: datetime.date | None = None) -> QuerySet[Event]:
    """The events with a public page: the upcoming ones (as listed) and those held (held
    or closed), whose page keeps answering with their results so that a poster's QR code
    keeps working. An event whose end date has passed without being recorded as held did
    not take place as far as essor knows: it has no public page."""
    today = today or timezone.localdate()
    upcoming = Q(end_date__gte=today) & ~Q(status=Event.Status.CLOSED)
    return (Event.objects.filter(upcoming | Q(status__in=Event.HELD_STATUSES))
            .select_related("region", "province"))


def public_exhibitors(event: Event) -> QuerySet[Participation]:
    """The organisations shown on an event's public page: once the event is held, its
    exhibitors (the report's definition); before, every participation not cancelled."""
    participations = (Participation.objects.exhibitors() if event.is_held
                      else Participation.objects.exclude(
                          status=Participation.Status.CANCELLED))
    return (participations.filter(event=event)
            .select_related("organisation", "organisation__region", "application")
            .order_by("organisation__name", "pk"))


SUMMARY = {  # the summary's key: the catalogue's indicator
    "exhibitors": "promotion.exhibitors",
    "women": "promotion.women_exhibitors",
    "youth": "promotion.young_exhibitors",
    "disability": "promotion.exhibitors_with_disability",
    "regions": "promotion.exhibitor_regions",
    "sales": "promotion.sales",
    "visitors": "promotion.visitors",
    "declared": "promotion.exhibitors_declaring_sales",
    "satisfaction": "promotion.satisfaction_answers",
    "women_share": "promotion.women_exhibitors_share",
    "youth_share": "promotion.young_exhibitors_share",
    "disability_share": "promotion.exhibitors_with_disability_share",
}


def event_summary(event: Event) -> dict:
    """The after-event figures of one event, read from the indicator catalogue (its
    exhibitors, counted once the event is held: one query for them all, cached), and its
    participations by status (the check-in's state, two figures of the desk)."""
    from essor.observatory.compute import values_many

    results = values_many([(code, ()) for code in SUMMARY.values()],
                          where={"event": event.code})
    figures: dict = {key: result.total for key, result in zip(SUMMARY, results, strict=True)}
    if not figures["declared"]:
        figures["sales"] = None  # nobody declared: no sales figure, not zero
    figures["visitors"] = figures["visitors"] if figures["exhibitors"] else None
    figures["by_status"] = dict(Participation.objects.filter(event=event)
                                .values_list("status").annotate(n=Count("id"))
                                .values_list("status", "n"))
    return figures


def event_summary_links(event: Event) -> dict[str, str]:
    """The drill-down of each figure of :func:`event_summary` (key → address): the records
    each one counts, for the readers who may drill down."""
    from essor.observatory.links import drilldown_url

    return {key: drilldown_url(code, cells={"event": event.code})
            for key, code in SUMMARY.items()}


def exhibitors_by_event(user=None) -> dict[str, int]:
    """Each event's exhibitors (code → count), from the catalogue's
    ``promotion.exhibitors`` by event: one grouped query, cached; events not held have
    none."""
    from essor.observatory.compute import values

    result = values("promotion.exhibitors", by=("event",), user=user)
    return {row["event"]: row["value"] for row in result.rows}


def event_satisfaction(event: Event) -> dict:
    """What the exhibitors of a held event answered (one aggregate), with the regions they
    came from."""
    exhibitors = Participation.objects.exhibitors().filter(event=event)
    answers = Satisfaction.objects.filter(participation__in=exhibitors).aggregate(
        answers=Count("id"), rating=Avg("rating"), organisation=Avg("organisation_rating"),
        again=Count("id", filter=Q(would_return=True)))
    answers["again_share"] = share(answers["again"], answers["answers"])
    answers["regions"] = Region.objects.filter(pk__in=exhibitors.values("organisation__region"))
    return answers


def participations_for_stands(event: Event) -> QuerySet[Participation]:
    """The event's participations not cancelled, those with a stand first by number."""
    return (Participation.objects.filter(event=event)
            .exclude(status=Participation.Status.CANCELLED)
            .select_related("organisation", "stand")
            .order_by(F("stand__number").asc(nulls_first=True), "organisation__name", "pk"))


def participations_visible(user) -> QuerySet[Participation] | None:
    """Staff who handle people see the participations of the events they may see;
    organisation and partner accounts, their own organisation's. Analysts work on
    aggregates: None, their role gives no access."""
    queryset = Participation.objects.select_related(
        "event", "organisation", "organisation__region", "holder", "stand")
    if not can(user, "promotion.read_participations"):
        return None
    if can(user, "core.own_organisation_only"):
        return queryset.filter(organisation=user.organisation_id)
    return queryset.filter(event__in=event_visible(user).values("pk"))


# -- an organisation account's own records ----------------------------------------------------

def application_visible(user) -> QuerySet[Application]:
    """An organisation account's own applications; staff, those of the events they see."""
    queryset = Application.objects.select_related("event", "organisation")
    if can(user, "promotion.apply"):
        return queryset.filter(organisation=user.organisation_id)
    return queryset.filter(event__in=event_visible(user).values("pk"))


def application_get(pk) -> Application | None:
    """An application by id, unscoped: its caller decides who may have it."""
    return Application.objects.select_related("event", "organisation").filter(pk=pk).first()


def own_applications(user) -> QuerySet[Application]:
    return (Application.objects.filter(organisation=user.organisation_id)
            .select_related("event", "event__region", "holder", "participation",
                            "participation__stand", "participation__satisfaction")
            .order_by("-event__start_date", "-pk"))


def own_applications_by_event(user, events) -> dict[int, Application]:
    """The organisation account's application to each of ``events`` (one query)."""
    if not user.organisation_id:
        return {}
    return {a.event_id: a for a in Application.objects.filter(
        organisation=user.organisation_id, event__in=[e.pk for e in events])}


def own_application(user, event: Event) -> Application | None:
    return (Application.objects.select_related("holder")
            .filter(event=event, organisation=user.organisation_id).first())


def own_participation(user, event: Event) -> Participation | None:
    return (Participation.objects.select_related("stand", "holder", "satisfaction")
            .filter(event=event, organisation=user.organisation_id).first())


def has_applied(event: Event, organisation) -> bool:
    return Application.objects.filter(event=event, organisation=organisation).exists()


def event_id_of_badge(code: str) -> int | None:
    """The event a badge code belongs to (the caller then checks access to that event)."""
    return (Participation.objects.filter(badge_code=code)
            .values_list("event_id", flat=True).first())


# -- the home page's cards (essor/promotion/home.py) ------------------------------------------

UNDECIDED = (Application.Status.SUBMITTED, Application.Status.SHORTLISTED,
             Application.Status.WAITLISTED)


def events_with_applications_to_decide(user, *, limit: int = 6) -> list[Event]:
    """Events the user manages (open for applications or in selection) with applications
    waiting for a decision: each with ``submitted``, ``shortlisted``, ``waitlisted`` and
    ``undecided`` (their sum), soonest first. One query."""
    counts = {status.value: Count("applications", filter=Q(applications__status=status))
              for status in UNDECIDED}
    events = (event_visible(user).filter(status__in=[Event.Status.OPEN,
                                                     Event.Status.SELECTION])
              .annotate(undecided=Count("applications",
                                        filter=Q(applications__status__in=UNDECIDED)),
                        **counts)
              .filter(undecided__gt=0).order_by("start_date", "code"))
    return [e for e in events[:limit * 3] if can(user, "promotion.manage_event", e)][:limit]


def events_between(user, first: datetime.date, last: datetime.date) -> QuerySet[Event]:
    """The events the user sees that take place (one day at least) between two dates."""
    return (event_visible(user).filter(start_date__lte=last, end_date__gte=first)
            .order_by("start_date", "code"))


def own_exhibitions(user) -> QuerySet[Participation]:
    """The held events an organisation account exhibited at (attended), latest first."""
    if not can(user, "promotion.apply"):
        return Participation.objects.none()
    return (Participation.objects.exhibitors().filter(organisation=user.organisation_id)
            .select_related("event", "stand").order_by("-event__start_date", "pk"))
