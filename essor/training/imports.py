"""Imports of workshops and of their attendance sheets.

``workshops`` is idempotent on the workshop's ``code``; ``attendance`` on the workshop and
the person, who is found (or registered) by the registry's duplicate rules in the
workshop's region: the same person in ten rows, whatever the spelling of their national ID
or phone, is one beneficiary with one enrolment per workshop.
"""

from __future__ import annotations

from django.core.validators import validate_slug
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from essor.accounts.models import Role
from essor.core import cleaning, normalise
from essor.core.imports import Importer, RowInvalid, register
from essor.promotion.imports import _as_row_errors, _national_id
from essor.promotion.models import Event
from essor.registry import services as registry_services
from essor.registry.imports import RowCleaner, _validated
from essor.registry.models import validate_phone

from . import selectors, services
from .models import Theme, Workshop

WORKSHOP_COLUMNS = {"code": "code", "title": "title", "theme": "theme", "date": "date",
                    "region": "region", "province": "province", "event": "event_code"}


def _code(value: str) -> str:
    validate_slug(value)
    return value


def _theme(value: str) -> Theme:
    """A theme by its code or its French (or Arabic) name, accents and case ignored."""
    found = Theme.objects.filter(code=value.strip().lower()).first()
    if found is None:
        key = normalise.name_key(value)
        for theme in Theme.objects.all():
            if key in (normalise.name_key(theme.name_fr), normalise.name_key(theme.name_ar)):
                return theme
        raise cleaning.CellError(_("Unknown theme: write the code or the French name of a "
                                   "theme of the catalogue."))
    return found


def _event(value: str) -> Event | None:
    if not value.strip():
        return None
    found = Event.objects.filter(code=value.strip()).first()
    if found is None:
        raise cleaning.CellError(_("Unknown event code."))
    return found


# -- workshops ------------------------------------------------------------------------------

@register
class WorkshopImporter(Importer):
    """Workshops by their code. A workshop whose date has passed is recorded as held (a
    stored one still planned moves to held)."""

    kind = "workshops"
    label = gettext_lazy("Training workshops")
    columns = ["code", "title", "theme", "date", "region", "province", "event_code"]
    required = ["code", "title", "theme", "date", "region"]
    example = [
        {"code": "AT-MA06-2025-001", "title": "Gouvernance des coopératives",
         "theme": "governance", "date": "2025-05-11", "region": "MA-06",
         "province": "MA-SET", "event_code": "MI-2025-SET-01"},
        {"code": "AT-MA02-2025-004", "title": "Vendre en ligne", "theme": "Vente en ligne",
         "date": "2025-10-03", "region": "MA-02", "province": "MA-OUJ", "event_code": ""},
    ]

    def clean_row(self, row):
        c = RowCleaner(row)
        data = {
            "code": c.take("code", _code, required=True),
            "title": c.take("title", required=True),
            "theme": c.take("theme", _theme, required=True),
            "date": c.take("date", cleaning.date, required=True),
            "region": c.take("region", cleaning.region, required=True),
            "event": c.take("event_code", _event),
        }
        if data["region"] is not None:
            data["province"] = c.take("province", cleaning.province, region=data["region"])
        c.done()
        # A blank cell is "not given": the default on a new workshop, no change otherwise.
        return {k: v for k, v in data.items() if v not in ("", None)}

    def write_row(self, cleaned):
        with _as_row_errors(WORKSHOP_COLUMNS, "code", "region"):
            workshop = selectors.workshop_by_code(cleaned["code"])
            if workshop is None:
                services.workshop_create(by=self.by, **cleaned)
                return "created"
            if self.by is not None and not services.can_manage_workshop(self.by, workshop):
                raise RowInvalid([("code", _("This code belongs to a workshop you cannot "
                                             "manage."))])
            return self._update(workshop, cleaned)

    def _update(self, workshop: Workshop, data: dict) -> str:
        changes = {}
        for name, value in data.items():
            if name in ("region", "province", "theme", "event"):
                if getattr(workshop, f"{name}_id") != value.pk:
                    changes[name] = value
            elif getattr(workshop, name) != value:
                changes[name] = value
        if "region" in changes and "province" not in data and workshop.province_id and (
                workshop.province.region_id != changes["region"].pk):
            changes["province"] = None  # the stored province belongs to the old region
        if changes:
            workshop = services.workshop_update(workshop=workshop, by=self.by, **changes)
        if workshop.date < timezone.localdate() and workshop.status == Workshop.Status.PLANNED:
            services.workshop_set_status(workshop=workshop, status=Workshop.Status.HELD,
                                         by=self.by)
            return "updated"
        return "updated" if changes else "unchanged"


# -- attendance -----------------------------------------------------------------------------

PERSON_COLUMNS = {"first_name": "first_name", "last_name": "last_name", "sex": "sex",
                  "birth_year": "birth_year", "phone": "phone", "national_id": "national_id",
                  "region": "workshop_code", "province": "workshop_code"}


def _attended(value: str) -> bool:
    if not value.strip():
        raise cleaning.CellError(_("Write yes or no."))
    return cleaning.boolean(value)


@register
class AttendanceImporter(Importer):
    """Attendance sheets: one row per person per workshop. The person is matched by the
    duplicate rules (or registered in the workshop's region), then enrolled with their
    attendance."""

    kind = "attendance"
    label = gettext_lazy("Workshop attendance")
    columns = ["workshop_code", "first_name", "last_name", "sex", "birth_year", "phone",
               "national_id", "attended"]
    required = ["workshop_code", "first_name", "last_name", "sex", "attended"]
    example = [
        {"workshop_code": "AT-MA06-2025-001", "first_name": "Khadija", "last_name": "Tazi",
         "sex": "F", "birth_year": "1985", "phone": "06 61 23 45 67",
         "national_id": "BK123456", "attended": "yes"},
        {"workshop_code": "AT-MA06-2025-001", "first_name": "Youssef", "last_name": "Amrani",
         "sex": "M", "birth_year": "1992", "phone": "", "national_id": "", "attended": "no"},
    ]

    def __init__(self, *, by):
        super().__init__(by=by)
        self._workshops: dict[str, Workshop | None] = {}

    def _workshop(self, value: str) -> Workshop:
        """The workshop of this code among those the importer may see; one it may not see
        is unknown, as a foreign region's record is everywhere else."""
        if value not in self._workshops:
            workshops = (Workshop.objects.select_related("region") if self.by is None
                         else selectors.workshop_visible(self.by))
            self._workshops[value] = workshops.filter(code=value).first()
        workshop = self._workshops[value]
        if workshop is None:
            raise cleaning.CellError(_("Unknown workshop code."))
        if self.by is not None and not services.can_manage_workshop(self.by, workshop):
            raise cleaning.CellError(_("You cannot manage this workshop."))
        return workshop

    def clean_row(self, row):
        c = RowCleaner(row)
        workshop = c.take("workshop_code", self._workshop, required=True)
        data = {
            "workshop": workshop,
            "person": {
                "first_name": c.take("first_name", required=True),
                "last_name": c.take("last_name", required=True),
                "sex": c.take("sex", cleaning.sex, required=True),
                "birth_year": c.take("birth_year", cleaning.year, low=1920),
                "phone": c.take("phone", _validated(validate_phone)),
                "national_id": c.take("national_id", _national_id),
                "region": workshop.region if workshop is not None else None,
            },
            "attended": c.take("attended", _attended, required=True),
        }
        c.done()
        return data

    def write_row(self, cleaned):
        workshop = cleaned["workshop"]
        # A trainer runs the workshop without holding the registry: the person is matched
        # or registered on the workshop's behalf, as for a walk-in.
        actor = self.by if self.by is None or self.by.role != Role.TRAINER else None
        default = "national_id" if cleaned["person"]["national_id"] else "last_name"
        with _as_row_errors(PERSON_COLUMNS, default, "workshop_code"):
            person, person_outcome = registry_services.person_get_or_create(
                by=actor, **cleaned["person"])
        before = workshop.enrolments.filter(person=person).values_list(
            "attended", "status").first()
        with _as_row_errors({"attended": "attended"}, "attended", "workshop_code"):
            enrolment = services.attendance_record(workshop=workshop, person=person,
                                                   attended=cleaned["attended"], by=self.by)
        if before is None:
            return "created"
        if before != (enrolment.attended, enrolment.status) or person_outcome == "updated":
            return "updated"
        return "unchanged"



