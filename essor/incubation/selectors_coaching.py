"""Reads of coaching sessions: a project's sessions, a coach's agenda and workload, the
overdue next steps. A session's notes are read only where ``incubation.read_notes``
allows (the coaches of the project's incubator): everywhere else they are blanked
before the session leaves this module.

Scope: the national admin reads every incubator; an officer, the incubators of their
regions; a coach, the incubators they coach in (as ``incubation.read`` says). A
project, session or next step outside it is answered as missing (404)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from essor.accounts import permissions
from essor.accounts.models import Role, User
from essor.core.scoping import OutOfScope, filter_by_region, get_in_scope

from .models import CoachingSession, Incubator, NextStep, Project

AGENDA_WEEKS_BACK = 4
AGENDA_WEEKS_AHEAD = 4
WORKLOAD_PERIODS = (30, 90)


class SessionList(list[CoachingSession]):
    """A project's sessions, with whether the reader may record sessions of the project
    (``can_record``: the link to add one, the next steps' buttons)."""

    can_record = False


def sessions_for_project(user, project: Project) -> list[CoachingSession]:
    """The project's sessions, newest first, with their next steps; each with
    ``notes_visible`` set, and ``notes`` blanked where the user may not read them.
    The list's ``can_record`` says whether the user may record sessions of it."""
    visible = permissions.can(user, "incubation.read_notes", project)
    sessions = SessionList(CoachingSession.objects.filter(project=project)
                           .select_related("coach").prefetch_related("next_steps"))
    sessions.can_record = permissions.can(user, "incubation.record_session", project)
    today = timezone.localdate()
    for session in sessions:
        session.notes_visible = visible  # type: ignore[attr-defined]
        if not visible:
            session.notes = ""
        _flag_overdue(session.next_steps.all(), today)
    return sessions


def _flag_overdue(steps, today: datetime.date):
    for step in steps:
        step.overdue = not step.done_on and step.due_on < today
    return steps


# -- scope ------------------------------------------------------------------------------------

def incubators_visible(user) -> QuerySet[Incubator]:
    """The incubators the user runs (see ``permissions._runs_incubator``)."""
    queryset = Incubator.objects.select_related("region")
    if not getattr(user, "is_authenticated", False) \
            or not permissions.can(user, "incubation.read"):
        return queryset.none()
    if permissions.can(user, "incubation.own_incubators_only"):
        return queryset.filter(pk__in=permissions.coached_incubator_ids(user))
    return filter_by_region(queryset, user)


def projects_visible(user) -> QuerySet[Project]:
    return Project.objects.filter(incubator__in=incubators_visible(user).values("pk")) \
        .select_related("incubator", "region")


def sessions_visible(user) -> QuerySet[CoachingSession]:
    return CoachingSession.objects.filter(
        project__incubator__in=incubators_visible(user).values("pk")) \
        .select_related("project", "project__incubator", "coach")


def _hide_notes(user, session: CoachingSession) -> CoachingSession:
    session.notes_visible = permissions.can(  # type: ignore[attr-defined]
        user, "incubation.read_notes", session)
    if not session.notes_visible:  # type: ignore[attr-defined]
        session.notes = ""
    return session


def access_project(user, pk, *, record: bool = False) -> Project:
    """A project of the user's scope (404 otherwise); ``record``: one they may record
    coaching sessions of."""
    project = get_in_scope(projects_visible(user), Project, pk)
    if record and not permissions.can(user, "incubation.record_session", project):
        raise OutOfScope(project)
    return project


def access_session(user, pk, *, write: bool = False) -> CoachingSession:
    """A session of the user's scope, its notes blanked unless the user may read them."""
    session = get_in_scope(sessions_visible(user), CoachingSession, pk)
    if write and not permissions.can(user, "incubation.record_session", session.project):
        raise OutOfScope(session)
    return _hide_notes(user, session)


def access_next_step(user, pk) -> NextStep:
    step = get_in_scope(NextStep.objects.filter(
        session__in=sessions_visible(user).values("pk")).select_related(
        "session", "session__project", "session__project__incubator"), NextStep, pk)
    if not permissions.can(user, "incubation.record_session", step.session.project):
        raise OutOfScope(step)
    return step


def coaches_visible(user) -> QuerySet[User]:
    """The coaches of the incubators the user runs (a coach: their fellow coaches)."""
    return (User.objects.filter(role=Role.COACH, is_active=True,
                                incubators__in=incubators_visible(user).values("pk"))
            .distinct().order_by("last_name", "first_name", "username"))


def access_coach(user, pk) -> User:
    return get_in_scope(coaches_visible(user), User, pk)


# -- next steps -------------------------------------------------------------------------------

def open_next_steps(user, coach, today: datetime.date) -> list[NextStep]:
    """The next steps agreed in ``coach``'s sessions (of the user's scope) and not done
    yet, the most urgent first; each with ``overdue`` set."""
    steps = list(NextStep.objects.filter(
        done_on__isnull=True, session__coach=coach,
        session__in=sessions_visible(user).values("pk"))
        .select_related("session", "session__project").order_by("due_on", "pk"))
    return _flag_overdue(steps, today)


def overdue_next_steps(user, today: datetime.date) -> QuerySet[NextStep]:
    """A coach's next steps past their due date and not done (the home card)."""
    return (NextStep.objects.filter(done_on__isnull=True, due_on__lt=today,
                                    session__coach=user,
                                    session__in=sessions_visible(user).values("pk"))
            .select_related("session", "session__project").order_by("due_on", "pk"))


# -- the agenda -------------------------------------------------------------------------------

def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class Week:
    start: datetime.date
    end: datetime.date
    current: bool
    past: bool
    sessions: list = field(default_factory=list)

    @property
    def hours(self) -> Decimal:
        return sum((s.duration_hours for s in self.sessions), Decimal(0))


def agenda(user, coach, today: datetime.date, start: datetime.date | None = None,
           weeks_back: int = AGENDA_WEEKS_BACK,
           weeks_ahead: int = AGENDA_WEEKS_AHEAD) -> list[Week]:
    """``coach``'s sessions week by week (Monday to Sunday), from ``weeks_back`` weeks
    before the week of ``start`` (today by default) to ``weeks_ahead`` weeks after it.
    Sessions of projects outside the user's scope are left out; notes are never read
    here (the agenda does not show them)."""
    anchor = monday(start or today)
    first = anchor - datetime.timedelta(weeks=weeks_back)
    last = anchor + datetime.timedelta(weeks=weeks_ahead + 1) - datetime.timedelta(days=1)
    this_week = monday(today)
    weeks = [Week(start=first + datetime.timedelta(weeks=n),
                  end=first + datetime.timedelta(weeks=n, days=6),
                  current=first + datetime.timedelta(weeks=n) == this_week,
                  past=first + datetime.timedelta(weeks=n) < this_week)
             for n in range(weeks_back + weeks_ahead + 1)]
    sessions = (sessions_visible(user).filter(coach=coach, date__range=(first, last))
                .defer("notes").prefetch_related("next_steps").order_by("date", "pk"))
    for session in sessions:
        session.notes_visible = False  # type: ignore[attr-defined]
        _flag_overdue(session.next_steps.all(), today)
        weeks[(monday(session.date) - first).days // 7].sessions.append(session)
    return weeks


# -- workload ---------------------------------------------------------------------------------

@dataclass
class Workload:
    coach: User
    projects: int
    sessions: dict[int, int]
    hours: dict[int, Decimal]
    open_steps: int
    overdue_steps: int


def workload(user, today: datetime.date) -> list[Workload]:
    """Per coach of the user's scope: the projects they follow (still in the incubator,
    with at least one session of theirs), their sessions and hours in the last 30 and 90
    days (today included, planned sessions left out), their open and overdue next steps.
    Only sessions of the user's scope count."""
    sessions = sessions_visible(user)
    coaches = list(coaches_visible(user))
    ids = [c.pk for c in coaches]
    aggregates: dict[int, dict[str, Any]] = {}
    for days in WORKLOAD_PERIODS:
        since = today - datetime.timedelta(days=days - 1)
        period = Q(date__gte=since, date__lte=today)
        for row in (sessions.filter(period, coach__in=ids).order_by().values("coach")
                    .annotate(n=Count("id"), hours=Coalesce(Sum("duration_hours"),
                                                             Decimal(0)))):
            aggregates.setdefault(row["coach"], {}).setdefault("sessions", {})[days] = row["n"]
            aggregates[row["coach"]].setdefault("hours", {})[days] = row["hours"]
    for followed in (sessions.filter(coach__in=ids, project__left_on__isnull=True).order_by()
                     .values("coach").annotate(n=Count("project", distinct=True))):
        aggregates.setdefault(followed["coach"], {})["projects"] = followed["n"]
    steps = NextStep.objects.filter(session__in=sessions.values("pk"), done_on__isnull=True,
                                    session__coach__in=ids)
    for counted in (steps.order_by().values("session__coach")
                    .annotate(open=Count("id"),
                              overdue=Count("id", filter=Q(due_on__lt=today)))):
        aggregates.setdefault(counted["session__coach"], {})["steps"] = counted
    rows = []
    for coach in coaches:
        found = aggregates.get(coach.pk, {})
        step_row = found.get("steps", {})
        rows.append(Workload(
            coach=coach, projects=found.get("projects", 0),
            sessions={d: found.get("sessions", {}).get(d, 0) for d in WORKLOAD_PERIODS},
            hours={d: found.get("hours", {}).get(d, Decimal(0)) for d in WORKLOAD_PERIODS},
            open_steps=step_row.get("open", 0), overdue_steps=step_row.get("overdue", 0)))
    return rows
