"""The audit codes of an observatory's publications (datasets and notes) as sentences,
and how they are named and linked (loaded by essor/observatory/audit_actions.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from essor.audit.actions import Resolved, describe, objects

from . import selectors
from .models import Dataset, ObservatoryNote

describe("observatory.dataset_created", _("Dataset added"),
         _("%(actor)s added the dataset %(object)s"))
describe("observatory.dataset_published", _("Dataset published"),
         _("%(actor)s published the dataset %(object)s as open data"))
describe("observatory.dataset_withdrawn", _("Dataset withdrawn"),
         _("%(actor)s withdrew the dataset %(object)s from the open data"))
describe("observatory.note_created", _("Note written"),
         _("%(actor)s wrote the note %(object)s"))
describe("observatory.note_published", _("Note published"),
         _("%(actor)s published the note %(object)s"))
describe("observatory.observatory_saved", _("Observatory saved"),
         _("%(actor)s saved the observatory %(object)s (regions, host, analysts)"))
describe("export.dashboard", _("Dashboard exported"),
         _("%(actor)s exported the dashboard's figures"))
describe("observatory.note_withdrawn", _("Note withdrawn"),
         _("%(actor)s withdrew the note %(object)s"))


def _resolved(user, model, ids):
    readable = selectors.observatories_for(user)
    found = model.objects.filter(pk__in=ids, observatory__in=readable).select_related(
        "observatory")
    return {item.pk: Resolved(str(item), reverse("observatory:observatory_detail",
                                                 args=[item.observatory.code]))
            for item in found}


@objects("observatory.dataset")
def _datasets(user, ids):
    return _resolved(user, Dataset, ids)


@objects("observatory.observatorynote")
def _notes(user, ids):
    return _resolved(user, ObservatoryNote, ids)
