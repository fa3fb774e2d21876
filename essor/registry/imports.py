"""Imports of organisations and people, with the duplicate rules of the registry.

``PersonBatch`` finds or registers the people of a chunk of rows by the rules of
``services.person_find_same`` / ``person_get_or_create`` in a few queries: the rows'
keys are looked up together, people new to essor are created with one bulk insert (and
one audit entry each), the same person in ten rows is one person. Importers of other
apps (stand holders, attendance sheets) use it too.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from essor.audit import services as audit
from essor.audit.models import AuditEntry
from essor.core import cleaning, normalise
from essor.core.imports import Importer, RowCleaner, register
from essor.core.lookups import Territory
from essor.core.scoping import in_scope
from essor.observatory.cache import bump

from . import services
from .models import Organisation, Person

# -- people in batches ------------------------------------------------------------------------



# The columns a batch reads of the people it finds: their keys and what a row may fill in
# (the rest, timestamps and all, is not worth decoding for 100,000 rows).
PERSON_BATCH_FIELDS = ("id", "region_id", "province_id", "national_id_key", "name_key",
                       "phone_key", "first_name", "last_name", "sex", "birth_year")


class PersonBatch:
    """``person_get_or_create`` for a chunk of rows, in a constant number of queries.

    ``resolve`` returns, for each row's data, ``(person, outcome)`` or the exception the
    service would have raised. New people are saved (bulk) before it returns; people
    found with blanks the row fills in are updated through ``services.person_update``
    (audited, with its duplicate check), which is rare on a re-import. The people found
    carry the columns of ``PERSON_BATCH_FIELDS`` and those the rows name.
    """

    def __init__(self, *, by):
        self.by = by
        self.in_scope: dict[int | None, bool] = {}

    def resolve(self, rows: list[dict[str, Any]]) -> list[tuple[Person, str] | Exception]:
        if rows:
            services.lock_people_creation()  # the duplicate check and the inserts, one step
        keys = [self._keys(r) for r in rows]
        by_id: dict[str, Person] = {}
        by_name: dict[str, list[Person]] = defaultdict(list)
        id_keys = {id_key for id_key, _n, _p in keys} - {""}
        name_keys = {name for id_key, name, _p in keys if not id_key}
        columns = {*PERSON_BATCH_FIELDS,
                   *{("province_id" if n == "province" else n) for r in rows for n in r} - {"region"}}
        if id_keys:
            for person in Person.objects.filter(national_id_key__in=id_keys).only(*columns):
                by_id[person.national_id_key] = person
        if name_keys:
            for person in (Person.objects.filter(national_id_key="", name_key__in=name_keys)
                           .only(*columns).order_by("pk")):
                by_name[person.name_key].append(person)
        new: list[Person] = []
        out: list[tuple[Person, str] | Exception] = []
        for data, row_keys in zip(rows, keys, strict=True):
            try:
                out.append(self._one(data, row_keys, by_id, by_name, new))
            except (ValidationError, PermissionDenied) as exc:
                out.append(exc)
        if new:
            Person.objects.bulk_create(new)
            bump("registry.Person")  # bulk writes send no signal to the figures' cache
            AuditEntry.objects.bulk_create([
                audit.entry("registry.person.created", person, by=self.by,
                            changes=audit.snapshot(person, services.PERSON_AUDITED))
                for person in new])
        return out

    @staticmethod
    def _keys(data) -> tuple[str, str, str]:
        """A row's national ID, name and phone keys, computed once."""
        id_key = normalise.national_id_key(data.get("national_id", ""))
        if id_key:
            return id_key, "", ""
        return ("", normalise.name_key(data.get("first_name", ""), data.get("last_name", "")),
                normalise.phone_key(data.get("phone", "")))

    def _scoped(self, region_id) -> bool:
        if self.by is None:
            return True
        if region_id not in self.in_scope:
            self.in_scope[region_id] = in_scope(self.by, region_id)
        return self.in_scope[region_id]

    def _one(self, data, keys, by_id, by_name, new) -> tuple[Person, str]:
        region = data.get("region")
        found = self._find(data, keys, region.pk if region is not None else None, by_id,
                           by_name)
        if found is None:
            return self._create(data, by_id, by_name, new), "created"
        if not self._scoped(found.region_id):
            raise services.duplicate_error(found, self.by)
        blanks = services.person_blanks(found, data)
        if not blanks:
            return found, "unchanged"
        if found.pk is None:  # created by an earlier row of this chunk
            for name, value in blanks.items():
                setattr(found, name, value)
            found.refresh_keys()
            return found, "updated"
        # Rare on a re-import: the whole record, updated by the service (audited, checked).
        person = services.person_update(person=Person.objects.get(pk=found.pk), by=self.by,
                                        **blanks)
        self._replace(found, person, by_id, by_name)
        return person, "updated"

    @staticmethod
    def _replace(old: Person, person: Person, by_id, by_name) -> None:
        """Later rows of the chunk meet the updated record, not the one read before."""
        for key, candidate in list(by_id.items()):
            if candidate is old:
                del by_id[key]
        for people in by_name.values():
            people[:] = [p for p in people if p is not old]
        if person.national_id_key:
            by_id[person.national_id_key] = person
        else:
            by_name[person.name_key].append(person)
            by_name[person.name_key].sort(key=lambda p: (p.pk is None, p.pk or 0))

    _defaults: dict[frozenset[str], list[str]] = {}

    @classmethod
    def _not_given(cls, data) -> list[str]:
        given = frozenset(data) - {"region", "province"}
        if given not in cls._defaults:
            cls._defaults[given] = [f.name for f in Person._meta.concrete_fields
                                    if f.name not in given]
        return cls._defaults[given]

    @staticmethod
    def _find(data, keys, region_id, by_id, by_name) -> Person | None:
        """``services.person_find_same`` over the chunk's stored and new people."""
        id_key, name, phone_key = keys
        if id_key:
            return by_id.get(id_key)
        for person in by_name.get(name, ()):
            if person.national_id_key or person.phone_key != phone_key:
                continue
            if phone_key or (person.sex == data.get("sex", "")
                             and person.birth_year == data.get("birth_year")
                             and person.region_id == region_id):
                return person
        return None

    def _create(self, data, by_id, by_name, new) -> Person:
        person = Person(**data)
        services.check_region(self.by, person.region_id)
        # Every value the row gives is validated by the model (its clean() too); the
        # fields it leaves at their defaults are not worth checking 20,000 times, nor are
        # the region and province, which come from the territory cache.
        person.full_clean(exclude=self._not_given(data), validate_unique=False,
                          validate_constraints=False)
        person.refresh_keys()
        if person.national_id_key:
            by_id[person.national_id_key] = person
        else:
            by_name[person.name_key].append(person)
        new.append(person)
        return person


class OrganisationBatch:
    """``services.organisation_get_or_create`` for a chunk of rows, in a constant number
    of queries: the rule of ``services.organisation_find`` (same ICE, or same normalised
    name, kind and region) over the rows' keys looked up together; organisations new to
    essor created with one bulk insert (and one audit entry each); found ones with blanks
    the row fills in updated through ``services.organisation_update`` (rare).

    ``resolve`` returns, for each row's data, ``(organisation, outcome)`` or the exception
    the service would have raised."""

    def __init__(self, *, by):
        self.by = by

    def resolve(self, rows: list[dict[str, Any]]
                ) -> list[tuple[Organisation, str] | Exception]:
        keys = [self._key(r) for r in rows]
        ices = {r.get("ice", "") for r in rows} - {""}
        by_ice: dict[str, Organisation] = {}
        by_name: dict[tuple[str, str, int], Organisation] = {}
        if ices:
            for organisation in Organisation.objects.filter(ice__in=ices):
                by_ice[organisation.ice] = organisation
        names = {name for name, _kind, _region in keys}
        if names:
            for organisation in Organisation.objects.filter(name_key__in=names):
                by_name[(organisation.name_key, organisation.kind,
                         organisation.region_id)] = organisation
        new: list[Organisation] = []
        out: list[tuple[Organisation, str] | Exception] = []
        for data, key in zip(rows, keys, strict=True):
            try:
                out.append(self._one(data, key, by_ice, by_name, new))
            except (ValidationError, PermissionDenied) as exc:
                out.append(exc)
        if new:
            Organisation.objects.bulk_create(new)
            bump("registry.Organisation")  # bulk writes send no signal to the figures' cache
            AuditEntry.objects.bulk_create([
                audit.entry("registry.organisation.created", organisation, by=self.by,
                            changes=audit.snapshot(organisation)) for organisation in new])
        return out

    @staticmethod
    def _key(data) -> tuple[str, str, int | None]:
        region = data.get("region")
        return (normalise.name_key(data.get("name", "")), data.get("kind", ""),
                region.pk if region is not None else None)

    def _one(self, data, key, by_ice, by_name, new) -> tuple[Organisation, str]:
        ice = data.get("ice", "")
        found = (by_ice.get(ice) if ice else None) or by_name.get(key)
        if found is None:
            organisation = Organisation(**data)
            services.check_region(self.by, organisation.region_id)
            organisation.refresh_keys()
            # Unique ICE and natural key: checked against the stored and the chunk's own
            # organisations above; region and province come from the territory cache.
            organisation.full_clean(exclude=["region", "province"], validate_unique=False,
                                    validate_constraints=False)
            if organisation.ice:
                by_ice[organisation.ice] = organisation
            by_name[(organisation.name_key, organisation.kind,
                     organisation.region_id)] = organisation
            new.append(organisation)
            return organisation, "created"
        blanks = {k: v for k, v in data.items() if v not in ("", None) and getattr(
            found, f"{k}_id" if k in ("region", "province") else k) in ("", None)}
        if not blanks:
            return found, "unchanged"
        if found.pk is None:  # created by an earlier row of this chunk
            for name, value in blanks.items():
                setattr(found, name, value)
            return found, "updated"
        return services.organisation_update(organisation=found, by=self.by, **blanks), "updated"


# -- importers --------------------------------------------------------------------------------

@register
class OrganisationImporter(Importer):
    kind = "organisations"
    label = gettext_lazy("Organisations")
    columns = ["name", "name_ar", "kind", "region", "province", "sector", "city",
               "founding_year", "members_women", "members_men", "ice",
               "registration_number", "email", "phone"]
    required = ["name", "kind", "region"]
    example = [{"name": "Coopérative Tifawine", "name_ar": "تعاونية تيفاوين",
                "kind": "cooperative", "region": "MA-09", "province": "MA-TIZ",
                "sector": "argan", "city": "Tiznit", "founding_year": "2014",
                "members_women": "23", "members_men": "2", "ice": "",
                "registration_number": "", "email": "", "phone": "0528 86 12 34"}]

    def __init__(self, *, by):
        super().__init__(by=by)
        self.territory = Territory()

    def clean_row(self, row):
        c = RowCleaner(row)
        data = {
            "name": c.take("name", required=True),
            "name_ar": c.take("name_ar"),
            "kind": c.take("kind", cleaning.choice, required=True,
                           choices=Organisation.Kind.choices),
            "region": c.take("region", self.territory.region, required=True),
            "sector": c.take("sector", lambda v: cleaning.choice(
                v, Organisation.Sector.choices) if v else ""),
            "city": c.take("city"),
            "founding_year": c.take("founding_year", cleaning.year),
            "members_women": c.take("members_women", cleaning.count),
            "members_men": c.take("members_men", cleaning.count),
            "ice": c.take("ice", lambda v: v.replace(" ", "")),
            "registration_number": c.take("registration_number"),
            "email": c.take("email"),
            "phone": c.take("phone", cleaning.phone),
        }
        if data["region"] is not None:
            data["province"] = c.take("province", self.territory.province,
                                      region=data["region"])
            if not in_scope_or_system(self.by, data["region"]):
                c.errors.append(("region", _("This region is outside your scope.")))
        c.done()
        return data

    def write_row(self, cleaned):
        return services.organisation_get_or_create(by=self.by, **cleaned)[1]

    def write_rows(self, cleaned):
        from django.db import IntegrityError, transaction

        try:
            with transaction.atomic():
                resolved = OrganisationBatch(by=self.by).resolve(cleaned)
        except IntegrityError:  # written meanwhile by someone else: one row at a time
            return super().write_rows(cleaned)
        return [r if isinstance(r, Exception) else r[1] for r in resolved]


def in_scope_or_system(by, region) -> bool:
    """The command line without ``--as`` writes as the system, in every region."""
    return by is None or in_scope(by, region.pk)


@register
class PersonImporter(Importer):
    kind = "people"
    label = gettext_lazy("People")
    columns = ["first_name", "last_name", "first_name_ar", "last_name_ar", "sex",
               "birth_year", "disability", "region", "province", "phone", "national_id"]
    required = ["first_name", "last_name", "sex", "region"]
    example = [{"first_name": "Fatima Zahra", "last_name": "Benali",
                "first_name_ar": "فاطمة الزهراء", "last_name_ar": "بنعلي", "sex": "F",
                "birth_year": "1994", "disability": "no", "region": "MA-02",
                "province": "MA-OUJ", "phone": "06 61 23 45 67", "national_id": "F123456"}]

    def __init__(self, *, by):
        super().__init__(by=by)
        self.territory = Territory()

    def clean_row(self, row):
        c = RowCleaner(row)
        data = {
            "first_name": c.take("first_name", required=True),
            "last_name": c.take("last_name", required=True),
            "first_name_ar": c.take("first_name_ar"),
            "last_name_ar": c.take("last_name_ar"),
            "sex": c.take("sex", cleaning.sex, required=True),
            "birth_year": c.take("birth_year", cleaning.year, low=1920),
            "disability": c.take("disability", cleaning.boolean),
            "region": c.take("region", self.territory.region, required=True),
            "phone": c.take("phone", cleaning.phone),
            "national_id": c.take("national_id", cleaning.national_id),
        }
        if data["region"] is not None:
            data["province"] = c.take("province", self.territory.province,
                                      region=data["region"])
            if not in_scope_or_system(self.by, data["region"]):
                c.errors.append(("region", _("This region is outside your scope.")))
        c.done()
        return data

    def write_row(self, cleaned):
        return services.person_get_or_create(by=self.by, **cleaned)[1]

    def write_rows(self, cleaned):
        from django.db import IntegrityError, transaction

        try:
            with transaction.atomic():
                resolved = PersonBatch(by=self.by).resolve(cleaned)
        except IntegrityError:  # written meanwhile by someone else: one row at a time
            return super().write_rows(cleaned)
        return [r if isinstance(r, Exception) else r[1] for r in resolved]
