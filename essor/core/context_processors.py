from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """The parts of essor the user can open, in the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    nav = [(_("Organisations"), reverse("registry:organisation_list"), "registry:organisation")]
    if user.reads_people:
        nav.append((_("People"), reverse("registry:person_list"), "registry:person"))
    if user.edits_registry:
        nav.append((_("Imports"), reverse("core:import_index"), "core:import"))
    if user.is_national:
        nav.append((_("Audit log"), reverse("audit:entry_list"), "audit:"))
    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    return {"nav": [{"label": label, "url": url, "active": current.startswith(prefix)}
                    for label, url, prefix in nav]}
