"""Incubation's indicators: incubators, the projects they coach and their holders, coaching
hours, organisations and jobs created, survival, days spent in each phase and the
conversion from one phase to the next.

One definition each (DESIGN.md, "Indicator definitions"): a project is *in the incubators
in the period* when it had joined by the period's end and had not left before its start
(``joined_on <= to`` and ``left_on`` empty or ``>= from``); its *phase* is the one it was
in at the end of the period (its current phase for a period reaching today), read from
its dated history; its *holder* for the sex and age band of a project is its lead holder
(the first recorded when none is marked lead), so that a project with a woman and a man
among its holders counts once, by its lead holder; *young* is under 35 in the year the
project joined.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from essor.observatory.catalogue import activity, indicator, person, share

from .models import (
    PHASE_ORDER,
    CoachingSession,
    FollowUp,
    Holder,
    Incubator,
    MilestoneReached,
    PhaseChange,
    Project,
)

LEGAL_CREATION = "legal_creation"  # the milestone dating an organisation's creation

PROJECT_SOURCES = ("incubation.Project", "incubation.Holder", "incubation.PhaseChange",
                   "incubation.Cohort", "incubation.Incubator", "registry.Person")

# A project's own attributes (and its lead holder's) are the record's; its region and
# province the activity's. Counting records, every breakdown sums to the total.
PROJECT_BREAKDOWNS = {
    "phase": person("phase_then"),
    "cohort": person("cohort"),
    "incubator": person("incubator"),
    "sector": person("sector"),
    "sex": person("lead_sex"),
    "age_band": person("lead_birth_year"),
    "region": activity("region"),
    "province": activity("province"),
}
PROJECT_PLACE: dict[str, Any] = {"region": "region", "province": "province", "date": "joined_on"}


class DaysBetween(Func):
    """The days from the date ``start`` to the date ``end`` (a whole number)."""

    output_field = IntegerField()
    arg_joiner = " - "
    template = "(%(expressions)s)"  # PostgreSQL: date - date is a number of days

    def __init__(self, end: Any, start: Any) -> None:
        super().__init__(end, start)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, arg_joiner=") - julianday(",
                           template="CAST(julianday(%(expressions)s) AS INTEGER)", **extra)


def in_incubators(queryset: QuerySet[Any], date_from: datetime.date | None,
                  date_to: datetime.date | None, prefix: str = "") -> QuerySet[Any]:
    """The records of the projects in the incubators at some point of the period (joined
    by its end, not left before its start); ``prefix`` is the lookup to the project."""
    if date_to:
        queryset = queryset.filter(**{f"{prefix}joined_on__lte": date_to})
    if date_from:
        queryset = queryset.filter(Q(**{f"{prefix}left_on__isnull": True})
                                   | Q(**{f"{prefix}left_on__gte": date_from}))
    return queryset


def _lead(path: str) -> Subquery:
    """``path`` (``person__sex``) of a project's lead holder (the first recorded when
    none is marked lead)."""
    holders = Holder.objects.filter(project=OuterRef("pk")).order_by("-lead", "pk")
    return Subquery(holders.values(path)[:1])


def projects_in_period(*, date_from: datetime.date | None = None,
                       date_to: datetime.date | None = None) -> QuerySet[Project]:
    """The projects in the incubators in the period, each with its phase at the period's
    end (``phase_then``) and its lead holder's sex and birth year."""
    phase_then: Any = F("phase")
    if date_to is not None:
        history = (PhaseChange.objects.filter(project=OuterRef("pk"), date__lte=date_to)
                   .order_by("-date", "-pk").values("to_phase")[:1])
        phase_then = Coalesce(Subquery(history), F("phase"), output_field=CharField())
    return in_incubators(Project.objects.all(), date_from, date_to).alias(
        phase_then=phase_then,
        lead_sex=_lead("person__sex"),
        lead_birth_year=_lead("person__birth_year"))


@indicator("incubation.incubators", name=_("Incubators"),
           definition=_("Incubators open by the end of the period (opened on or before "
                        "it, or with no opening date recorded)."),
           unit="count", region="region", province="province",
           breakdowns={"region": activity("region"), "province": activity("province")},
           sources=("incubation.Incubator",))
def incubators(*, date_from: datetime.date | None = None,
               date_to: datetime.date | None = None) -> QuerySet[Incubator]:
    queryset = Incubator.objects.all()
    if date_to:
        queryset = queryset.filter(Q(opened_on__isnull=True) | Q(opened_on__lte=date_to))
    return queryset


# The projects and the jobs they created share one function: measured together.
@indicator("incubation.projects", name=_("Incubated projects"),
           definition=_("Projects in the incubators at some point of the period: joined "
                        "by its end and not left before its start. By phase: the phase "
                        "each was in at the end of the period (its current phase for a "
                        "period reaching today). By sex and age band: those of the "
                        "project's lead holder, so that a project with a woman and a man "
                        "among its holders counts once; the age band in the year the "
                        "project joined."),
           unit="count", breakdowns=PROJECT_BREAKDOWNS, sources=PROJECT_SOURCES,
           **PROJECT_PLACE)
def projects(*, date_from: datetime.date | None = None,
             date_to: datetime.date | None = None) -> QuerySet[Project]:
    # Annotated, not aliased: the total of a sum is an aggregate over it.
    return projects_in_period(date_from=date_from, date_to=date_to).annotate(
        jobs=F("jobs_women") + F("jobs_men"))


JOBS: dict[str, Any] = {"unit": "count", "breakdowns": PROJECT_BREAKDOWNS, "sources": PROJECT_SOURCES,
        **PROJECT_PLACE}
indicator("incubation.jobs_created", name=_("Jobs created by incubated projects"),
          definition=_("Jobs created (women's and men's, as last recorded on each project) "
                       "by the projects in the incubators in the period. The jobs held by "
                       "women and by men are its two companion figures, "
                       "incubation.jobs_created_women and incubation.jobs_created_men: the "
                       "sex of a job is not an attribute of the project."),
          total="jobs", **JOBS)(projects)
indicator("incubation.jobs_created_women", name=_("Jobs created for women"),
          definition=_("Jobs held by women created by the projects in the incubators in the "
                       "period, as last recorded on each project."),
          total="jobs_women", **JOBS)(projects)
indicator("incubation.jobs_created_men", name=_("Jobs created for men"),
          definition=_("Jobs held by men created by the projects in the incubators in the "
                       "period, as last recorded on each project."),
          total="jobs_men", **JOBS)(projects)


@indicator("incubation.holders", name=_("Project holders"),
           definition=_("Distinct people (after duplicate merging) holding a project in "
                        "the incubators in the period; the age band in the year their "
                        "first such project joined."),
           unit="people", distinct="person", region="project__region",
           province="project__province", date="project__joined_on",
           breakdowns={"sex": person("person__sex"),
                       "age_band": person("person__birth_year"),
                       "disability": person("person__disability"),
                       "region": activity("project__region"),
                       "province": activity("project__province"),
                       "incubator": activity("project__incubator"),
                       "cohort": activity("project__cohort")},
           sources=PROJECT_SOURCES)
def holders(*, date_from: datetime.date | None = None,
            date_to: datetime.date | None = None) -> QuerySet[Holder]:
    return in_incubators(Holder.objects.all(), date_from, date_to, prefix="project__")


@indicator("incubation.coaching_hours", name=_("Coaching hours"),
           definition=_("Hours of the coaching sessions dated within the period (their "
                        "recorded durations, summed)."),
           unit="hours", total="duration_hours", region="project__region",
           province="project__province", date="date",
           breakdowns={"incubator": activity("project__incubator"),
                       "cohort": activity("project__cohort"),
                       "region": activity("project__region"),
                       "province": activity("project__province"),
                       "mode": activity("mode")},
           sources=("incubation.CoachingSession", "incubation.Project", "incubation.Cohort",
                    "incubation.Incubator"))
def coaching_hours(*, date_from: datetime.date | None = None,
                   date_to: datetime.date | None = None) -> QuerySet[CoachingSession]:
    queryset = CoachingSession.objects.all()
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    return queryset


@indicator("incubation.organisations_created", name=_("Organisations created"),
           definition=_("Incubated projects linked to the registry organisation they "
                        "became, created in the period: dated by the project's legal "
                        "creation milestone, or, when it is not ticked, by the project's "
                        "first entry into the creation phase (a linked project with "
                        "neither date is not counted)."),
           unit="count", breakdowns={**PROJECT_BREAKDOWNS,
                                     "organisation_kind": person("organisation__kind")},
           sources=(*PROJECT_SOURCES, "incubation.MilestoneReached",
                    "registry.Organisation"),
           region="region", province="province", date="created_on")
def organisations_created(*, date_from: datetime.date | None = None,
                          date_to: datetime.date | None = None) -> QuerySet[Project]:
    legal = (MilestoneReached.objects.filter(project=OuterRef("pk"),
                                             milestone__code=LEGAL_CREATION)
             .values("date")[:1])
    creation = (PhaseChange.objects.filter(project=OuterRef("pk"), to_phase="creation")
                .order_by("date", "pk").values("date")[:1])
    queryset = (projects_in_period().filter(organisation__isnull=False)
                .alias(created_on=Coalesce(Subquery(legal), Subquery(creation),
                                           output_field=DateField()))
                .filter(created_on__isnull=False))
    if date_from:
        queryset = queryset.filter(created_on__gte=date_from)
    if date_to:
        queryset = queryset.filter(created_on__lte=date_to)
    return queryset


FOLLOW_UPS: dict[str, Any] = {"unit": "count", "region": "project__region", "province": "project__province",
              "date": "date",
              "breakdowns": {"incubator": activity("project__incubator"),
                             "cohort": activity("project__cohort"),
                             "sector": person("project__sector"),
                             "region": activity("project__region"),
                             "province": activity("project__province")},
              "sources": ("incubation.FollowUp", "incubation.Project", "incubation.Cohort",
                          "incubation.Incubator")}


@indicator("incubation.follow_ups_12m", name=_("Projects followed up 12 months after leaving"),
           definition=_("Projects whose follow-up 12 months after leaving the incubator "
                        "was recorded, dated within the period."), **FOLLOW_UPS)
def follow_ups_12m(*, date_from: datetime.date | None = None,
                   date_to: datetime.date | None = None) -> QuerySet[FollowUp]:
    queryset = FollowUp.objects.filter(months=FollowUp.Months.TWELVE)
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    return queryset


indicator("incubation.active_12m", name=_("Projects still active 12 months after leaving"),
          definition=_("Projects found still active at their follow-up 12 months after "
                       "leaving the incubator, dated within the period."),
          condition=Q(active=True), **FOLLOW_UPS)(follow_ups_12m)
share("incubation.survival_12m", name=_("Survival at 12 months"),
      definition=_("Projects still active at their 12-month follow-up among the projects "
                   "whose 12-month follow-up was recorded in the period."),
      numerator="incubation.active_12m", denominator="incubation.follow_ups_12m")


# -- the phases -----------------------------------------------------------------------------

PHASE_BREAKDOWNS = {"phase": person("to_phase"),
                    "incubator": activity("project__incubator"),
                    "cohort": activity("project__cohort"),
                    "sector": activity("project__sector"),
                    "region": activity("project__region"),
                    "province": activity("project__province")}
PHASE_SOURCES = ("incubation.PhaseChange", "incubation.Project", "incubation.Cohort",
                 "incubation.Incubator")


def _rank(path: str) -> Case:
    """A phase's place in the order (pre-creation 0 … extension 3; dropped none)."""
    return Case(*(When(**{path: phase}, then=Value(i)) for i, phase in enumerate(PHASE_ORDER)),
                default=None, output_field=IntegerField())


@indicator("incubation.phase_days_median", name=_("Median days spent in a phase"),
           definition=_("The median number of days projects stayed in a phase before their "
                        "next phase change (to the next phase, back, or dropped), over the "
                        "stays in pre-creation, creation, development and extension that "
                        "ended within the period, read from the projects' dated history; "
                        "stays not yet ended are not counted. By phase: the phase stayed "
                        "in."),
           unit="days", median="days", date="left_phase_on", region="project__region",
           province="project__province", breakdowns=PHASE_BREAKDOWNS,
           sources=PHASE_SOURCES)
def phase_stays(*, date_from: datetime.date | None = None,
                date_to: datetime.date | None = None) -> QuerySet[PhaseChange]:
    following = (PhaseChange.objects.filter(project=OuterRef("project"))
                 .filter(Q(date__gt=OuterRef("date"))
                         | Q(date=OuterRef("date"), pk__gt=OuterRef("pk")))
                 .order_by("date", "pk").values("date")[:1])
    queryset = (PhaseChange.objects.filter(to_phase__in=PHASE_ORDER)
                .alias(left_phase_on=Subquery(following, output_field=DateField()))
                .filter(left_phase_on__isnull=False)
                .alias(days=DaysBetween(F("left_phase_on"), F("date"))))
    if date_from:
        queryset = queryset.filter(left_phase_on__gte=date_from)
    if date_to:
        queryset = queryset.filter(left_phase_on__lte=date_to)
    return queryset


@indicator("incubation.phase_entries", name=_("Projects entering a phase"),
           definition=_("Projects that entered pre-creation, creation or development in the "
                        "period (a project entering two phases counts in each phase's "
                        "row)."),
           unit="count", distinct="project", date="date", region="project__region",
           province="project__province", breakdowns=PHASE_BREAKDOWNS, sources=PHASE_SOURCES)
def phase_entries(*, date_from: datetime.date | None = None,
                  date_to: datetime.date | None = None) -> QuerySet[PhaseChange]:
    later = (PhaseChange.objects.filter(project=OuterRef("project"), date__gte=OuterRef("date"))
             .exclude(pk=OuterRef("pk"))
             .alias(rank=_rank("to_phase")).filter(rank__gt=OuterRef("entered_rank")))
    queryset = (PhaseChange.objects.filter(to_phase__in=PHASE_ORDER[:-1])
                .alias(entered_rank=_rank("to_phase"))
                .alias(went_on=Exists(later)))
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    return queryset


indicator("incubation.phase_entries_went_on", name=_("Projects that went on to a later phase"),
          definition=_("Projects that entered pre-creation, creation or development in the "
                       "period and later entered a further phase of the order (the next "
                       "one, or one beyond it after a recorded skip), by now."),
          unit="count", distinct="project", date="date", region="project__region",
          province="project__province", breakdowns=PHASE_BREAKDOWNS, sources=PHASE_SOURCES,
          condition=Q(went_on=True))(phase_entries)
share("incubation.phase_conversion", name=_("Conversion from phase to phase"),
      definition=_("Among the projects that entered a phase in the period, the share that "
                   "later entered a further phase (by phase: pre-creation, the share that "
                   "went on to creation; creation, to development; development, to "
                   "extension)."),
      numerator="incubation.phase_entries_went_on", denominator="incubation.phase_entries")
