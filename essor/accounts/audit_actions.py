"""Account codes of the audit log as sentences; users named by their full name."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from essor.accounts.permissions import can
from essor.audit.actions import Resolved, describe, objects

describe("accounts.login", _("Logged in"), _("%(actor)s logged in from %(address)s"))
describe("accounts.login_failed", _("Failed login"),
         _("Failed login as %(actor)s from %(address)s"))
describe("accounts.login_locked", _("Login locked"),
         _("Login as %(actor)s refused from %(address)s: locked after repeated failures"))
describe("accounts.language_changed", _("Language chosen"),
         _("%(actor)s set the language of %(object)s from %(language_before)s to "
           "%(language_after)s"))
describe("accounts.password_changed", _("Password changed"),
         _("%(actor)s changed their password (%(address)s)"))
describe("accounts.password_reset_requested", _("Password reset asked for"),
         _("A password reset e-mail was asked for %(object)s from %(address)s"),
         without_object=_("A password reset was asked for an address that belongs to no "
                          "account, from %(address)s"))
describe("accounts.password_reset_throttled", _("Password reset requests slowed down"),
         _("Too many password reset requests from %(address)s: refused for a while"))
describe("accounts.password_reset", _("Password reset"),
         _("The password of %(object)s was set again through the e-mailed link, "
           "from %(address)s"))


@objects("accounts.user")
def _users(user, ids):
    # Users are managed in the Django admin, by national admins only: no page to link.
    if not can(user, "audit.read"):
        return {}
    return {u.pk: Resolved((u.get_full_name() or "").strip() or u.get_username())
            for u in get_user_model().objects.filter(pk__in=ids)}
