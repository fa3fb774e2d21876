"""Reads of the registry, always scoped to the reader."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from essor.accounts.permissions import can
from essor.core import normalise
from essor.core.scoping import OutOfScope, filter_by_region, get_in_scope

from .models import DismissedMatch, Organisation, Person

# -- organisations --------------------------------------------------------------------------


def organisation_visible(user) -> QuerySet[Organisation]:
    queryset = Organisation.objects.select_related("region", "province")
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if can(user, "core.own_organisation_only"):
        return queryset.filter(pk=user.organisation_id) if user.organisation_id else queryset.none()
    return filter_by_region(queryset, user)


def organisation_list(*, user, q: str = "", region: str = "", province: str = "",
                      kind: str = "", sector: str = "") -> QuerySet[Organisation]:
    queryset = organisation_visible(user)
    q = normalise.search_text(q)
    if q:
        key = normalise.name_key(q)
        queryset = queryset.filter(Q(name_key__contains=key) | Q(name_ar__icontains=q.strip())
                                   | Q(ice=q.strip()) | Q(registration_number=q.strip()))
    if region:
        queryset = queryset.filter(region__code=region)
    if province:
        queryset = queryset.filter(province__code=province)
    if kind:
        queryset = queryset.filter(kind=kind)
    if sector:
        queryset = queryset.filter(sector=sector)
    return queryset.order_by("name", "pk")


def organisation_can_edit(user, organisation: Organisation) -> bool:
    return can(user, "registry.edit_organisation", organisation)


def access_organisation(user, pk, *, write: bool = False) -> Organisation:
    """The organisation if the user may see it (and edit it, with ``write``), else 404."""
    organisation = get_in_scope(organisation_visible(user), Organisation, pk)
    if write and not organisation_can_edit(user, organisation):
        raise OutOfScope(organisation)
    return organisation


# -- people -----------------------------------------------------------------------------------


def person_visible(user) -> QuerySet[Person]:
    queryset = Person.objects.select_related("region", "province")
    if not can(user, "registry.read_people"):
        return queryset.none()
    return filter_by_region(queryset, user)


def person_list(*, user, q: str = "", region: str = "", province: str = "", sex: str = "",
                disability: str = "") -> QuerySet[Person]:
    queryset = person_visible(user)
    q = normalise.search_text(q)
    if q:
        conditions = Q(name_key__contains=normalise.name_key(q))
        if normalise.has_arabic(q):
            conditions |= Q(first_name_ar__icontains=q) | Q(last_name_ar__icontains=q)
        if can(user, "registry.see_personal_data"):
            if normalise.national_id_is_valid(q):
                conditions |= Q(national_id_key=normalise.national_id_key(q))
            phone = normalise.phone_key(q)
            if len(phone) >= 9:
                conditions |= Q(phone_key=phone)
        queryset = queryset.filter(conditions)
    if region:
        queryset = queryset.filter(region__code=region)
    if province:
        queryset = queryset.filter(province__code=province)
    if sex:
        queryset = queryset.filter(sex=sex)
    if disability in ("yes", "no") and can(user, "registry.see_personal_data"):
        queryset = queryset.filter(disability=disability == "yes")
    return queryset.order_by("last_name", "first_name", "pk")


def person_can_edit(user, person: Person) -> bool:
    return can(user, "registry.edit_person", person)


def access_person(user, pk, *, write: bool = False) -> Person:
    person = get_in_scope(person_visible(user), Person, pk)
    if write and not person_can_edit(user, person):
        raise OutOfScope(person)
    return person


def person_memberships(person: Person):
    return person.memberships.select_related("organisation").order_by("organisation__name")


# -- near matches -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchCandidate:
    a: Person
    b: Person
    reasons: tuple[str, ...]


def _dismissed_pairs(ids: set[int]) -> set[tuple[int, int]]:
    return set(DismissedMatch.objects.filter(person_a__in=ids, person_b__in=ids)
               .values_list("person_a", "person_b"))


def _reasons(a: Person, b: Person) -> tuple[str, ...]:
    reasons = []
    if a.phone_key and a.phone_key == b.phone_key:
        reasons.append("same_phone")
    if a.name_skeleton and a.name_skeleton == b.name_skeleton:
        reasons.append("same_sound")
    distance = normalise.levenshtein(a.name_key, b.name_key, limit=2)
    if 0 < distance <= 2:
        reasons.append("spelling")
    elif distance == 0:
        reasons.append("same_name")
    if a.birth_year and a.birth_year == b.birth_year:
        reasons.append("same_birth_year")
    return tuple(reasons)


def _is_near(reasons: tuple[str, ...]) -> bool:
    named = {"same_sound", "spelling", "same_name"} & set(reasons)
    return bool(named) and ("same_phone" in reasons or "same_birth_year" in reasons
                            or "same_name" in reasons or "spelling" in reasons)


def person_match_candidates(*, user, person: Person | None = None,
                            limit: int = 200) -> list[MatchCandidate]:
    """Pairs of people who may be one person: proposed for a merge, never merged alone.

    Blocks on the phone and on the sound key of the name (which joins Latin and Arabic
    spellings), then compares names within each block.
    """
    people = person_visible(user)
    if person is not None:
        blocks = people.filter(Q(name_skeleton=person.name_skeleton) | (
            Q(phone_key=person.phone_key) & ~Q(phone_key=""))).exclude(pk=person.pk)
        pairs = [(person, other) for other in blocks[:limit]]
    else:
        pairs = []
        for key in ("phone_key", "name_skeleton"):
            shared = (people.exclude(**{key: ""}).values(key).annotate(n=Count("id"))
                      .filter(n__gt=1, n__lt=20).values_list(key, flat=True)[:limit])
            members: dict[str, list[Person]] = {}
            for p in people.filter(**{f"{key}__in": list(shared)}).order_by("pk"):
                members.setdefault(getattr(p, key), []).append(p)
            for group in members.values():
                pairs += [(x, y) for i, x in enumerate(group) for y in group[i + 1:]]
    seen: set[tuple[int, int]] = set()
    candidates = []
    ids = {p.pk for pair in pairs for p in pair}
    dismissed = _dismissed_pairs(ids)
    for x, y in pairs:
        pair_key = (min(x.pk, y.pk), max(x.pk, y.pk))
        if pair_key in seen or pair_key in dismissed:
            continue
        seen.add(pair_key)
        reasons = _reasons(x, y)
        if _is_near(reasons):
            candidates.append(MatchCandidate(x, y, reasons))
        if len(candidates) >= limit:
            break
    return candidates
