"""The audit app's own codes: refused accesses and exports of the log."""

from django.utils.translation import gettext_lazy as _

from essor.audit.actions import describe


def _refused(changes):
    if changes.get("reason") == "scope":
        return _("%(actor)s was refused access to %(object)s, outside their regions (%(path)s)")
    return _("%(actor)s was refused a page their role may not open: %(path)s")


describe("access.refused", _("Access refused"), _refused)
describe("audit.exported", _("Audit log exported"),
         _("%(actor)s exported %(rows)s entries of the audit log (%(format)s)"))
