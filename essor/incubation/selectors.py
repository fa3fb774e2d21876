"""Reads of incubation's pages: the incubators a user runs, the pipeline board, an
incubator's page and a project's page. Scope as in ``selectors_coaching`` (whose
``incubators_visible`` and ``projects_visible`` these build on): the national admin
reads every incubator, an officer those of their regions, a coach those they coach in;
anything else is answered as missing (404).

Coaching sessions and their notes are read by ``selectors_coaching`` only."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from essor.accounts import permissions
from essor.accounts.models import Role, User
from essor.core.scoping import OutOfScope, get_in_scope
from essor.registry.models import Organisation

from . import services
from .models import (
    PHASE_ORDER,
    Cohort,
    Holder,
    Incubator,
    Milestone,
    MilestoneReached,
    Phase,
    PhaseChange,
    Project,
)
from .selectors_coaching import incubators_visible, projects_visible

__all__ = ["incubators_visible", "projects_visible"]

# Kinds of organisations that host an incubator, and that a project becomes.
HOST_KINDS = [Organisation.Kind.UNIVERSITY, Organisation.Kind.FACULTY,
              Organisation.Kind.PUBLIC_BODY, Organisation.Kind.FOUNDATION,
              Organisation.Kind.ASSOCIATION, Organisation.Kind.REGIONAL_COUNCIL]
OUTCOME_KINDS = [Organisation.Kind.COOPERATIVE, Organisation.Kind.ASSOCIATION,
                 Organisation.Kind.MUTUAL, Organisation.Kind.ESS_ENTERPRISE]

# A project "in the incubator": not dropped, and not left after its extension.
IN_INCUBATOR = Q(left_on__isnull=True) & ~Q(phase=Phase.DROPPED)


# -- incubators -------------------------------------------------------------------------------

def incubator_list(user) -> QuerySet[Incubator]:
    """The incubators the user runs, with their host, coaches and how many projects each
    coaches now (``occupancy``) and ever took in (``projects_total``)."""
    return (incubators_visible(user).select_related("host")
            .prefetch_related(Prefetch("coaches", queryset=User.objects.order_by(
                "last_name", "first_name", "username")))
            .annotate(occupancy=Count("projects", filter=Q(projects__left_on__isnull=True)
                                      & ~Q(projects__phase=Phase.DROPPED)),
                      projects_total=Count("projects"))
            .order_by("name", "pk"))


def access_incubator(user, pk) -> Incubator:
    return get_in_scope(incubator_list(user), Incubator, pk)


@dataclass
class PhaseCount:
    phase: str
    label: str
    count: int


def phase_counts(projects: QuerySet[Project]) -> list[PhaseCount]:
    """Projects per phase (those still in the incubator), then the dropped and the left
    ones (after their extension); one query."""
    found = projects.aggregate(
        **{str(p): Count("id", filter=Q(phase=p, left_on__isnull=True)) for p in PHASE_ORDER},
        dropped=Count("id", filter=Q(phase=Phase.DROPPED)),
        left=Count("id", filter=Q(left_on__isnull=False) & ~Q(phase=Phase.DROPPED)))
    return ([PhaseCount(str(p), str(p.label), found[str(p)]) for p in PHASE_ORDER]
            + [PhaseCount("dropped", str(Phase.DROPPED.label), found["dropped"]),
               PhaseCount("left", "", found["left"])])


def incubator_page(incubator: Incubator) -> dict:
    """What the incubator's page shows beside the incubator itself: its projects per
    phase and its cohorts, each with its projects' count."""
    projects = Project.objects.filter(incubator=incubator)
    cohorts = list(incubator.cohorts.annotate(
        projects_count=Count("projects"),
        active=Count("projects", filter=Q(projects__left_on__isnull=True)
                     & ~Q(projects__phase=Phase.DROPPED))).order_by("-starts_on", "code"))
    return {"phases": phase_counts(projects), "cohorts": cohorts}


def coaches_offered() -> QuerySet[User]:
    """The users an incubator may take as coaches: active users with the coach role."""
    return User.objects.filter(role=Role.COACH, is_active=True).order_by(
        "last_name", "first_name", "username")


def hosts_offered(user) -> QuerySet[Organisation]:
    return (Organisation.objects.filter(kind__in=HOST_KINDS).select_related("region")
            .order_by("name", "pk"))


# -- the pipeline board -----------------------------------------------------------------------

@dataclass
class Column:
    phase: str
    label: str
    cards: list = field(default_factory=list)


@dataclass
class Board:
    columns: list[Column]
    dropped: int
    left: int

    @property
    def total(self) -> int:
        return sum(len(c.cards) for c in self.columns)


def moves_of(project: Project) -> list[dict]:
    """The phases ``project`` may be moved to from the board or its page, each with
    whether the move needs a reason (the next phase first)."""
    here = project.phase
    targets = [str(p) for p in PHASE_ORDER] + [str(Phase.DROPPED)]
    moves = [{"phase": p, "label": services.phase_label(p),
              "kind": services.transition_kind(here, p),
              "needs_reason": services.needs_reason(here, p)} for p in targets if p != here]
    moves.sort(key=lambda m: m["kind"] != "forward")
    return moves


def _missing_by_project(projects: Sequence[Project]) -> dict[int, list[Milestone]]:
    """Per project, the required milestones it lacks to enter its next phase (two
    queries for the whole board)."""
    required = list(Milestone.objects.filter(required=True).order_by("order", "code"))
    if not required or not projects:
        return {}
    reached: dict[int, set[int]] = {}
    for project_id, milestone_id in MilestoneReached.objects.filter(
            project__in=[p.pk for p in projects],
            milestone__in=[m.pk for m in required]).values_list("project_id", "milestone_id"):
        reached.setdefault(project_id, set()).add(milestone_id)
    names = [str(p) for p in PHASE_ORDER]
    missing = {}
    for project in projects:
        if project.phase not in names:
            continue
        before = names[:names.index(project.phase) + 1]
        missing[project.pk] = [m for m in required if m.phase in before
                               and m.pk not in reached.get(project.pk, set())]
    return missing


def board(user, *, incubator: Incubator | None = None, cohort: Cohort | None = None,
          today: datetime.date | None = None) -> Board:
    """The projects in the incubators the user runs, per phase, with on each card its
    holders' count, days in the phase, the required milestones missing before the next
    phase and the moves it may make. Dropped and left projects are counted, not shown."""
    today = today or timezone.localdate()
    projects = projects_visible(user).select_related("cohort")
    if incubator is not None:
        projects = projects.filter(incubator=incubator)
    if cohort is not None:
        projects = projects.filter(cohort=cohort)
    gone = projects.aggregate(dropped=Count("id", filter=Q(phase=Phase.DROPPED)),
                              left=Count("id", filter=Q(left_on__isnull=False)
                                         & ~Q(phase=Phase.DROPPED)))
    cards = list(projects.filter(IN_INCUBATOR).annotate(holders_count=Count("holders"))
                 .order_by("phase_since", "title", "pk"))
    missing = _missing_by_project(cards)
    columns = {str(p): Column(str(p), str(p.label)) for p in PHASE_ORDER}
    for project in cards:
        project.days_in_phase = (today - project.phase_since).days  # type: ignore[attr-defined]
        project.missing = missing.get(project.pk, [])  # type: ignore[attr-defined]
        project.moves = moves_of(project)  # type: ignore[attr-defined]
        columns[project.phase].cards.append(project)
    return Board(columns=list(columns.values()), dropped=gone["dropped"], left=gone["left"])


def cohorts_visible(user) -> QuerySet[Cohort]:
    return (Cohort.objects.filter(incubator__in=incubators_visible(user).values("pk"))
            .select_related("incubator").order_by("incubator__name", "-starts_on", "code"))


# -- a project's page -------------------------------------------------------------------------

def project_detail_queryset(user) -> QuerySet[Project]:
    return (projects_visible(user)
            .select_related("incubator__host", "cohort", "province", "organisation")
            .prefetch_related(
                Prefetch("holders", queryset=Holder.objects.select_related(
                    "person", "person__region").order_by("-lead", "pk")),
                Prefetch("phase_changes", queryset=PhaseChange.objects.select_related("by")
                         .order_by("date", "pk")),
                "follow_ups"))


def access_project(user, pk, *, write: bool = False) -> Project:
    """A project of the user's scope, with its holders, history and follow-ups (404
    otherwise); ``write``: one they may manage."""
    project = get_in_scope(project_detail_queryset(user), Project, pk)
    if write and not permissions.can(user, "incubation.manage_project", project):
        raise OutOfScope(project)
    return project


def holders_visible(user) -> QuerySet[Holder]:
    """The holders of the projects of the user's scope, with their person and project."""
    return Holder.objects.filter(project__in=projects_visible(user).values("pk")
                                 ).select_related("person", "project", "project__incubator")


def access_holder(user, pk) -> Holder:
    holder = get_in_scope(holders_visible(user), Holder, pk)
    if not permissions.can(user, "incubation.manage_project", holder.project):
        raise OutOfScope(holder)
    return holder


@dataclass
class ChecklistPhase:
    phase: str
    label: str
    current: bool
    items: list = field(default_factory=list)


def checklist(project: Project) -> list[ChecklistPhase]:
    """The milestones of every phase, each with ``done`` (the MilestoneReached or
    None); two queries."""
    reached = {r.milestone_id: r for r in MilestoneReached.objects.filter(project=project)}
    phases = {str(p): ChecklistPhase(str(p), str(p.label), project.phase == p)
              for p in PHASE_ORDER}
    for milestone in Milestone.objects.order_by("order", "code"):
        milestone.done = reached.get(milestone.pk)  # type: ignore[attr-defined]
        phases[milestone.phase].items.append(milestone)
    return list(phases.values())


def follow_ups_of(project: Project) -> list[dict]:
    """The 12- and 24-month follow-ups (recorded or not), with the date each is due."""
    recorded = {f.months: f for f in project.follow_ups.all()}
    rows = []
    for months in (12, 24):
        due = None
        if project.left_on:
            year, month = divmod(project.left_on.month - 1 + months, 12)
            try:
                due = project.left_on.replace(year=project.left_on.year + year,
                                              month=month + 1)
            except ValueError:  # the 29th-31st of a shorter month
                due = project.left_on.replace(year=project.left_on.year + year,
                                              month=month + 1, day=28)
        rows.append({"months": months, "record": recorded.get(months), "due": due})
    return rows


def next_project_code(incubator: Incubator, year: int) -> str:
    """The next free code of the incubator's projects of ``year``:
    ``<incubator>-2025-007``."""
    prefix = f"{incubator.code}-{year}-"
    taken = set(Project.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"
