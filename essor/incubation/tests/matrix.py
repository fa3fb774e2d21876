"""The pipeline board, the incubators' and the projects' pages in the permission matrix
(see essor/core/testing.py).

The incubator is in Casablanca-Settat and the coach persona is one of its coaches: the
Oriental officer does not find its project, holder or incubator (404); the roles that do
not run incubation (trainer, analyst, partner, organisation account) are refused (403)
before anything is looked up; only the national admin manages incubators and the
milestones' checklist.
"""

from essor.core.testing import row
from essor.incubation.models import Milestone

from .factories import HolderFactory, IncubatorFactory, ProjectFactory

RUNS = {"national_admin": 200, "oriental_officer": 200, "casablanca_officer": 200,
        "coach": 200, "default": 403}
CASA_PROJECT = {"national_admin": 200, "casablanca_officer": 200, "coach": 200,
                "oriental_officer": 404, "default": 403}
CASA_WRITE = {"national_admin": 302, "casablanca_officer": 302, "coach": 302,
              "oriental_officer": 404, "default": 403}
ADMIN_ONLY = {"national_admin": 200, "default": 403}
POST_ONLY = row(default=405)

ROWS = {
    "incubation:pipeline": row(**RUNS),
    "incubation:project_move": row(**CASA_PROJECT),
    "incubation:incubator_list": row(**RUNS),
    "incubation:incubator_create": row(**ADMIN_ONLY),
    "incubation:incubator_detail": row(**CASA_PROJECT),
    "incubation:incubator_edit": row(**ADMIN_ONLY),
    "incubation:project_create": row(**RUNS),
    "incubation:project_detail": row(**CASA_PROJECT),
    "incubation:project_edit": row(**CASA_PROJECT),
    "incubation:holder_add": POST_ONLY,
    "incubation:holder_remove": POST_ONLY,
    "incubation:milestone_reach": POST_ONLY,
    "incubation:milestone_required": POST_ONLY,
    "incubation:project_organisation": POST_ONLY,
    "incubation:project_outcomes": row(**CASA_PROJECT),
    "incubation:follow_up": row(**CASA_PROJECT),
    "incubation:project_leave": POST_ONLY,
}

WRITES = {
    # Empty forms: their errors, 200, for who may write there.
    "incubation:project_move": {"POST": row(**CASA_PROJECT)},
    "incubation:incubator_create": {"POST": row(**ADMIN_ONLY)},
    "incubation:incubator_edit": {"POST": row(**ADMIN_ONLY)},
    "incubation:project_create": {"POST": row(**RUNS)},
    "incubation:project_edit": {"POST": row(**CASA_PROJECT)},
    "incubation:project_outcomes": {"POST": row(**CASA_PROJECT)},
    "incubation:follow_up": {"POST": row(**CASA_PROJECT)},
    # Buttons: a message and back to the project's page (refused or done).
    "incubation:holder_add": {"POST": row(**CASA_WRITE)},
    "incubation:holder_remove": {"POST": row(**CASA_WRITE)},
    "incubation:milestone_reach": {"POST": row(**CASA_WRITE)},
    "incubation:milestone_required": {"POST": row(national_admin=302, default=403)},
    "incubation:project_organisation": {"POST": row(**CASA_WRITE)},
    "incubation:project_leave": {"POST": row(**CASA_WRITE)},
}


def build(ctx) -> dict:
    incubator = IncubatorFactory(region=ctx["casablanca_settat"], name="CIRA-ESS Ain Sebaa",
                                 coaches=[ctx["coach"]])
    project = ProjectFactory(incubator=incubator, title="Coopérative Zellige Médiouna")
    holder = HolderFactory(project=project, person__first_name="Salma",
                           person__last_name="Bennani")
    milestone = Milestone.objects.get(code="market_study")
    return {"incubation:project_move": {"pk": project.pk},
            "incubation:incubator_detail": {"pk": incubator.pk},
            "incubation:incubator_edit": {"pk": incubator.pk},
            "incubation:project_detail": {"pk": project.pk},
            "incubation:project_edit": {"pk": project.pk},
            "incubation:holder_add": {"pk": project.pk},
            "incubation:holder_remove": {"pk": holder.pk},
            "incubation:milestone_reach": {"pk": project.pk, "milestone": milestone.pk},
            "incubation:milestone_required": {"pk": milestone.pk},
            "incubation:project_organisation": {"pk": project.pk},
            "incubation:project_outcomes": {"pk": project.pk},
            "incubation:follow_up": {"pk": project.pk},
            "incubation:project_leave": {"pk": project.pk}}
