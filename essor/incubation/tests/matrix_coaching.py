"""The coaching pages in the permission matrix (see essor/core/testing.py).

The incubator is in Casablanca-Settat and the coach persona is one of its coaches: the
Oriental officer does not find its project, session or next step (404); the roles that
do not run incubation (trainer, analyst, partner, organisation account) are refused
(403) before anything is looked up.
"""

import datetime

from essor.core.testing import row

from .factories import IncubatorFactory, ProjectFactory, SessionFactory

RUNS = {"national_admin": 200, "oriental_officer": 200, "casablanca_officer": 200,
        "coach": 200, "default": 403}
CASA_PROJECT = {"national_admin": 200, "casablanca_officer": 200, "coach": 200,
                "oriental_officer": 404, "default": 403}
CASA_WRITE = {"national_admin": 302, "casablanca_officer": 302, "coach": 302,
              "oriental_officer": 404, "default": 403}
POST_ONLY = row(default=405)

ROWS = {
    "incubation:session_new": row(**CASA_PROJECT),
    "incubation:session_edit": row(**CASA_PROJECT),
    "incubation:session_delete": POST_ONLY,
    "incubation:next_step_done": POST_ONLY,
    "incubation:agenda": row(**RUNS),
    "incubation:workload": row(**RUNS),
}

WRITES = {
    # Empty forms: their errors, 200, for who may record a session of the project.
    "incubation:session_new": {"POST": row(**CASA_PROJECT)},
    "incubation:session_edit": {"POST": row(**CASA_PROJECT)},
    "incubation:session_delete": {"POST": row(**CASA_WRITE)},
    "incubation:next_step_done": {"POST": row(**CASA_WRITE)},
}


def build(ctx) -> dict:
    incubator = IncubatorFactory(region=ctx["casablanca_settat"], name="CIRA-ESS Casablanca",
                                 coaches=[ctx["coach"]])
    project = ProjectFactory(incubator=incubator, title="Coopérative Argan Chaouia")
    session = SessionFactory(project=project, coach=ctx["coach"],
                             date=datetime.date(2025, 4, 10))
    step = session.next_steps.create(text="Finaliser le plan d'affaires",
                                     due_on=datetime.date(2025, 5, 10))
    return {"incubation:session_new": {"pk": project.pk},
            "incubation:session_edit": {"pk": session.pk},
            "incubation:session_delete": {"pk": session.pk},
            "incubation:next_step_done": {"pk": step.pk}}
