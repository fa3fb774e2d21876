"""Codes of the audit log that no domain app records."""

from django.utils.translation import gettext_lazy as _

from essor.audit.actions import describe

describe("demo.loaded", _("Demo data loaded"), _("The demo data was loaded (%(actor)s)"))
