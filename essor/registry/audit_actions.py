"""The registry's audit codes as sentences, and how its records are named and linked."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from essor.audit.actions import Resolved, describe, objects

from . import selectors
from .models import Membership

PERSON = {"person": "registry.person"}

describe("registry.organisation.created", _("Organisation created"),
         _("%(actor)s created the organisation %(object)s"))
describe("registry.organisation.updated", _("Organisation edited"),
         _("%(actor)s edited the organisation %(object)s"))
describe("registry.person.created", _("Person added"),
         _("%(actor)s added %(object)s to the registry"))
describe("registry.person.updated", _("Person edited"),
         _("%(actor)s edited the record of %(object)s"))
describe("registry.person.viewed", _("National ID shown"),
         _("%(actor)s was shown the national ID of %(object)s"),
         without_object=_("%(actor)s was shown the national IDs of %(people)s"),
         refs={"people": "registry.person"})
describe("registry.person.merged", _("People merged"),
         _("%(actor)s merged another record (#%(dropped_person)s) into %(object)s"))
describe("registry.person.match_dismissed", _("Possible duplicate set aside"),
         _("%(actor)s marked %(object)s and %(other_person)s as different people"),
         refs={"other_person": "registry.person"})
describe("registry.membership.added", _("Member added"),
         _("%(actor)s added %(person)s to %(organisation)s as %(role)s"),
         refs={**PERSON, "organisation": "registry.organisation"})
describe("registry.membership.updated", _("Member's role changed"),
         _("%(actor)s changed the role of %(person)s in %(organisation)s "
           "from %(role_before)s to %(role_after)s"))
describe("registry.membership.removed", _("Member removed"),
         _("%(actor)s removed %(person)s from %(organisation)s"),
         refs={**PERSON, "organisation": "registry.organisation"})
describe("export.organisations", _("Organisations exported"),
         _("%(actor)s exported the list of organisations (%(format)s)"))
describe("export.people", _("People exported"),
         _("%(actor)s exported the list of people (%(format)s)"))
describe("import.organisations", _("Organisations imported"),
         _("%(actor)s imported organisations from %(file)s: %(rows)s rows, %(created)s "
           "created, %(updated)s updated, %(unchanged)s unchanged, %(error_rows)s refused"))
describe("import.people", _("People imported"),
         _("%(actor)s imported people from %(file)s: %(rows)s rows, %(created)s created, "
           "%(updated)s updated, %(unchanged)s unchanged, %(error_rows)s refused"))


@objects("registry.organisation")
def _organisations(user, ids):
    return {o.pk: Resolved(o.local_name, reverse("registry:organisation_detail", args=[o.pk]))
            for o in selectors.organisation_visible(user).filter(pk__in=ids)}


@objects("registry.person")
def _people(user, ids):
    return {p.pk: Resolved(p.local_name, reverse("registry:person_detail", args=[p.pk]))
            for p in selectors.person_visible(user).filter(pk__in=ids)}


@objects("registry.membership")
def _memberships(user, ids):
    memberships = (Membership.objects.filter(
        pk__in=ids, organisation__in=selectors.organisation_visible(user))
        .select_related("person", "organisation"))
    return {m.pk: Resolved(
        f"{m.person.local_name} — {m.organisation.local_name}",
        reverse("registry:organisation_detail", args=[m.organisation_id]),
        {"person": m.person.local_name, "organisation": m.organisation.local_name})
        for m in memberships}
