"""Audit codes of the imports and exports of incubation."""

from django.utils.translation import gettext_lazy as _

from essor.audit.actions import describe

describe("export.incubation_projects", _("Incubated projects exported"),
         _("%(actor)s exported the list of incubated projects (%(format)s)"))
describe("export.incubation_holders", _("Project holders exported"),
         _("%(actor)s exported the holders of incubated projects (%(format)s)"))
describe("export.coaching_sessions", _("Coaching sessions exported"),
         _("%(actor)s exported coaching sessions (%(format)s)"))
describe("import.incubation_projects", _("Incubated projects imported"),
         _("%(actor)s imported incubated projects from %(file)s: %(rows)s rows, %(created)s "
           "created, %(updated)s updated, %(unchanged)s unchanged, %(error_rows)s refused"))
describe("import.incubation_holders", _("Project holders imported"),
         _("%(actor)s imported project holders from %(file)s: %(rows)s rows, %(created)s "
           "created, %(updated)s updated, %(unchanged)s unchanged, %(error_rows)s refused"))
describe("import.coaching_sessions", _("Coaching sessions imported"),
         _("%(actor)s imported coaching sessions from %(file)s: %(rows)s rows, %(created)s "
           "created, %(updated)s updated, %(unchanged)s unchanged, %(error_rows)s refused"))
