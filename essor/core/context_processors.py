from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from essor.accounts.permissions import can


def navigation(request):
    """The parts of essor the user can open, in the navigation bar."""
    user = getattr(request, "user", None)
    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    if user is None or not user.is_authenticated:
        # The public pages: upcoming fairs and markets.
        url = reverse("promotion:public_event_list")
        return {"nav": [{"label": _("Upcoming fairs and markets"), "url": url,
                         "active": current.startswith("promotion:public")},
                        {"label": _("Calls for projects"),
                         "url": reverse("incubation:public_calls"),
                         "active": current.startswith("incubation:public")},
                        {"label": _("Open data"), "url": reverse("open:index"),
                         "active": current.startswith("open:")}]}
    nav = [(_("Organisations"), reverse("registry:organisation_list"), "registry:organisation")]
    if can(user, "promotion.browse_events"):
        nav.append((_("Events"), reverse("promotion:event_list"), "promotion:"))
    if can(user, "training.read_workshops"):
        nav.append((_("Workshops"), reverse("training:workshop_list"), "training:"))
    elif can(user, "training.enrol_online"):
        nav.append((_("Workshops"), reverse("training:online"), "training:"))
    if can(user, "incubation.read"):
        nav.append((_("Incubation"), reverse("incubation:pipeline"), "incubation:"))
    # The figures: the dashboard for those who read it (it links the training figures),
    # the training figures for the others who read them.
    if can(user, "observatory.read_dashboards"):
        nav.append((_("Dashboard"), reverse("observatory:dashboard"),
                    "observatory:|training:figures"))
    elif can(user, "training.read_figures"):
        nav.append((_("Training figures"), reverse("training:figures"), "training:figures"))
    if can(user, "registry.read_people"):
        nav.append((_("People"), reverse("registry:person_list"), "registry:person"))
    if can(user, "core.import"):
        nav.append((_("Imports"), reverse("core:import_index"), "core:import"))
    if can(user, "audit.read"):
        nav.append((_("Audit log"), reverse("audit:entry_list"), "audit:"))
    # The longest prefix that matches is the active entry ("training:figures" over
    # "training:"); an entry may have several ("|"-separated).
    active = max((prefix for _label, _url, prefixes in nav for prefix in prefixes.split("|")
                  if current.startswith(prefix)), key=len, default=None)
    return {"nav": [{"label": label, "url": url, "active": active in prefixes.split("|")}
                    for label, url, prefixes in nav]}
