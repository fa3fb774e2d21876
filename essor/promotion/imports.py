"""Imports of events and of their participations (exhibitors and stand holders).

Both are idempotent on their natural keys: an event by its ``code``, a participation by
its event and organisation (organisations and people are matched by the registry's
duplicate rules). A blank cell means "not given": it takes the default on a new record
and changes nothing on a stored one, so an import never erases what was entered in essor.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from essor.audit import services as audit
from essor.audit.models import AuditEntry
from essor.core import cleaning, normalise
from essor.core.imports import Importer, RowCleaner, RowInvalid, as_row_errors, register
from essor.core.lookups import CodeLookup, Territory
from essor.observatory.cache import bump
from essor.registry import services as registry_services
from essor.registry.imports import OrganisationBatch, PersonBatch
from essor.registry.models import Organisation

from . import selectors, services
from .models import Event, Participation

# -- cell converters ----------------------------------------------------------------------------

_KIND_WORDS = {
    "salon national": Event.Kind.NATIONAL_FAIR,
    "salon regional": Event.Kind.REGIONAL_FAIR,
    "marche itinerant": Event.Kind.ITINERANT_MARKET,
    "national fair": Event.Kind.NATIONAL_FAIR,
    "regional fair": Event.Kind.REGIONAL_FAIR,
    "itinerant market": Event.Kind.ITINERANT_MARKET,
}

_STATUS_WORDS = {
    "attended": Participation.Status.ATTENDED,
    "present": Participation.Status.ATTENDED,
    "presente": Participation.Status.ATTENDED,
    "حاضر": Participation.Status.ATTENDED,
    "absent": Participation.Status.ABSENT,
    "absente": Participation.Status.ABSENT,
    "غائب": Participation.Status.ABSENT,
    "cancelled": Participation.Status.CANCELLED,
    "canceled": Participation.Status.CANCELLED,
    "annule": Participation.Status.CANCELLED,
    "annulee": Participation.Status.CANCELLED,
    "ملغى": Participation.Status.CANCELLED,
    "registered": Participation.Status.REGISTERED,
    "inscrit": Participation.Status.REGISTERED,
    "inscrite": Participation.Status.REGISTERED,
    "مسجل": Participation.Status.REGISTERED,
}


def _word(value: str) -> str:
    """"Marché_itinérant " → "marche itinerant": accents, case and separators ignored."""
    return normalise.name_key(value.replace("_", " "))


def _event_kind(value: str) -> str:
    found = _KIND_WORDS.get(_word(value))
    return found if found else cleaning.choice(value, Event.Kind.choices)


def _participation_status(value: str) -> str:
    if not value.strip():
        return Participation.Status.REGISTERED
    found = _STATUS_WORDS.get(_word(value))
    return found if found else cleaning.choice(value, Participation.Status.choices)


def event_lookup(by) -> CodeLookup:
    """Events by code among those ``by`` may see (all of them for the system)."""
    events = (Event.objects.select_related("region") if by is None
              else selectors.event_visible(by))
    return CodeLookup(events, "code")


# -- events -------------------------------------------------------------------------------------

EVENT_FIELDS = ["code", "kind", "title", "title_ar", "edition", "start_date", "end_date",
                "venue", "city", "stands", "region", "province", "venue_ar", "city_ar",
                "organiser", "organiser_ar"]


@register
class EventImporter(Importer):
    """Events by their code. A new event whose end date has passed is recorded as held;
    a stored one still before "held" whose end date has passed moves to held."""

    kind = "events"
    label = gettext_lazy("Events (fairs and itinerant markets)")
    columns = ["code", "kind", "title", "start_date", "end_date", "region", "province", "city",
               "title_ar", "venue", "stands", "edition", "city_ar", "venue_ar", "organiser",
               "organiser_ar"]
    required = ["code", "kind", "title", "start_date", "end_date", "region", "province",
                "city"]
    example = [
        {"code": "MI-2025-SET-01", "kind": "itinerant_market",
         "title": "Marché itinérant de l'ESS de Settat", "start_date": "2025-05-10",
         "end_date": "2025-05-14", "region": "MA-06", "province": "MA-SET", "city": "Settat",
         "title_ar": "السوق المتجول للاقتصاد الاجتماعي والتضامني بسطات",
         "venue": "Place Hassan II", "stands": "40", "edition": "3", "city_ar": "سطات",
         "venue_ar": "ساحة الحسن الثاني"},
        {"code": "SR-2025-ORI", "kind": "regional_fair",
         "title": "Salon régional de l'ESS de l'Oriental", "start_date": "2025-10-02",
         "end_date": "2025-10-08", "region": "MA-02", "province": "MA-OUJ", "city": "Oujda",
         "title_ar": "المعرض الجهوي للاقتصاد الاجتماعي والتضامني لجهة الشرق",
         "venue": "Parc Lalla Aïcha", "stands": "120", "edition": "7", "city_ar": "وجدة",
         "venue_ar": "منتزه للا عائشة", "organiser": "Conseil de la Région de l'Oriental",
         "organiser_ar": "مجلس جهة الشرق"},
    ]

    def __init__(self, *, by):
        super().__init__(by=by)
        self.territory = Territory()

    def clean_row(self, row):
        c = RowCleaner(row)
        data = {
            "code": c.take("code", cleaning.code, required=True),
            "kind": c.take("kind", _event_kind, required=True),
            "title": c.take("title", required=True),
            "title_ar": c.take("title_ar"),
            "start_date": c.take("start_date", cleaning.date, required=True),
            "end_date": c.take("end_date", cleaning.date, required=True),
            "region": c.take("region", self.territory.region, required=True),
            "city": c.take("city"),
            "city_ar": c.take("city_ar"),
            "venue": c.take("venue"),
            "venue_ar": c.take("venue_ar"),
            "organiser": c.take("organiser"),
            "organiser_ar": c.take("organiser_ar"),
            "stands": c.take("stands", cleaning.count),
            "edition": c.take("edition", cleaning.count),
        }
        if data["region"] is not None:
            data["province"] = c.take("province", self.territory.province,
                                      region=data["region"])
        if data["start_date"] and data["end_date"] and data["end_date"] < data["start_date"]:
            c.errors.append(("end_date", _("The end date is before the start date.")))
        c.done()
        # A blank cell is "not given".
        return {k: v for k, v in data.items() if v not in ("", None)}

    def write_row(self, cleaned):
        refused = "kind" if cleaned["kind"] == Event.Kind.NATIONAL_FAIR else "region"
        with as_row_errors({f: f for f in EVENT_FIELDS}, "code", refused):
            event = selectors.event_by_code(cleaned["code"])
            if event is None:
                services.event_create(by=self.by, **cleaned)
                return "created"
            if self.by is not None and not services.can_manage_event(self.by, event):
                raise RowInvalid([("code", _("This code belongs to an event you cannot "
                                             "manage."))])
            return self._update(event, cleaned)

    def _update(self, event: Event, data: dict[str, Any]) -> str:
        changes = {}
        for name, value in data.items():
            if name in ("region", "province"):
                if getattr(event, f"{name}_id") != value.pk:
                    changes[name] = value
            elif getattr(event, name) != value:
                changes[name] = value
        if "region" in changes and "province" not in data and event.province_id and (
                event.province.region_id != changes["region"].pk):
            changes["province"] = None  # the stored province belongs to the old region
        if changes:
            event = services.event_update(event=event, by=self.by, **changes)
        past = event.end_date < timezone.localdate()
        if past and Event.FLOW.index(event.status) < Event.FLOW.index(Event.Status.HELD):
            services.event_set_status(event=event, status=Event.Status.HELD, by=self.by)
            return "updated"
        return "updated" if changes else "unchanged"


# -- participations -----------------------------------------------------------------------------

ORGANISATION_COLUMNS = {"name": "organisation_name", "kind": "organisation_kind",
                        "region": "organisation_region"}
HOLDER_COLUMNS = {"first_name": "holder_first_name", "last_name": "holder_last_name",
                  "sex": "holder_sex", "birth_year": "holder_birth_year",
                  "phone": "holder_phone", "national_id": "holder_national_id",
                  "region": "organisation_region", "province": "organisation_region"}


@register
class ParticipationImporter(Importer):
    """Exhibitors of events: the organisation (found or created by name, kind and region),
    the person holding the stand (found or created by the registry's duplicate rules, in
    the organisation's region) and the participation, one per organisation per event."""

    kind = "participations"
    label = gettext_lazy("Participations in events (exhibitors)")
    columns = ["event_code", "organisation_name", "organisation_kind", "organisation_region",
               "holder_first_name", "holder_last_name", "holder_sex", "holder_birth_year",
               "holder_phone", "holder_national_id", "status"]
    required = ["event_code", "organisation_name", "organisation_kind", "organisation_region",
                "holder_first_name", "holder_last_name", "holder_sex", "status"]
    example = [
        {"event_code": "MI-2025-SET-01", "organisation_name": "Coopérative Al Baraka",
         "organisation_kind": "cooperative", "organisation_region": "MA-06",
         "holder_first_name": "Khadija", "holder_last_name": "Tazi", "holder_sex": "F",
         "holder_birth_year": "1985", "holder_phone": "06 61 23 45 67",
         "holder_national_id": "BK123456", "status": "attended"},
        {"event_code": "MI-2025-SET-01", "organisation_name": "Association Tamaynut",
         "organisation_kind": "association", "organisation_region": "MA-06",
         "holder_first_name": "Youssef", "holder_last_name": "Amrani", "holder_sex": "M",
         "holder_birth_year": "1992", "holder_phone": "", "holder_national_id": "",
         "status": "absent"},
    ]

    def __init__(self, *, by):
        super().__init__(by=by)
        self.territory = Territory()
        self.events = event_lookup(by)

    def _event(self, value: str) -> Event:
        """The event of this code among those the importer may see; one it may not see
        is unknown, as a foreign region's record is everywhere else."""
        event = self.events.get(value)
        if event is None:
            raise cleaning.refused(value, _("unknown event code."))
        if self.by is not None and not services.can_manage_event(self.by, event):
            raise cleaning.refused(value, _("you cannot manage this event."))
        return event

    def clean_rows(self, rows):
        self.events.prefetch(values.get("event_code", "") for _n, values in rows)
        return super().clean_rows(rows)

    def clean_row(self, row):
        c = RowCleaner(row)
        region = c.take("organisation_region", self.territory.region, required=True)
        data = {
            "event": c.take("event_code", self._event, required=True),
            "organisation": {
                "name": c.take("organisation_name", required=True),
                "kind": c.take("organisation_kind", cleaning.choice, required=True,
                               choices=Organisation.Kind.choices),
                "region": region,
            },
            "holder": {
                "first_name": c.take("holder_first_name", required=True),
                "last_name": c.take("holder_last_name", required=True),
                "sex": c.take("holder_sex", cleaning.sex, required=True),
                "birth_year": c.take("holder_birth_year", cleaning.year, low=1920),
                "phone": c.take("holder_phone", cleaning.phone),
                "national_id": c.take("holder_national_id", cleaning.national_id),
                "region": region,
            },
            "status": c.take("status", _participation_status),
        }
        c.done()
        return data

    def write_row(self, cleaned):
        holder_default = ("holder_national_id" if cleaned["holder"]["national_id"]
                          else "holder_last_name")
        with as_row_errors(ORGANISATION_COLUMNS, "organisation_name", "organisation_region"):
            organisation, organisation_outcome = registry_services.organisation_get_or_create(
                by=self.by, **cleaned["organisation"])
        with as_row_errors(HOLDER_COLUMNS, holder_default, "organisation_region"):
            holder, holder_outcome = registry_services.person_get_or_create(
                by=self.by, **cleaned["holder"])
        with as_row_errors({"status": "status"}, "status", "organisation_region"):
            _participation, outcome = services.participation_register(
                event=cleaned["event"], organisation=organisation, holder=holder, by=self.by,
                status=cleaned["status"])
        if outcome == "unchanged" and {organisation_outcome, holder_outcome} != {"unchanged"}:
            return "updated"  # the participation stands, its organisation or holder gained data
        return outcome

    # -- a chunk at a time -----------------------------------------------------------------

    def write_rows(self, cleaned):
        """The chunk in a constant number of queries: organisations through
        ``OrganisationBatch``, stand holders through ``PersonBatch``, the rules of
        ``services.participation_register`` applied to each row, participations read
        together and written in bulk, each with its audit entry. A chunk in which a row
        is refused (or that meets a record written meanwhile) is written again one row at
        a time, in savepoints, so that every refusal reads as the service words it and
        nothing of a refused row is kept."""
        try:
            with transaction.atomic():
                return self._write_chunk(cleaned)
        except (_Refused, IntegrityError):
            return super().write_rows(cleaned)

    def _write_chunk(self, cleaned):
        resolved = OrganisationBatch(by=self.by).resolve(
            [row["organisation"] for row in cleaned])
        organisations = [found for found in resolved if not isinstance(found, Exception)]
        if len(organisations) < len(cleaned):
            raise _Refused
        people = PersonBatch(by=self.by).resolve([row["holder"] for row in cleaned])
        holders = [found for found in people if not isinstance(found, Exception)]
        if len(holders) < len(cleaned):
            raise _Refused
        events = {}
        for row, (organisation, _o), (holder, _h) in zip(cleaned, organisations, holders,
                                                         strict=True):
            event = row["event"]
            if event.pk not in events:
                events[event.pk] = services.can_manage_event(self.by, event) if (
                    self.by is not None) else True
            if not events[event.pk]:
                raise _Refused
            try:
                services.check_attachable(self.by, event, organisation, holder)
            except (ValidationError, PermissionDenied) as exc:
                raise _Refused from exc
        stored = {
            (p.event_id, p.organisation_id): p for p in Participation.objects.filter(
                event_id__in=events,
                organisation_id__in={o.pk for o, _outcome in organisations})}
        new: dict[tuple[int, int], Participation] = {}
        changed: dict[tuple[int, int], Participation] = {}
        logged: list[tuple[str, Participation, dict[str, Any]]] = []  # audited once saved, in order
        outcomes = []
        for row, (organisation, organisation_outcome), (holder, holder_outcome) in zip(
                cleaned, organisations, holders, strict=True):
            event, status = row["event"], row["status"]
            key = (event.pk, organisation.pk)
            participation = new.get(key) or stored.get(key)
            if participation is None:
                participation = new[key] = Participation(
                    event=event, organisation=organisation, holder=holder, status=status)
                participation.full_clean(exclude=["event", "organisation", "holder"],
                                         validate_unique=False, validate_constraints=False)
                logged.append(("promotion.participation.registered", participation,
                               {"holder": holder.pk, "status": status}))
                outcome = "created"
            else:
                # The records in hand, so that the audit entry reads none of them again.
                participation.event, participation.organisation = event, organisation
                changes = services.participation_apply(participation, holder=holder,
                                                       status=status)
                if changes:
                    if key not in new:
                        changed[key] = participation
                    logged.append(("promotion.participation.updated", participation,
                                   changes))
                outcome = "updated" if changes else "unchanged"
            if outcome == "unchanged" and {organisation_outcome, holder_outcome} != {
                    "unchanged"}:
                outcome = "updated"
            outcomes.append(outcome)
        if new:
            Participation.objects.bulk_create(new.values())
        if changed:
            Participation.objects.bulk_update(changed.values(), ["holder", "status"])
        if new or changed:
            bump("promotion.Participation")  # bulk writes send no signal to the figures' cache
        if logged:
            AuditEntry.objects.bulk_create([
                audit.entry(action, participation, by=self.by,
                            region=participation.event.region, changes=changes)
                for action, participation, changes in logged])
        return outcomes


class _Refused(Exception):
    """A row of the chunk is refused: the chunk is written again row by row."""
