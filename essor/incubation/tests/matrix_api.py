"""Incubation's API in the permission matrix (see essor/core/testing.py).

The incubator is in Casablanca-Settat and the coach persona is one of its coaches: the
Oriental officer does not find its project, holder or session (404); the roles that do
not run incubation (trainer, analyst, partner, organisation account) are refused (403)
before anything is looked up. ``move`` takes POST only (405 to a GET).
"""

import datetime

from essor.core.testing import row

from .factories import HolderFactory, IncubatorFactory, ProjectFactory, SessionFactory

RUNS = {"national_admin": 200, "oriental_officer": 200, "casablanca_officer": 200,
        "coach": 200, "default": 403}
CASA = {"national_admin": 200, "casablanca_officer": 200, "coach": 200,
        "oriental_officer": 404, "default": 403}
# An API creation in the Casablanca-Settat incubator: the Oriental officer names an
# incubator (or a project) they do not run, unknown to them: 400.
CASA_CREATE = {"national_admin": 201, "casablanca_officer": 201, "coach": 201,
               "oriental_officer": 400, "default": 403}

ROWS = {
    "incubator-list": row(anonymous=401, **RUNS),
    "incubator-detail": row(anonymous=401, **CASA),
    "incubation-project-list": row(anonymous=401, **RUNS),
    "incubation-project-detail": row(anonymous=401, **CASA),
    "incubation-project-move": row(anonymous=401, **{**RUNS, **{
        p: 405 for p, status in RUNS.items() if status == 200}}),
    "incubation-holder-list": row(anonymous=401, **RUNS),
    "incubation-holder-detail": row(anonymous=401, **CASA),
    "coaching-session-list": row(anonymous=401, **RUNS),
    "coaching-session-detail": row(anonymous=401, **CASA),
}

WRITES = {
    "incubation-project-list": {"POST": row(anonymous=401, **CASA_CREATE)},
    "incubation-project-detail": {"PATCH": row(anonymous=401, **CASA)},
    "incubation-project-move": {"POST": row(anonymous=401, **CASA)},
    "coaching-session-list": {"POST": row(anonymous=401, **CASA_CREATE)},
    "coaching-session-detail": {"PATCH": row(anonymous=401, **CASA)},
}


def build(ctx) -> dict:
    incubator = IncubatorFactory(region=ctx["casablanca_settat"], code="cira-ess-api",
                                 name="CIRA-ESS Casablanca", coaches=[ctx["coach"]])
    project = ProjectFactory(incubator=incubator, code="INC-CAS-2025-API",
                             title="Coopérative Tiwizi Berrechid")
    holder = HolderFactory(project=project, person__first_name="Meryem",
                           person__last_name="Alaoui")
    session = SessionFactory(project=project, coach=ctx["coach"],
                             date=datetime.date(2025, 4, 10))
    ctx["incubation_api"] = {"project": project, "coach": ctx["coach"]}
    return {"incubator-detail": {"pk": incubator.pk},
            "incubation-project-detail": {"pk": project.pk},
            "incubation-project-move": {"pk": project.pk},
            "incubation-holder-detail": {"pk": holder.pk},
            "coaching-session-detail": {"pk": session.pk}}


def payloads(ctx) -> dict:
    objects = ctx["incubation_api"]
    return {
        ("incubation-project-list", "POST"): {
            "code": "INC-CAS-2026-090", "title": "Coopérative Lalla Mimouna",
            "incubator": "cira-ess-api", "sector": "agriculture", "joined_on": "2025-09-01"},
        ("incubation-project-detail", "PATCH"): {"jobs_women": 2},
        # Dropping needs no milestone: only a reason.
        ("incubation-project-move", "POST"): {"phase": "dropped",
                                              "reason": "Les porteurs ont quitté la région"},
        ("coaching-session-list", "POST"): {"project": objects["project"].pk,
                                            "coach": objects["coach"].pk,
                                            "date": "2025-05-02", "duration_hours": "1.5"},
        ("coaching-session-detail", "PATCH"): {"topics": "Prix de revient"},
    }
