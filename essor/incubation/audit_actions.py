"""Incubation's audit codes as sentences."""

from django.utils.translation import gettext_lazy as _

from essor.audit.actions import describe

describe("incubation.incubator.created", _("Incubator created"),
         _("%(actor)s created the incubator %(object)s"))
describe("incubation.incubator.updated", _("Incubator edited"),
         _("%(actor)s edited the incubator %(object)s"))
describe("incubation.project.created", _("Project added to an incubator"),
         _("%(actor)s added the project %(object)s"))
describe("incubation.project.updated", _("Project edited"),
         _("%(actor)s edited the project %(object)s"))
describe("incubation.project.phase", _("Project moved to another phase"),
         _("%(actor)s moved %(object)s from %(phase_before)s to %(phase_after)s"))
describe("incubation.project.left", _("Project left the incubator"),
         _("%(actor)s recorded that %(object)s left the incubator on %(left_on)s"))
describe("incubation.holder.added", _("Project holder added"),
         _("%(actor)s added a holder to %(object)s"))
describe("incubation.holder.removed", _("Project holder removed"),
         _("%(actor)s removed a holder from %(object)s"))
describe("incubation.milestone.reached", _("Milestone reached"),
         _("%(actor)s recorded the milestone %(milestone)s of %(object)s on %(date)s"))
describe("incubation.milestone.unreached", _("Milestone withdrawn"),
         _("%(actor)s withdrew the milestone %(milestone)s of %(object)s"))
describe("incubation.milestone.required", _("Milestone requirement changed"),
         _("%(actor)s changed whether the milestone %(object)s is required"))
describe("incubation.session.created", _("Coaching session recorded"),
         _("%(actor)s recorded a coaching session of %(object)s on %(date)s"))
describe("incubation.session.updated", _("Coaching session edited"),
         _("%(actor)s edited a coaching session of %(object)s"))
describe("incubation.session.deleted", _("Coaching session deleted"),
         _("%(actor)s deleted a coaching session of %(object)s"))
describe("incubation.next_step.done", _("Next step ticked"),
         _("%(actor)s ticked a next step of %(object)s"))
describe("incubation.follow_up.recorded", _("Follow-up recorded"),
         _("%(actor)s recorded the %(months)s-month follow-up of %(object)s"))

# The calls', the imports' and exports' codes, each in the module of who writes them.
from . import audit_calls, audit_data  # noqa: E402,F401
