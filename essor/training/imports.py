"""Imports of workshops and of their attendance sheets.

``workshops`` is idempotent on the workshop's ``code``; ``attendance`` on the workshop and
the person, who is found (or registered) by the registry's duplicate rules in the
workshop's region: the same person in ten rows, whatever the spelling of their national ID
or phone, is one beneficiary with one enrolment per workshop.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from essor.accounts import permissions
from essor.audit import services as audit
from essor.audit.models import AuditEntry
from essor.core import cleaning, normalise
from essor.core.imports import Importer, RowCleaner, RowInvalid, as_row_errors, register
from essor.core.lookups import CodeLookup, Territory
from essor.core.scoping import in_scope
from essor.observatory.cache import bump
from essor.promotion.imports import event_lookup
from essor.registry.imports import PersonBatch

from . import selectors, services
from .models import CODE_ALPHABET, Enrolment, Theme, Workshop

WORKSHOP_COLUMNS = {"code": "code", "title": "title", "theme": "theme", "date": "date",
                    "region": "region", "province": "province", "event": "event_code",
                    "city": "city", "city_ar": "city_ar", "venue": "venue",
                    "venue_ar": "venue_ar"}


class Themes:
    """Themes by their code or their French (or Arabic) name, accents and case ignored:
    the catalogue is small, loaded once per import."""

    def __init__(self):
        self.table: dict[str, Theme] = {}
        for theme in Theme.objects.all():
            self.table[theme.code] = theme
            for name in (theme.name_fr, theme.name_ar):
                self.table.setdefault("name:" + normalise.name_key(name), theme)

    def __call__(self, value: str) -> Theme:
        found = (self.table.get(value.strip().lower())
                 or self.table.get("name:" + normalise.name_key(value)))
        if found is None:
            raise cleaning.refused(value, _("unknown theme: write the code or the French "
                                            "name of a theme of the catalogue."))
        return found


# -- workshops ------------------------------------------------------------------------------

@register
class WorkshopImporter(Importer):
    """Workshops by their code. A workshop whose date has passed is recorded as held (a
    stored one still planned moves to held)."""

    kind = "workshops"
    label = gettext_lazy("Training workshops")
    columns = ["code", "title", "theme", "date", "region", "province", "event_code", "city",
               "city_ar", "venue", "venue_ar"]
    required = ["code", "title", "theme", "date", "region"]
    example = [
        {"code": "AT-MA06-2025-001", "title": "Gouvernance des coopératives",
         "theme": "governance", "date": "2025-05-11", "region": "MA-06",
         "province": "MA-SET", "event_code": "MI-2025-SET-01", "city": "Settat",
         "city_ar": "سطات", "venue": "Place Hassan II", "venue_ar": "ساحة الحسن الثاني"},
        {"code": "AT-MA02-2025-004", "title": "Vendre en ligne", "theme": "Vente en ligne",
         "date": "2025-10-03", "region": "MA-02", "province": "MA-OUJ", "event_code": ""},
    ]

    def __init__(self, *, by):
        super().__init__(by=by)
        self.territory = Territory()
        self.themes = Themes()
        self.events = event_lookup(by)

    def _event(self, value: str):
        """The event of this code among those the importer may see."""
        if not value:
            return None
        found = self.events.get(value)
        if found is None:
            raise cleaning.refused(value, _("unknown event code."))
        return found

    def clean_rows(self, rows):
        self.events.prefetch(values.get("event_code", "") for _n, values in rows)
        return super().clean_rows(rows)

    def clean_row(self, row):
        c = RowCleaner(row)
        data = {
            "code": c.take("code", cleaning.code, required=True),
            "title": c.take("title", required=True),
            "theme": c.take("theme", self.themes, required=True),
            "date": c.take("date", cleaning.date, required=True),
            "region": c.take("region", self.territory.region, required=True),
            "event": c.take("event_code", self._event),
            "city": c.take("city"),
            "city_ar": c.take("city_ar"),
            "venue": c.take("venue"),
            "venue_ar": c.take("venue_ar"),
        }
        if data["region"] is not None:
            data["province"] = c.take("province", self.territory.province,
                                      region=data["region"])
            if self.by is not None and not in_scope(self.by, data["region"].pk):
                c.errors.append(("region", _("This region is outside your scope.")))
        c.done()
        # A blank cell is "not given": the default on a new workshop, no change otherwise.
        return {k: v for k, v in data.items() if v not in ("", None)}

    def write_row(self, cleaned):
        with as_row_errors(WORKSHOP_COLUMNS, "code", "region"):
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

def certificate_codes(count: int):
    """``count`` certificate codes as ``models.certificate_code`` draws them (10 letters of
    ``CODE_ALPHABET``, uniformly), from one call to the system's random source."""
    size = len(CODE_ALPHABET)
    limit = 256 - 256 % size  # bytes at or above it would favour the first letters
    pending: list[str] = []
    while True:
        for byte in secrets.token_bytes(max(count, 1) * 12):
            if byte < limit:
                pending.append(CODE_ALPHABET[byte % size])
                if len(pending) == 10:
                    yield "".join(pending)
                    pending = []


PERSON_COLUMNS = {"first_name": "first_name", "last_name": "last_name", "sex": "sex",
                  "birth_year": "birth_year", "phone": "phone", "national_id": "national_id",
                  "region": "workshop_code", "province": "workshop_code",
                  "person": "workshop_code"}


def _attended(value: str) -> bool:
    if not value.strip():
        raise cleaning.CellError(_("Write yes or no."))
    return cleaning.boolean(value)


@register
class AttendanceImporter(Importer):
    """Attendance sheets: one row per person per workshop. The person is matched by the
    duplicate rules (or registered in the workshop's region), then enrolled with their
    attendance.

    A chunk is written in a constant number of queries: its people through
    ``PersonBatch``, its enrolments read together and written with one bulk insert and
    one bulk update; the import's audit entry counts the rows, and each person new to the
    registry has their own entry. The rules are the services' (``training.services
    .person_for_workshop`` and ``attendance_record``), applied to the chunk."""

    kind = "attendance"
    chunk_size = 2_000  # half the lookups of 1,000 (PostgreSQL scans enrolments by person)
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
        workshops = (Workshop.objects.select_related("region") if by is None
                     else selectors.workshop_visible(by))
        self.workshops = CodeLookup(workshops, "code")
        self.managed: dict[int, bool] = {}
        # A trainer runs the workshop without holding the registry: the person is matched
        # or registered on the workshop's behalf, as for a walk-in.
        self.trainer = by is not None and not permissions.can(by, "registry.edit_person")
        self.actor = None if self.trainer else by

    def _workshop(self, value: str) -> Workshop:
        """The workshop of this code among those the importer may see; one it may not see
        is unknown, as a foreign region's record is everywhere else."""
        workshop = self.workshops.get(value)
        if workshop is None:
            raise cleaning.refused(value, _("unknown workshop code."))
        if workshop.pk not in self.managed:
            self.managed[workshop.pk] = (self.by is None
                                         or services.can_manage_workshop(self.by, workshop))
        if not self.managed[workshop.pk]:
            raise cleaning.refused(value, _("you cannot manage this workshop."))
        return workshop

    def clean_rows(self, rows):
        self.workshops.prefetch(values.get("workshop_code", "") for _n, values in rows)
        return super().clean_rows(rows)

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
                "phone": c.take("phone", cleaning.phone),
                "national_id": c.take("national_id", cleaning.national_id),
                "region": workshop.region if workshop is not None else None,
            },
            "attended": c.take("attended", _attended, required=True),
        }
        c.done()
        return data

    # -- one row at a time (the fallback) --------------------------------------------------

    def write_row(self, cleaned):
        workshop = cleaned["workshop"]
        default = "national_id" if cleaned["person"]["national_id"] else "last_name"
        with as_row_errors(PERSON_COLUMNS, default, "workshop_code"):
            person, person_outcome = services.person_for_workshop(
                workshop=workshop, by=self.by, **cleaned["person"])
        before = workshop.enrolments.filter(person=person).values_list(
            "attended", "status").first()
        with as_row_errors({"attended": "attended", "person": default}, "attended",
                           "workshop_code"):
            enrolment = services.attendance_record(workshop=workshop, person=person,
                                                   attended=cleaned["attended"], by=self.by)
        if before is None:
            return "created"
        if before != (enrolment.attended, enrolment.status) or person_outcome == "updated":
            return "updated"
        return "unchanged"

    # -- a chunk at a time -----------------------------------------------------------------

    def write_rows(self, cleaned):
        try:
            with transaction.atomic():
                return self._write_chunk(cleaned)
        except IntegrityError:  # written meanwhile by someone else: one row at a time
            return super().write_rows(cleaned)

    def _person_error(self, row, exc: Exception) -> RowInvalid:
        default = "national_id" if row["person"]["national_id"] else "last_name"
        try:
            with as_row_errors(PERSON_COLUMNS, default, "workshop_code"):
                raise exc
        except RowInvalid as invalid:
            return invalid

    def _write_chunk(self, cleaned):
        people = PersonBatch(by=self.actor).resolve([row["person"] for row in cleaned])
        outcomes: list = [None] * len(cleaned)
        pairs = {}
        for i, (row, found) in enumerate(zip(cleaned, people, strict=True)):
            if isinstance(found, Exception):
                outcomes[i] = self._person_error(row, found)
                continue
            person, person_outcome = found
            workshop = row["workshop"]
            try:
                if self.trainer and person.region_id != workshop.region_id:
                    raise ValidationError(_(
                        "This person is already registered in another region. Ask the "
                        "national administration to check the record."),
                        code="duplicate_person_elsewhere")
                services.check_workshop_person(workshop, person)
            except (ValidationError, PermissionDenied) as exc:
                outcomes[i] = self._person_error(row, exc)
                continue
            pairs[i] = (workshop, person, person_outcome)
        stored = {}
        known = {p.pk for _w, p, o in pairs.values() if o != "created"}
        if known:  # people new to the registry have no enrolment yet
            # By person only: with the workshops too, SQLite walks the workshops' index
            # (60 ms for 1,000 rows instead of 7); a person's other enrolments are few.
            workshops = {w.pk for w, _p, _o in pairs.values()}
            query = Enrolment.objects.filter(person_id__in=known).values_list(
                "pk", "workshop_id", "person_id", "attended", "status")
            stored = {(w, p): (pk, a, st) for pk, w, p, a, st in query if w in workshops}
        new: dict[tuple[int, int], Enrolment] = {}
        codes = certificate_codes(len(pairs))
        changed: dict[int, Enrolment] = {}
        for i, (workshop, person, person_outcome) in pairs.items():
            attended = cleaned[i]["attended"]
            key = (workshop.pk, person.pk)
            enrolment = new.get(key)
            if enrolment is None and key in stored:
                pk, was_attended, status = stored[key]
                if was_attended == attended and status == Enrolment.Status.ENROLLED:
                    outcomes[i] = "updated" if person_outcome == "updated" else "unchanged"
                    continue
                enrolment = new[key] = Enrolment(pk=pk, workshop_id=workshop.pk,
                                                 person_id=person.pk, attended=was_attended,
                                                 status=status, certificate_code="")
            if enrolment is None:
                new[key] = Enrolment(workshop_id=workshop.pk, person_id=person.pk,
                                     attended=attended,
                                     source=Enrolment.Source.IMPORT,
                                     status=Enrolment.Status.ENROLLED,
                                     certificate_code=next(codes))
                outcomes[i] = "created"
                continue
            if enrolment.attended == attended and enrolment.status == Enrolment.Status.ENROLLED:
                outcomes[i] = "updated" if person_outcome == "updated" else "unchanged"
                continue
            enrolment.attended, enrolment.status = attended, Enrolment.Status.ENROLLED
            if enrolment.pk is not None:
                changed[enrolment.pk] = enrolment
            outcomes[i] = "updated"
        if new:
            Enrolment.objects.bulk_create([e for e in new.values() if e.pk is None])
        if changed:
            Enrolment.objects.bulk_update(changed.values(), ["attended", "status"])
        if new or changed:
            bump("training.Enrolment")  # bulk writes send no signal to the figures' cache
        if self.trainer:
            created = [p for w, p, o in pairs.values() if o == "created"]
            AuditEntry.objects.bulk_create([
                audit.entry("training.walk_in.person", p, by=self.by,
                            changes={"outcome": "created"}) for p in created])
        return outcomes
