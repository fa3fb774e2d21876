"""Imports of incubation: projects, their holders and their coaching sessions.

``projects`` is idempotent on the project's ``code`` (a running pipeline may arrive in
any phase: a phase other than pre-creation on a new project is its first step in the
history; on a stored one the phase moves through ``services.project_move``, with the
checks of the state machine). ``holders`` matches each person by the registry's
duplicate rules (``services.holder_for_project``); ``coaching_sessions`` is idempotent on
the project, the coach and the date. Every write goes through the services.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from essor.accounts import permissions
from essor.core import cleaning
from essor.core.imports import Importer, RowCleaner, RowInvalid, as_row_errors, register
from essor.core.lookups import CodeLookup, Territory
from essor.registry.models import Organisation
from essor.registry.services import person_find_same

from . import services
from .models import CoachingSession, Cohort, Holder, Phase, Project
from .selectors_coaching import incubators_visible, projects_visible

PROJECT_COLUMNS = {"code": "code", "title": "title", "title_ar": "title_ar",
                   "summary": "summary", "incubator": "incubator_code",
                   "cohort": "cohort_code", "sector": "sector", "region": "region",
                   "province": "province", "joined_on": "joined_on", "phase": "phase",
                   "reason": "phase", "date": "phase"}


def _phase(value: str) -> str:
    return cleaning.choice(value, Phase.choices)


def _sector(value: str) -> str:
    return cleaning.choice(value, Organisation.Sector.choices)


class _ProjectLookup:
    """Projects by code among those the importer runs; one it may not see is unknown."""

    def __init__(self, by):
        self.projects = CodeLookup(Project.objects.select_related("incubator", "region")
                                   if by is None else projects_visible(by), "code")

    def __call__(self, value: str) -> Project:
        found = self.projects.get(value)
        if found is None:
            raise cleaning.refused(value, _("unknown project code."))
        return found


# -- projects -------------------------------------------------------------------------------

@register
class ProjectImporter(Importer):
    """Incubated projects by their code. The phase of a new project is its first step in
    the history; a changed phase on a stored project is a move of the state machine."""

    kind = "incubation_projects"
    label = gettext_lazy("Incubated projects")
    columns = ["code", "title", "title_ar", "summary", "incubator_code", "cohort_code",
               "sector", "region", "province", "joined_on", "phase"]
    required = ["code", "title", "incubator_code", "sector", "joined_on"]
    example = [
        {"code": "INC-CAS-2025-001", "title": "Coopérative Nour Argane",
         "title_ar": "تعاونية نور أركان", "summary": "Huile d'argan et cosmétiques",
         "incubator_code": "cira-ess-casablanca", "cohort_code": "cira-cas-2025",
         "sector": "agriculture", "region": "MA-06", "province": "MA-SET",
         "joined_on": "2025-03-03", "phase": "pre_creation"},
        {"code": "INC-OUJ-2024-007", "title": "Atelier Tissage Figuig",
         "incubator_code": "incubateur-ump-oujda", "sector": "crafts", "region": "MA-02",
         "joined_on": "2024-10-07", "phase": "creation"},
    ]

    def __init__(self, *, by):
        super().__init__(by=by)
        self.territory = Territory()
        self.incubators = CodeLookup(incubators_visible(by) if by is not None
                                     else incubators_visible_all(), "code")
        self.cohorts = CodeLookup(Cohort.objects.all(), "code")

    def _incubator(self, value: str):
        found = self.incubators.get(value)
        if found is None:
            raise cleaning.refused(value, _("unknown incubator code."))
        return found

    def _cohort(self, value: str):
        if not value:
            return None
        found = self.cohorts.get(value)
        if found is None:
            raise cleaning.refused(value, _("unknown cohort code."))
        return found

    def clean_row(self, row):
        c = RowCleaner(row)
        incubator = c.take("incubator_code", self._incubator, required=True)
        data = {
            "code": c.take("code", cleaning.code, required=True),
            "title": c.take("title", required=True),
            "title_ar": c.take("title_ar"),
            "summary": c.take("summary"),
            "incubator": incubator,
            "cohort": c.take("cohort_code", self._cohort),
            "sector": c.take("sector", _sector, required=True),
            "region": c.take("region", self.territory.region),
            "joined_on": c.take("joined_on", cleaning.date, required=True),
            "phase": c.take("phase", _phase),
        }
        if data["region"] is None and incubator is not None and not row.get("region"):
            data["region"] = incubator.region
        if data["region"] is not None:
            data["province"] = c.take("province", self.territory.province,
                                      region=data["region"])
        cohort = data["cohort"]
        if cohort is not None and incubator is not None and cohort.incubator_id != incubator.pk:
            c.errors.append(("cohort_code", _("The cohort %(cohort)s is not one of this "
                                              "incubator's.") % {"cohort": cohort.code}))
        c.done()
        return {k: v for k, v in data.items() if v not in ("", None)}

    def write_row(self, cleaned):
        with as_row_errors(PROJECT_COLUMNS, "code", "incubator_code"):
            project = Project.objects.filter(code=cleaned["code"]).first()
            if project is None:
                services.project_create(by=self.by, **cleaned)
                return "created"
            if self.by is not None and not permissions.can(
                    self.by, "incubation.manage_project", project):
                raise RowInvalid([("code", _("This code belongs to a project you cannot "
                                             "manage."))])
            return self._update(project, cleaned)

    def _update(self, project: Project, data: dict) -> str:
        if data["incubator"].pk != project.incubator_id:
            raise RowInvalid([("incubator_code", _(
                "The project %(code)s belongs to the incubator %(incubator)s: a project "
                "keeps its incubator.") % {"code": project.code,
                                           "incubator": project.incubator.code})])
        phase = data.pop("phase", None)
        changes = {}
        for name, value in data.items():
            if name == "incubator":
                continue
            if name in ("region", "province", "cohort"):
                if getattr(project, f"{name}_id") != value.pk:
                    changes[name] = value
            elif getattr(project, name) != value:
                changes[name] = value
        if "region" in changes and "province" not in data and project.province_id:
            changes["province"] = None  # the stored province belongs to the old region
        if changes:
            project = services.project_update(project=project, by=self.by, **changes)
        if phase and phase != project.phase:
            services.project_move(project=project, phase=phase, by=self.by,
                                  reason=_("Phase set by an import."))
            return "updated"
        return "updated" if changes else "unchanged"


def incubators_visible_all():
    from .models import Incubator

    return Incubator.objects.select_related("region")


# -- holders --------------------------------------------------------------------------------

HOLDER_COLUMNS = {"first_name": "first_name", "last_name": "last_name", "sex": "sex",
                  "birth_year": "birth_year", "phone": "phone", "national_id": "national_id",
                  "region": "project_code", "province": "project_code",
                  "person": "project_code"}


@register
class HolderImporter(Importer):
    """A project's holders: each person matched by the duplicate rules (or registered in
    the project's region), then added to the project once (the first is its lead)."""

    kind = "incubation_holders"
    label = gettext_lazy("Holders of incubated projects")
    columns = ["project_code", "first_name", "last_name", "sex", "birth_year", "phone",
               "national_id"]
    required = ["project_code", "first_name", "last_name", "sex"]
    example = [
        {"project_code": "INC-CAS-2025-001", "first_name": "Salma", "last_name": "Bennis",
         "sex": "F", "birth_year": "1996", "phone": "06 62 14 58 30",
         "national_id": "BE456123"},
        {"project_code": "INC-CAS-2025-001", "first_name": "Hamza", "last_name": "Ouazzani",
         "sex": "M", "birth_year": "1994", "phone": "", "national_id": ""},
    ]

    def __init__(self, *, by):
        super().__init__(by=by)
        self.project = _ProjectLookup(by)

    def clean_row(self, row):
        c = RowCleaner(row)
        project = c.take("project_code", self.project, required=True)
        data = {
            "project": project,
            "person": {
                "first_name": c.take("first_name", required=True),
                "last_name": c.take("last_name", required=True),
                "sex": c.take("sex", cleaning.sex, required=True),
                "birth_year": c.take("birth_year", cleaning.year, low=1920),
                "phone": c.take("phone", cleaning.phone),
                "national_id": c.take("national_id", cleaning.national_id),
            },
        }
        c.done()
        return data

    def write_row(self, cleaned):
        project = cleaned["project"]
        person = {k: v for k, v in cleaned["person"].items() if v not in ("", None)}
        default = "national_id" if person.get("national_id") else "last_name"
        with as_row_errors(HOLDER_COLUMNS, default, "project_code"):

            found = person_find_same(national_id=person.get("national_id", ""),
                                     first_name=person["first_name"],
                                     last_name=person["last_name"],
                                     phone=person.get("phone", ""), sex=person["sex"],
                                     birth_year=person.get("birth_year"),
                                     region_id=project.region_id)
            if found is not None and Holder.objects.filter(project=project,
                                                           person=found).exists():
                return "unchanged"  # already a holder: the same row imported again
            services.holder_for_project(project=project, by=self.by, **person)
        return "created"


# -- coaching sessions ----------------------------------------------------------------------

SESSION_COLUMNS = {"project": "project_code", "coach": "coach_username", "date": "date",
                   "duration_hours": "duration_hours", "mode": "mode", "topics": "topics",
                   "notes": "notes"}


def _duration(value: str) -> Decimal | None:
    if not value:
        return None
    try:
        hours = Decimal(value.replace(",", "."))
    except InvalidOperation as exc:
        raise cleaning.refused(value, _("write a number of hours, e.g. 1.5.")) from exc
    if not Decimal("0.5") <= hours <= Decimal("12"):
        raise cleaning.refused(value, _("a session lasts from half an hour to 12 hours."))
    return hours


def _mode(value: str) -> str:
    return cleaning.choice(value, CoachingSession.Mode.choices)


@register
class CoachingSessionImporter(Importer):
    """Coaching sessions, one per project, coach and date: the same row again updates
    the session. Notes are written only by who may read them."""

    kind = "coaching_sessions"
    label = gettext_lazy("Coaching sessions")
    columns = ["project_code", "coach_username", "date", "duration_hours", "mode", "topics",
               "notes"]
    required = ["project_code", "coach_username", "date"]
    example = [
        {"project_code": "INC-CAS-2025-001", "coach_username": "r.elidrissi",
         "date": "2025-04-14", "duration_hours": "1.5", "mode": "on_site",
         "topics": "Plan d'affaires, prix de revient", "notes": ""},
        {"project_code": "INC-CAS-2025-001", "coach_username": "r.elidrissi",
         "date": "2025-05-12", "duration_hours": "2", "mode": "remote",
         "topics": "Statuts de la coopérative", "notes": ""},
    ]

    def __init__(self, *, by):
        super().__init__(by=by)
        self.project = _ProjectLookup(by)
        self.coaches = CodeLookup(get_user_model().objects.filter(role="coach"), "username")

    def _coach(self, value: str):
        found = self.coaches.get(value)
        if found is None:
            raise cleaning.refused(value, _("unknown coach username."))
        return found

    def clean_row(self, row):
        c = RowCleaner(row)
        data = {
            "project": c.take("project_code", self.project, required=True),
            "coach": c.take("coach_username", self._coach, required=True),
            "date": c.take("date", cleaning.date, required=True),
            "duration_hours": c.take("duration_hours", _duration),
            "mode": c.take("mode", _mode),
            "topics": c.take("topics"),
            "notes": c.take("notes"),
        }
        c.done()
        return {k: v for k, v in data.items() if v not in ("", None)}

    def write_row(self, cleaned):
        with as_row_errors(SESSION_COLUMNS, "date", "project_code"):
            session = CoachingSession.objects.filter(
                project=cleaned["project"], coach=cleaned["coach"],
                date=cleaned["date"]).order_by("pk").first()
            if session is None:
                services.session_create(by=self.by, **cleaned)
                return "created"
            data = {k: v for k, v in cleaned.items() if k not in ("project", "coach", "date")}
            if "notes" in data and self.by is not None and not permissions.can(
                    self.by, "incubation.read_notes", session):
                data.pop("notes")
            changes = {k: v for k, v in data.items() if getattr(session, k) != v}
            if not changes:
                return "unchanged"
            services.session_update(session=session, by=self.by, **changes)
            return "updated"

