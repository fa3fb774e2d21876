"""Reads for training workshops, scoped to the reader."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from essor.accounts.permissions import can
from essor.core import normalise, numbers
from essor.core.places import is_arabic
from essor.core.scoping import OutOfScope, filter_by_region, get_in_scope
from essor.registry.models import Membership, Person

from .models import Enrolment, Theme, Workshop


def workshop_visible(user) -> QuerySet[Workshop]:
    """Staff of a region see its workshops; a trainer, the workshops they run."""
    queryset = Workshop.objects.select_related("region", "province", "theme", "trainer",
                                               "event")
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if can(user, "training.own_workshops_only"):
        return queryset.filter(trainer=user)
    if can(user, "training.read_workshops"):
        return filter_by_region(queryset, user)
    return queryset.none()


def _count(status_filter: Q):
    return Coalesce(Subquery(
        Enrolment.objects.filter(status_filter, workshop=OuterRef("pk")).order_by()
        .values("workshop").annotate(n=Count("id")).values("n"),
        output_field=IntegerField()), 0)


def workshop_list(*, user, q: str = "", theme: str = "", status: str = "", region: str = "",
                  year: int | None = None, event: int | None = None) -> QuerySet[Workshop]:
    queryset = workshop_visible(user)
    q = normalise.search_text(q)
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(title_ar__icontains=q)
                                   | Q(code__icontains=q) | Q(city__icontains=q))
    if theme:
        queryset = queryset.filter(theme__code=theme)
    if status:
        queryset = queryset.filter(status=status)
    if region:
        queryset = queryset.filter(region__code=region)
    if year:
        queryset = queryset.filter(date__year=year)
    if event:
        queryset = queryset.filter(event_id=event)
    return queryset.annotate(
        enrolled=_count(Q(status=Enrolment.Status.ENROLLED)),
        waitlisted=_count(Q(status=Enrolment.Status.WAITLISTED)),
        attendees=_count(Q(attended=True)),
    ).order_by("-date", "code")


def access_workshop(user, pk, *, write: bool = False) -> Workshop:
    workshop = get_in_scope(workshop_visible(user), Workshop, pk)
    if write and not can(user, "training.manage_workshop", workshop):
        raise OutOfScope(workshop)
    return workshop


def workshop_by_code(code: str) -> Workshop | None:
    return Workshop.objects.filter(code=code.strip()).first()


def enrolment_list(*, workshop: Workshop, status: str = "", q: str = "") -> QuerySet:
    queryset = (Enrolment.objects.filter(workshop=workshop)
                .select_related("person", "person__region"))
    if status:
        queryset = queryset.filter(status=status)
    q = normalise.search_text(q)
    if q:
        queryset = queryset.filter(Q(person__name_key__contains=normalise.name_key(q))
                                   | Q(person__first_name_ar__icontains=q)
                                   | Q(person__last_name_ar__icontains=q))
    return queryset.order_by("person__last_name", "person__first_name", "pk")


ON_THE_SHEET = (Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED)


def sheet_enrolment(*, workshop: Workshop, pk: int) -> Enrolment | None:
    """One name of the workshop's sheet (enrolled or waiting), with its person."""
    return (Enrolment.objects.filter(workshop=workshop, status__in=ON_THE_SHEET, pk=pk)
            .select_related("person").first())


def reader_name_key(person: Person, *, arabic: bool) -> tuple:
    """Last name, then first name, in the reader's script: the Arabic name for a reader
    of Arabic (the Latin one when no Arabic name is recorded), the Latin name otherwise.
    Case-folded with accents and Arabic marks removed (``normalise.name_key``), so that
    the order is the same whatever the database and its collation."""
    last, first = person.last_name, person.first_name
    if arabic:
        last, first = person.last_name_ar or last, person.first_name_ar or first
    return normalise.name_key(last), normalise.name_key(first), person.pk


def attendance_sheet(*, workshop: Workshop, q: str = "",
                     statuses=ON_THE_SHEET) -> list[Enrolment]:
    """The names on a workshop's attendance sheet (web page and paper), sorted by the
    name in the reader's script. Each person comes with ``sheet_memberships`` (their
    organisations, loaded in one query whatever the number of names) so that namesakes
    are told apart by birth year and organisation: see ``person_details``."""
    memberships = Prefetch("person__memberships", to_attr="sheet_memberships",
                           queryset=Membership.objects.select_related("organisation")
                           .order_by("organisation__name", "pk"))
    rows = list(enrolment_list(workshop=workshop, q=q).filter(status__in=statuses)
                .prefetch_related(memberships))
    arabic = is_arabic()
    rows.sort(key=lambda e: reader_name_key(e.person, arabic=arabic))
    return rows


def person_organisations(person: Person) -> list:
    memberships = getattr(person, "sheet_memberships", None)
    if memberships is None:
        memberships = person.memberships.select_related("organisation").order_by(
            "organisation__name", "pk")
    return [m.organisation for m in memberships]


def person_details(person: Person) -> str:
    """What tells two namesakes apart on a sheet: birth year and organisations ("1974,
    Coopérative Nour"), never a masked phone or ID; empty when neither is recorded."""
    parts = [str(person.birth_year)] if person.birth_year else []
    parts += [o.local_name for o in person_organisations(person)]
    return numbers.join_list(parts)


def person_label(person: Person) -> str:
    """The name in the reader's script with its details: "Touda Zerouali (1974,
    Coopérative Nour)"."""
    details = person_details(person)
    return f"{person.local_name} ({details})" if details else person.local_name


def access_enrolment(user, pk, *, write: bool = False) -> Enrolment:
    enrolment = Enrolment.objects.select_related("workshop", "person").filter(pk=pk).first()
    if enrolment is None:
        raise Http404
    access_workshop(user, enrolment.workshop_id, write=write)
    return enrolment


def certificate_by_code(code: str) -> Enrolment | None:
    """The attendance behind a certificate code, for the public verification page."""
    code = normalise.search_text(code, limit=20).upper().replace(" ", "").replace("-", "")
    return (Enrolment.objects.select_related("workshop", "workshop__theme", "person",
                                             "workshop__region")
            .filter(certificate_code=code, attended=True).first())


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.all()


def workshops_open_online(user) -> QuerySet[Workshop]:
    """Planned, upcoming workshops an organisation account may enrol its members in."""
    if not can(user, "training.enrol_online"):
        return Workshop.objects.none()
    return (Workshop.objects.filter(region=user.organisation.region_id,
                                    status=Workshop.Status.PLANNED,
                                    date__gte=timezone.localdate())
            .select_related("theme", "region", "province", "event").order_by("date", "code"))


def online_enrolments(user) -> QuerySet[Enrolment]:
    """The enrolments of an organisation account's members in its region's workshops."""
    if not can(user, "training.enrol_online"):
        return Enrolment.objects.none()
    return (Enrolment.objects.filter(
        person__memberships__organisation=user.organisation_id,
        workshop__region=user.organisation.region_id)
        .select_related("workshop", "person").order_by("-workshop__date", "pk"))


# -- the home page's cards (essor/training/home.py) -------------------------------------------

def workshops_between(user, first, last) -> QuerySet[Workshop]:
    """The workshops the user sees between two dates (cancelled ones aside: none are),
    with ``enrolled`` and ``attendees``, soonest first."""
    return (workshop_visible(user).filter(date__gte=first, date__lte=last)
            .annotate(enrolled=_count(Q(status=Enrolment.Status.ENROLLED)),
                      attendees=_count(Q(attended=True)))
            .order_by("date", "code"))


def next_workshops(user, today, *, limit: int = 5) -> QuerySet[Workshop]:
    """The coming workshops the user sees (a trainer: the ones they run), today's first,
    not yet closed, with ``enrolled`` and ``attendees``."""
    return (workshop_visible(user).filter(date__gte=today)
            .exclude(status=Workshop.Status.CLOSED)
            .annotate(enrolled=_count(Q(status=Enrolment.Status.ENROLLED)),
                      attendees=_count(Q(attended=True)))
            .order_by("date", "code")[:limit])
