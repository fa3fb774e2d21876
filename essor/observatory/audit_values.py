"""The collected values' audit codes as sentences, and how a value is named and linked
(loaded by essor/observatory/audit_actions.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from essor.audit.actions import Resolved, describe, objects

from . import collected

describe("observatory.value.created", _("Collected value entered"),
         _("%(actor)s entered %(object)s as a draft"))
describe("observatory.value.updated", _("Collected value edited"),
         _("%(actor)s edited the draft %(object)s"))
describe("observatory.value.deleted", _("Collected value deleted"),
         _("%(actor)s deleted the draft %(value)s"))
describe("observatory.value.submitted", _("Collected value submitted"),
         _("%(actor)s submitted %(object)s for validation"))
describe("observatory.value.validated", _("Collected value validated"),
         _("%(actor)s validated %(object)s (now locked)"))
describe("observatory.value.sent_back", _("Collected value sent back"),
         _("%(actor)s sent %(object)s back to draft: %(reason)s"))
describe("observatory.value.unvalidated", _("Collected value un-validated"),
         _("%(actor)s un-validated %(object)s: %(reason)s"))
describe("observatory.value.commented", _("Collected value commented"),
         _("%(actor)s commented on %(object)s"))
describe("import.observatory_values", _("Collected values imported"),
         _("%(actor)s imported collected values from %(file)s: %(rows)s rows, %(created)s "
           "created, %(updated)s updated, %(unchanged)s unchanged, %(error_rows)s refused"))


@objects("observatory.collectedvalue")
def _values(user, ids):
    found = collected.value_visible(user).filter(pk__in=ids)
    return {v.pk: Resolved(collected.describe(v), reverse(
        "observatory:value_detail", args=[v.observatory.code, v.pk])) for v in found}
