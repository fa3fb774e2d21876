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


def _dismissed_pairs(ids: set[int] | None = None) -> set[tuple[int, int]]:
    """Pairs marked as different people (among ``ids``, or all: the table is small, and
    thousands of ids would not fit in one query's parameters)."""
    queryset = DismissedMatch.objects.all()
    if ids is not None:
        queryset = queryset.filter(person_a__in=ids, person_b__in=ids)
    return set(queryset.values_list("person_a", "person_b"))


def _reasons(a, b) -> tuple[str, ...]:
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


def _within_two_edits(a: str, b: str) -> bool:
    """``levenshtein(a, b) <= 2``, in a band of the table around its diagonal: what the
    count of every pair needs, at a fifth of the full table's cost."""
    if abs(len(a) - len(b)) > 2:
        return False
    big = 3
    previous = {j: j for j in range(min(len(b), 2) + 1)}
    for i in range(1, len(a) + 1):
        current = {}
        for j in range(max(0, i - 2), min(len(b), i + 2) + 1):
            if j == 0:
                current[j] = i
                continue
            current[j] = min(previous.get(j, big) + 1, current.get(j - 1, big) + 1,
                             previous.get(j - 1, big) + (a[i - 1] != b[j - 1]))
        if min(current.values()) > 2:
            return False
        previous = current
    return previous.get(len(b), big) <= 2


def _near(a: _Keys, b: _Keys) -> bool:
    """``_is_near(_reasons(a, b))``, with the edit distance computed only when the answer
    depends on it."""
    if a.name_key == b.name_key:
        return bool(a.name_key)
    same_sound = bool(a.name_skeleton) and a.name_skeleton == b.name_skeleton
    if same_sound and ((a.phone_key and a.phone_key == b.phone_key)
                       or (a.birth_year and a.birth_year == b.birth_year)):
        return True
    return _within_two_edits(a.name_key, b.name_key)


def _is_near(reasons: tuple[str, ...]) -> bool:
    named = {"same_sound", "spelling", "same_name"} & set(reasons)
    return bool(named) and ("same_phone" in reasons or "same_birth_year" in reasons
                            or "same_name" in reasons or "spelling" in reasons)


@dataclass(frozen=True)
class _Keys:
    pk: int
    phone_key: str
    name_skeleton: str
    name_key: str
    birth_year: int | None


BLOCK_MAX = 20  # a phone or a name sound shared by more people is too common to propose


def _people_in(user, region: str = "") -> QuerySet[Person]:
    people = person_visible(user)
    return people.filter(region__code=region) if region else people


def person_match_pairs(*, user, region: str = "") -> list[tuple[int, int]]:
    """Every pair of people of the reader's scope (of ``region``, a region's code, when
    given) who may be one person, as ``(a, b)`` ids in order.

    Blocks on the phone and on the sound key of the name (which joins Latin and Arabic
    spellings), then compares names within each block. Reads only the keys, in 2 queries
    per block key and one for the pairs set aside, whatever the number of people: the
    records themselves are read for the page shown (``person_match_page``)."""
    people = _people_in(user, region).order_by()
    keys: dict[int, _Keys] = {}
    blocks: list[list[int]] = []
    for key in ("phone_key", "name_skeleton"):
        shared = (people.exclude(**{key: ""}).values(key).annotate(n=Count("id"))
                  .filter(n__gt=1, n__lt=BLOCK_MAX).values(key))
        members: dict[str, list[int]] = {}
        for row in (people.filter(**{f"{key}__in": shared}).order_by("pk")
                    .values_list("pk", "phone_key", "name_skeleton", "name_key",
                                 "birth_year")):
            keys[row[0]] = _Keys(*row)
            members.setdefault(row[1] if key == "phone_key" else row[2], []).append(row[0])
        blocks += members.values()
    dismissed = _dismissed_pairs()
    seen: set[tuple[int, int]] = set()
    pairs = []
    for group in blocks:
        for i, x in enumerate(group):
            for y in group[i + 1:]:
                pair = (x, y) if x < y else (y, x)
                if pair in seen or pair in dismissed:
                    continue
                seen.add(pair)
                if _near(keys[pair[0]], keys[pair[1]]):
                    pairs.append(pair)
    pairs.sort()
    return pairs


def person_match_page(*, user, pairs) -> list[MatchCandidate]:
    """The candidates of one page of ``person_match_pairs``, their people read in one
    query (with their regions), each with its reasons."""
    ids = {pk for pair in pairs for pk in pair}
    people = person_visible(user).in_bulk(ids)
    return [MatchCandidate(people[a], people[b], _reasons(people[a], people[b]))
            for a, b in pairs if a in people and b in people]


def person_match_candidates(*, user, person: Person | None = None,
                            limit: int = 200) -> list[MatchCandidate]:
    """Pairs of people who may be one person: proposed for a merge, never merged alone.
    With ``person``, that person's; otherwise the first ``limit`` of the reader's scope."""
    if person is None:
        return person_match_page(user=user, pairs=person_match_pairs(user=user)[:limit])
    people = person_visible(user)
    blocks = people.filter(Q(name_skeleton=person.name_skeleton) | (
        Q(phone_key=person.phone_key) & ~Q(phone_key=""))).exclude(pk=person.pk)
    pairs = [(person, other) for other in blocks[:limit]]
    candidates = []
    dismissed = _dismissed_pairs({p.pk for pair in pairs for p in pair})
    for x, y in pairs:
        if (min(x.pk, y.pk), max(x.pk, y.pk)) in dismissed:
            continue
        reasons = _reasons(x, y)
        if _is_near(reasons):
            candidates.append(MatchCandidate(x, y, reasons))
    return candidates
