"""Writes to the registry: organisations, people, duplicate matching and merges."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from essor.audit import services as audit
from essor.core import normalise
from essor.core.scoping import in_scope

from .models import DismissedMatch, Membership, Organisation, Person

PERSON_AUDITED = ["first_name", "last_name", "first_name_ar", "last_name_ar", "sex",
                  "birth_year", "disability", "phone", "national_id", "region_id",
                  "province_id"]


def check_region(by, region_id: int | None) -> None:
    """No write outside the writer's region(s), whatever the form or API let through."""
    if by is not None and not in_scope(by, region_id):
        raise PermissionDenied(_("This region is outside your scope."))


def _apply(instance, data: dict[str, Any]) -> None:
    for name, value in data.items():
        setattr(instance, name, value)


# -- organisations --------------------------------------------------------------------------

def organisation_find(*, name: str, kind: str, region_id: int, ice: str = "") -> Organisation | None:
    """The stored organisation with this ICE, or this name (normalised), kind and region."""
    if ice:
        found = Organisation.objects.filter(ice=ice).first()
        if found:
            return found
    return Organisation.objects.filter(name_key=normalise.name_key(name), kind=kind,
                                       region_id=region_id).first()


@transaction.atomic
def organisation_create(*, by, **data: Any) -> Organisation:
    organisation = Organisation(**data)
    check_region(by, organisation.region_id)
    organisation.refresh_keys()
    organisation.full_clean()
    organisation.save()
    audit.record("registry.organisation.created", organisation, by=by,
                 changes=audit.snapshot(organisation))
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, by, **data: Any) -> Organisation:
    before = audit.snapshot(organisation)
    check_region(by, organisation.region_id)
    _apply(organisation, data)
    check_region(by, organisation.region_id)
    organisation.refresh_keys()
    organisation.full_clean()
    organisation.save()
    changes = audit.diff(before, audit.snapshot(organisation))
    changes.pop("updated_at", None)
    if changes:
        audit.record("registry.organisation.updated", organisation, by=by, changes=changes)
    return organisation


def organisation_get_or_create(*, by, **data: Any) -> tuple[Organisation, str]:
    """Imports: reuse the organisation with the same ICE or name, kind and region."""
    found = organisation_find(name=data["name"], kind=data["kind"],
                              region_id=data["region"].pk, ice=data.get("ice", ""))
    if found is None:
        return organisation_create(by=by, **data), "created"
    blanks = {k: v for k, v in data.items()
              if v not in ("", None) and getattr(found, k) in ("", None)}
    if not blanks:
        return found, "unchanged"
    return organisation_update(organisation=found, by=by, **blanks), "updated"


# -- people -----------------------------------------------------------------------------------

def person_find_same(*, national_id: str = "", first_name: str = "", last_name: str = "",
                     phone: str = "", sex: str = "", birth_year: int | None = None,
                     region_id: int | None = None, exclude_pk: int | None = None,
                     ) -> Person | None:
    """The stored person who is the same person under the duplicate rules.

    Same national ID (case and spaces ignored); or, with no national ID on either side,
    same normalised full name and same normalised phone. When neither side has a phone
    either, the name alone would join namesakes, so sex, birth year and region must match
    too: re-importing such a row still finds the person, two namesakes stay two.
    """
    people = Person.objects.exclude(pk=exclude_pk) if exclude_pk else Person.objects.all()
    id_key = normalise.national_id_key(national_id)
    if id_key:
        return people.filter(national_id_key=id_key).first()
    phone_key = normalise.phone_key(phone)
    same = people.filter(national_id_key="", phone_key=phone_key,
                         name_key=normalise.name_key(first_name, last_name))
    if not phone_key:
        same = same.filter(Q(region_id=region_id), sex=sex, birth_year=birth_year)
    return same.order_by("pk").first()


def _find_same_as(person: Person, exclude_pk: int | None = None) -> Person | None:
    return person_find_same(national_id=person.national_id, first_name=person.first_name,
                            last_name=person.last_name, phone=person.phone, sex=person.sex,
                            birth_year=person.birth_year, region_id=person.region_id,
                            exclude_pk=exclude_pk)


DUPLICATE_CODES = ("duplicate_person", "duplicate_person_elsewhere")


def duplicate_error(existing: Person, by) -> ValidationError:
    if by is not None and not in_scope(by, existing.region_id):
        # Say no more than needed about a record the writer may not see.
        return ValidationError(_("This person is already registered in another region. "
                                 "Ask the national administration to check the record."),
                               code="duplicate_person_elsewhere")
    return ValidationError(_("This person is already registered: %(name)s (no. %(pk)s).")
                           % {"name": existing.full_name, "pk": existing.pk},
                           code="duplicate_person")


def duplicate_key(person: Person) -> str:
    """The key two records share when the duplicate rules make them one person."""
    person.refresh_keys()
    if person.national_id_key:
        return f"id:{person.national_id_key}"
    if person.phone_key:
        return f"name-phone:{person.name_key}|{person.phone_key}"
    return f"name:{person.name_key}|{person.sex}|{person.birth_year}|{person.region_id}"


def _lock_duplicate_key(person: Person) -> None:
    """Serialise the writers of one would-be person until the end of the transaction, so
    that the duplicate check and the insert are one step. PostgreSQL: an advisory lock on
    a hash of the duplicate key. SQLite: every write transaction is IMMEDIATE (settings),
    so writers are serialised already."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(duplicate_key(person).encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        # Shared with every other writer of one person; an import that creates people in
        # bulk takes it alone (``lock_people_creation``).
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [PEOPLE_CREATION_LOCK])
        cursor.execute("SELECT pg_advisory_xact_lock(%s)",
                       [int.from_bytes(digest, "big", signed=True)])


PEOPLE_CREATION_LOCK = int.from_bytes(
    hashlib.blake2b(b"essor.registry.people_creation", digest_size=8).digest(), "big",
    signed=True)


def lock_people_creation() -> None:
    """Imports: no one else creates or edits a person until the end of the transaction
    (PostgreSQL; SQLite serialises writers already). One lock, whatever the number of
    people the import creates."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PEOPLE_CREATION_LOCK])


def _save_unique(person: Person, by) -> None:
    """Save; a racing writer that still won the national ID is a duplicate, not a 500."""
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        existing = _find_same_as(person, exclude_pk=person.pk)
        if existing is None:
            raise
        raise duplicate_error(existing, by) from None


@transaction.atomic
def person_create(*, by, **data: Any) -> Person:
    person = Person(**data)
    check_region(by, person.region_id)
    person.full_clean()
    _lock_duplicate_key(person)
    existing = _find_same_as(person)
    if existing:
        raise duplicate_error(existing, by)
    _save_unique(person, by)
    audit.record("registry.person.created", person, by=by,
                 changes=audit.snapshot(person, PERSON_AUDITED))
    return person


@transaction.atomic
def person_update(*, person: Person, by, **data: Any) -> Person:
    before = audit.snapshot(person, PERSON_AUDITED)
    check_region(by, person.region_id)
    _apply(person, data)
    check_region(by, person.region_id)
    person.full_clean()
    _lock_duplicate_key(person)
    existing = _find_same_as(person, exclude_pk=person.pk)
    if existing:
        raise duplicate_error(existing, by)
    _save_unique(person, by)
    changes = audit.diff(before, audit.snapshot(person, PERSON_AUDITED))
    if changes:
        audit.record("registry.person.updated", person, by=by, changes=changes)
    return person


def national_ids_shown(*, people, by, where: str) -> None:
    """Law 09-08: who saw which national ID. One audit entry per page or API answer that
    showed national IDs in full, naming the people whose ID was shown."""
    if by is None or not by.sees_personal_data:
        return  # masked for this reader
    shown = [p for p in people if p.national_id]
    if not shown:
        return
    if len(shown) == 1:
        audit.record("registry.person.viewed", shown[0], by=by, changes={"where": where})
    else:
        audit.record("registry.person.viewed", by=by,
                     changes={"where": where, "people": [p.pk for p in shown]})


def person_get_or_create(*, by, **data: Any) -> tuple[Person, str]:
    """Forms and imports: reuse the same person instead of creating a second one.

    Fields left empty on the stored person are filled in from ``data``; nothing stored is
    overwritten. Returns the person and "created", "updated" or "unchanged".
    """
    region = data.get("region")

    def find() -> Person | None:
        return person_find_same(national_id=data.get("national_id", ""),
                                first_name=data.get("first_name", ""),
                                last_name=data.get("last_name", ""),
                                phone=data.get("phone", ""), sex=data.get("sex", ""),
                                birth_year=data.get("birth_year"),
                                region_id=region.pk if region is not None else None)

    found = find()
    if found is None:
        try:
            return person_create(by=by, **data), "created"
        except ValidationError as exc:
            # Another writer created the same person between our look and our insert
            # (person_create checks again under the duplicate key's lock): reuse theirs.
            found = find() if getattr(exc, "code", None) in DUPLICATE_CODES else None
            if found is None:
                raise
    if by is not None and not in_scope(by, found.region_id):
        raise duplicate_error(found, by)
    blanks = person_blanks(found, data)
    if not blanks:
        return found, "unchanged"
    return person_update(person=found, by=by, **blanks), "updated"


def person_blanks(found: Person, data: dict[str, Any]) -> dict[str, Any]:
    """What ``data`` may fill in on the stored person: details it lacks, never its region
    or sex, and a province only within its region. Nothing stored is overwritten."""
    blanks = {}
    for name, value in data.items():
        if name in ("region", "sex"):
            continue
        # The province by its id: the record itself is not needed to know it is blank.
        current = found.province_id if name == "province" else getattr(found, name)
        if value not in ("", None, False) and current in ("", None, False):
            blanks[name] = value
    if "province" in blanks and blanks["province"].region_id != found.region_id:
        del blanks["province"]
    return blanks


@transaction.atomic
def person_merge(*, keep: Person, drop: Person, by) -> Person:
    """Make two records of one person one: ``keep`` takes ``drop``'s records and blanks.

    Each app's merge rule (``essor/<app>/merge.py``) decides its own records: of two
    that may not both point at ``keep`` (one enrolment per workshop, one membership per
    organisation), the stronger is kept and the other folded into it; the rest move.
    Relations no app claims move as they are; when one of their rows cannot (a unique
    conflict), the merge is refused with a ValidationError and nothing changes.
    """
    from .merge import merge_all

    if keep.pk == drop.pk:
        raise ValidationError(_("A person cannot be merged with themselves."))
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    drop = Person.objects.select_for_update().get(pk=drop.pk)
    check_region(by, keep.region_id)
    check_region(by, drop.region_id)
    log = merge_all(keep, drop)
    filled = {}
    for name in ["first_name_ar", "last_name_ar", "birth_year", "phone", "national_id",
                 "province_id"]:
        if getattr(keep, name) in ("", None) and getattr(drop, name) not in ("", None):
            filled[name] = getattr(drop, name)
    if not keep.disability and drop.disability:
        filled["disability"] = True
    if filled.get("province_id") and drop.region_id != keep.region_id:
        filled.pop("province_id")
    drop_snapshot = audit.snapshot(drop, PERSON_AUDITED)
    drop_pk = drop.pk
    drop.delete()  # frees the national ID before keep takes it
    for name, value in filled.items():
        setattr(keep, name, value)
    keep.save()
    audit.record("registry.person.merged", keep, by=by, changes={
        "dropped_person": drop_pk, "dropped": drop_snapshot, **log.as_changes(),
        "filled": list(filled)})
    return keep


@transaction.atomic
def match_dismiss(*, a: Person, b: Person, by) -> None:
    """Record that two people proposed as near matches are different people."""
    first, second = sorted([a, b], key=lambda p: p.pk)
    check_region(by, first.region_id)
    check_region(by, second.region_id)
    DismissedMatch.objects.get_or_create(person_a=first, person_b=second)
    audit.record("registry.person.match_dismissed", first, by=by,
                 changes={"other_person": second.pk})


# -- memberships ------------------------------------------------------------------------------

@transaction.atomic
def membership_add(*, organisation: Organisation, person: Person, role: str, by) -> Membership:
    """A person joins an organisation; both must be within the writer's scope."""
    check_region(by, organisation.region_id)
    check_region(by, person.region_id)
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, person=person, defaults={"role": role})
    if not created and membership.role != role:
        before = membership.role
        membership.role = role
        membership.full_clean()
        membership.save()
        audit.record("registry.membership.updated", membership, by=by,
                     region=organisation.region, changes={"role": [before, role]})
    elif created:
        membership.full_clean()
        audit.record("registry.membership.added", membership, by=by,
                     region=organisation.region,
                     changes={"person": person.pk, "organisation": organisation.pk,
                              "role": role})
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by) -> None:
    check_region(by, membership.organisation.region_id)
    audit.record("registry.membership.removed", membership, by=by,
                 region=membership.organisation.region,
                 changes={"person": membership.person_id,
                          "organisation": membership.organisation_id})
    membership.delete()
