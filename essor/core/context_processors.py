from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from essor.accounts.models import Role


def navigation(request):
    """The parts of essor the user can open, in the navigation bar."""
    user = getattr(request, "user", None)
    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    if user is None or not user.is_authenticated:
        # The public pages: upcoming fairs and markets.
        url = reverse("promotion:public_event_list")
        return {"nav": [{"label": _("Upcoming fairs and markets"), "url": url,
                         "active": current.startswith("promotion:public")}]}
    nav = [(_("Organisations"), reverse("registry:organisation_list"), "registry:organisation")]
    if user.role != Role.PARTNER:
        # Staff roles and organisation accounts (which apply to exhibit).
        nav.append((_("Events"), reverse("promotion:event_list"), "promotion:"))
    if user.role in (Role.NATIONAL_ADMIN, Role.REGIONAL_OFFICER, Role.TRAINER, Role.ANALYST,
                     Role.COACH):
        nav.append((_("Workshops"), reverse("training:workshop_list"), "training:"))
    elif user.role == Role.ORGANISATION:
        nav.append((_("Workshops"), reverse("training:online"), "training:"))
    if user.reads_people:
        nav.append((_("People"), reverse("registry:person_list"), "registry:person"))
    if user.edits_registry:
        nav.append((_("Imports"), reverse("core:import_index"), "core:import"))
    if user.is_national:
        nav.append((_("Audit log"), reverse("audit:entry_list"), "audit:"))
    return {"nav": [{"label": label, "url": url, "active": current.startswith(prefix)}
                    for label, url, prefix in nav]}
