"""Imports of incubation: projects, their holders and their coaching sessions.

``incubation_projects`` is idempotent on the project's ``code``. A running pipeline may
arrive in any phase: on a new project the phase (and ``phase_date``, the day it entered
it) is its first step in the history; on a stored one a changed phase is a move of the
state machine (``services.project_move``), with its checks: one step forward needs
nothing more, skipping a phase, going back, dropping or taking a dropped project back
needs the ``reason`` column, and the milestones required before the phase must be
reached. ``incubation_holders`` matches each person by the registry's duplicate rules
(``services.holder_for_project``); ``coaching_sessions`` is idempotent on the project,
the coach and the date, and takes notes only from who may read them (the coaches of the
project's incubator). Every code is looked up within the importer's scope (an incubator,
project, cohort or coach they do not run answers as unknown); every write goes through
the services.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from essor.accounts import permissions
from essor.core import cleaning, normalise
from essor.core.imports import Importer, RowCleaner, RowInvalid, as_row_errors, register
from essor.core.lookups import CodeLookup, Territory
from essor.core.scoping import in_scope
from essor.registry.models import Organisation
from essor.registry.services import person_find_same

from . import services
from .models import CoachingSession, Cohort, Holder, Incubator, Phase, Project
from .selectors_coaching import coaches_visible, incubators_visible, projects_visible

# The services' fields → the file's columns (for their refusals).
PROJECT_COLUMNS = {"code": "code", "title": "title", "title_ar": "title_ar",
                   "summary": "summary", "incubator": "incubator_code",
                   "cohort": "cohort_code", "sector": "sector", "region": "region",
                   "province": "province", "joined_on": "joined_on", "phase": "phase",
                   "phase_since": "phase_date", "left_on": "phase_date"}
MOVE_COLUMNS = {"phase": "phase", "reason": "reason", "date": "phase_date"}


def _key(value: str) -> str:
    return normalise.name_key(value.replace("_", " "))


_NAMES: dict[type, dict[str, str]] = {}


def _choice(value: str, choices: type[models.Choices]) -> str:
    """A choice by its code or its label in French, Arabic or English, whatever the case,
    accents, hyphens and underscores (``pre_creation``, ``Pré-création``, ``Artisanat``)."""
    names = _NAMES.get(choices)
    if names is None:  # the labels in the three languages, read once
        names = {}
        for key, label in choices.choices:
            names[_key(str(key))] = key
            for language in ("en", "ar", "fr"):
                with translation.override(language):
                    names.setdefault(_key(str(label)), key)
        _NAMES[choices] = names
    found = names.get(_key(value))
    if found is None:
        return cleaning.choice(value, choices.choices)  # refused, naming the codes allowed
    return found


def _optional(convert):
    """``convert`` for a cell that may be left blank (None then)."""
    def take(value: str, **kwargs):
        return convert(value, **kwargs) if value else None
    return take


def _phase(value: str) -> str:
    return _choice(value, Phase)


def _sector(value: str) -> str:
    return _choice(value, Organisation.Sector)


def _visible_incubators(by):
    return Incubator.objects.select_related("region") if by is None \
        else incubators_visible(by)


class _Lookup:
    """Records by code among those the importer runs: one they may not see is unknown,
    as another region's record is everywhere else."""

    def __init__(self, queryset, message: str, field: str = "code"):
        self.records = CodeLookup(queryset, field)
        self.message = message

    def prefetch(self, values) -> None:
        self.records.prefetch(values)

    def __call__(self, value: str):
        if not value:
            return None
        found = self.records.get(value)
        if found is None:
            raise cleaning.refused(value, self.message)
        return found


def _projects(by) -> _Lookup:
    queryset = Project.objects.select_related("incubator", "region") if by is None \
        else projects_visible(by)
    return _Lookup(queryset, _("unknown project code."))


def _writes_region(by, region) -> bool:
    """Whether ``by`` may place a record in ``region``: essor itself and the coaches (who
    run their incubators whatever the region) always; staff within their regions."""
    return by is None or permissions.can(by, "incubation.own_incubators_only") \
        or in_scope(by, region.pk)


# -- projects -------------------------------------------------------------------------------

@register
class ProjectImporter(Importer):
    """Incubated projects by their code. The phase of a new project is its first step in
    the history; a changed phase on a stored project is a move of the state machine."""

    kind = "incubation_projects"
    label = gettext_lazy("Incubated projects")
    columns = ["code", "title", "title_ar", "summary", "incubator_code", "cohort_code",
               "sector", "region", "province", "joined_on", "phase", "phase_date", "reason"]
    required = ["code", "title", "incubator_code", "sector", "joined_on"]
    example = [
        {"code": "INC-CAS-2025-001", "title": "Coopérative Nour Argane",
         "title_ar": "تعاونية نور أركان", "summary": "Huile d'argan et cosmétiques",
         "incubator_code": "cira-ess-casablanca", "cohort_code": "cira-cas-2025",
         "sector": "argan", "region": "MA-06", "province": "MA-SET",
         "joined_on": "2025-03-03", "phase": "pre_creation"},
        {"code": "INC-OUJ-2024-007", "title": "Atelier Tissage Figuig",
         "incubator_code": "incubateur-ump-oujda", "sector": "crafts", "region": "MA-02",
         "joined_on": "2024-10-07", "phase": "development", "phase_date": "2025-06-02",
         "reason": "Statuts déposés avant l'entrée à l'incubateur"},
    ]

    def __init__(self, *, by):
        super().__init__(by=by)
        self.territory = Territory()
        visible = _visible_incubators(by)
        self.incubator = _Lookup(visible, _("unknown incubator code."))
        self.cohort = _Lookup(Cohort.objects.filter(incubator__in=visible.values("pk")),
                              _("unknown cohort code."))

    def clean_rows(self, rows):
        self.incubator.prefetch(values.get("incubator_code", "") for _n, values in rows)
        self.cohort.prefetch(values.get("cohort_code", "") for _n, values in rows)
        return super().clean_rows(rows)

    def clean_row(self, row):
        c = RowCleaner(row)
        incubator = c.take("incubator_code", self.incubator, required=True)
        data = {
            "code": c.take("code", cleaning.code, required=True),
            "title": c.take("title", required=True),
            "title_ar": c.take("title_ar"),
            "summary": c.take("summary"),
            "incubator": incubator,
            "cohort": c.take("cohort_code", self.cohort),
            "sector": c.take("sector", _sector, required=True),
            "region": c.take("region", _optional(self.territory.region)),
            "joined_on": c.take("joined_on", cleaning.date, required=True),
            "phase": c.take("phase", _optional(_phase)),
            "phase_date": c.take("phase_date", _optional(cleaning.date)),
            "reason": c.take("reason"),
        }
        region = data["region"]
        if region is not None and not _writes_region(self.by, region):
            c.errors.append(("region", _("This region is outside your scope.")))
        # A blank region is the incubator's on a new project (no change on a stored one):
        # the province is checked against it.
        around = region or (incubator.region if incubator is not None else None)
        if around is not None:
            data["province"] = c.take("province", _optional(self.territory.province),
                                      region=around)
        cohort = data["cohort"]
        if cohort is not None and incubator is not None and cohort.incubator_id != incubator.pk:
            c.errors.append(("cohort_code", _("The cohort %(cohort)s is not one of this "
                                              "incubator's.") % {"cohort": cohort.code}))
        c.done()
        # A blank cell is "not given": the default on a new project, no change otherwise.
        return {k: v for k, v in data.items() if v not in ("", None)}

    def write_row(self, cleaned):
        with as_row_errors(PROJECT_COLUMNS, "code", "incubator_code"):
            project = Project.objects.filter(code=cleaned["code"]).first()
            if project is None:
                self._create(cleaned)
                return "created"
            if self.by is not None and not permissions.can(
                    self.by, "incubation.manage_project", project):
                raise RowInvalid([("code", _("This code belongs to a project you cannot "
                                             "manage."))])
            return self._update(project, cleaned)

    def _create(self, data: dict) -> Project:
        data = dict(data)
        data.pop("reason", None)
        data.setdefault("region", data["incubator"].region)
        phase = data.setdefault("phase", Phase.PRE_CREATION)
        since: datetime.date = data.pop("phase_date", None) or data["joined_on"]
        if since < data["joined_on"] or since > timezone.localdate():
            raise RowInvalid([("phase_date", _(
                "The date %(date)s is not between the day the project joined the incubator "
                "(%(joined)s) and today.") % {"date": since.isoformat(),
                                               "joined": data["joined_on"].isoformat()})])
        if phase == Phase.DROPPED:
            data["left_on"] = since  # a dropped project has left the incubator
        return services.project_create(by=self.by, phase_since=since, **data)

    def _update(self, project: Project, data: dict) -> str:
        if data["incubator"].pk != project.incubator_id:
            raise RowInvalid([("incubator_code", _(
                "The project %(code)s belongs to the incubator %(incubator)s: a project "
                "keeps its incubator.") % {"code": project.code,
                                           "incubator": project.incubator.code})])
        move = {"phase": data.get("phase"), "reason": data.get("reason", ""),
                "date": data.get("phase_date")}
        changes = {}
        for name, value in data.items():
            if name in ("incubator", "phase", "phase_date", "reason"):
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
        if move["phase"] and move["phase"] != project.phase:
            with as_row_errors(MOVE_COLUMNS, "phase", "code"):
                services.project_move(project=project, by=self.by, **move)
            return "updated"
        return "updated" if changes else "unchanged"


# -- holders --------------------------------------------------------------------------------

HOLDER_COLUMNS = {"first_name": "first_name", "last_name": "last_name",
                  "first_name_ar": "first_name_ar", "last_name_ar": "last_name_ar",
                  "sex": "sex", "birth_year": "birth_year", "disability": "disability",
                  "phone": "phone", "national_id": "national_id",
                  "region": "project_code", "province": "project_code",
                  "person": "project_code"}


@register
class HolderImporter(Importer):
    """A project's holders: each person matched by the duplicate rules (or registered in
    the project's region), then added to the project once (the first is its lead)."""

    kind = "incubation_holders"
    label = gettext_lazy("Holders of incubated projects")
    columns = ["project_code", "first_name", "last_name", "first_name_ar", "last_name_ar",
               "sex", "birth_year", "disability", "phone", "national_id"]
    required = ["project_code", "first_name", "last_name", "sex"]
    example = [
        {"project_code": "INC-CAS-2025-001", "first_name": "Salma", "last_name": "Bennis",
         "first_name_ar": "سلمى", "last_name_ar": "بنيس", "sex": "F", "birth_year": "1996",
         "disability": "no", "phone": "06 62 14 58 30", "national_id": "BE456123"},
        {"project_code": "INC-CAS-2025-001", "first_name": "Hamza", "last_name": "Ouazzani",
         "sex": "M", "birth_year": "1994", "disability": "yes", "phone": "",
         "national_id": ""},
    ]

    def __init__(self, *, by):
        super().__init__(by=by)
        self.project = _projects(by)

    def clean_rows(self, rows):
        self.project.prefetch(values.get("project_code", "") for _n, values in rows)
        return super().clean_rows(rows)

    def clean_row(self, row):
        c = RowCleaner(row)
        project = c.take("project_code", self.project, required=True)
        data = {
            "project": project,
            "person": {
                "first_name": c.take("first_name", required=True),
                "last_name": c.take("last_name", required=True),
                "first_name_ar": c.take("first_name_ar"),
                "last_name_ar": c.take("last_name_ar"),
                "sex": c.take("sex", cleaning.sex, required=True),
                "birth_year": c.take("birth_year", cleaning.year, low=1920),
                "disability": c.take("disability", cleaning.boolean),
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
        with as_row_errors(HOLDER_COLUMNS, default, default):
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
HALF_HOUR = Decimal("0.5")


def _duration(value: str) -> Decimal | None:
    """Hours by half hours, typed ``1.5`` or ``1,5``; from half an hour to 12 hours."""
    if not value:
        return None
    try:
        hours = Decimal(value.replace(",", "."))
        if not hours.is_finite() or hours % HALF_HOUR:
            raise InvalidOperation
    except InvalidOperation as exc:
        raise cleaning.refused(value, _("give the duration in hours, by half hours (1, "
                                        "1.5, 2…).")) from exc
    if not HALF_HOUR <= hours <= Decimal("12"):
        raise cleaning.refused(value, _("a session lasts from half an hour to 12 hours."))
    return hours


def _mode(value: str) -> str:
    return _choice(value, CoachingSession.Mode)


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
        self.project = _projects(by)
        coaches = get_user_model().objects.filter(role="coach") if by is None \
            else coaches_visible(by)
        self.coach = _Lookup(coaches, _("unknown coach username."), field="username")

    def clean_rows(self, rows):
        self.project.prefetch(values.get("project_code", "") for _n, values in rows)
        self.coach.prefetch(values.get("coach_username", "") for _n, values in rows)
        return super().clean_rows(rows)

    def clean_row(self, row):
        c = RowCleaner(row)
        data = {
            "project": c.take("project_code", self.project, required=True),
            "coach": c.take("coach_username", self.coach, required=True),
            "date": c.take("date", cleaning.date, required=True),
            "duration_hours": c.take("duration_hours", _duration),
            "mode": c.take("mode", _optional(_mode)),
            "topics": c.take("topics"),
            "notes": c.take("notes"),
        }
        project = data["project"]
        if data["notes"] and project is not None and self.by is not None \
                and not permissions.can(self.by, "incubation.read_notes", project):
            c.errors.append(("notes", _("Only the coaches of the project's incubator write "
                                        "its sessions' notes: leave this column empty.")))
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
            changes = {k: v for k, v in data.items() if getattr(session, k) != v}
            if not changes:
                return "unchanged"
            services.session_update(session=session, by=self.by, **changes)
            return "updated"
