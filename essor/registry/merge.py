"""Merging two records of one person: each app says how its own records merge.

An app registers a rule for the relations to ``Person`` it owns (``@rule(...)``, at the
import of its ``merge`` module, done by its ``AppConfig.ready``). A rule receives the
person kept and the person dropped; for each pair of records that may not both point at
``keep`` (a unique constraint), it keeps the stronger one and moves the rest.
``person_merge`` calls every rule, then walks the relations no rule claims: those rows
move, and when one cannot (a unique conflict nobody knows how to decide), the merge is
refused and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ForeignObjectRel
from django.utils.translation import gettext as _

from .models import DismissedMatch, Membership, Person


@dataclass
class MergeLog:
    """What a merge did, by model label: written to the merge's audit entry."""

    moved: dict[str, int] = field(default_factory=dict)
    deleted_duplicates: dict[str, int] = field(default_factory=dict)
    kept: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def move(self, model: type[models.Model], count: int = 1) -> None:
        if count:
            label = model._meta.label_lower
            self.moved[label] = self.moved.get(label, 0) + count

    def fold(self, model: type[models.Model], *, kept: models.Model, deleted: models.Model,
             **details: Any) -> None:
        """``deleted`` duplicated ``kept`` (the stronger of the pair) and was removed."""
        label = model._meta.label_lower
        self.deleted_duplicates[label] = self.deleted_duplicates.get(label, 0) + 1
        self.kept.setdefault(label, []).append(
            {"kept": kept.pk, "deleted": deleted.pk, **details})

    def as_changes(self) -> dict[str, Any]:
        return {"moved": self.moved, "deleted_duplicates": self.deleted_duplicates,
                "kept": self.kept}


MergeRule = Callable[[Person, Person, MergeLog], None]


@dataclass(frozen=True)
class Rule:
    relations: tuple[tuple[str, str], ...]  # (model label, field name) pointing at Person
    merge: MergeRule


rules: dict[str, Rule] = {}


def rule(name: str, *relations: str) -> Callable[[MergeRule], MergeRule]:
    """Register ``merge_person(keep, drop, log)`` for relations written "app.Model.field"."""
    claimed = tuple(tuple(r.lower().rsplit(".", 1)) for r in relations)

    def decorator(function: MergeRule) -> MergeRule:
        rules[name] = Rule(relations=claimed, merge=function)  # type: ignore[arg-type]
        return function
    return decorator


def claimed_relations() -> set[tuple[str, str]]:
    return {relation for registered in rules.values() for relation in registered.relations}


def person_relations() -> list[tuple[type[models.Model], str]]:
    """Every (model, field) whose rows point at a person."""
    found: list[tuple[type[models.Model], str]] = []
    for relation in Person._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or relation.related_model is None:
            continue
        if relation.one_to_many or relation.one_to_one:
            found.append((relation.related_model, relation.field.name))
    return found


def merge_unclaimed(keep: Person, drop: Person, log: MergeLog) -> None:
    """Move the rows of relations no app's rule claims; refuse on a unique conflict."""
    claimed = claimed_relations()
    for model, name in person_relations():
        if (model._meta.label_lower, name) in claimed:
            continue
        for row in model._base_manager.filter(**{name: drop}):
            try:
                with transaction.atomic():
                    setattr(row, name, keep)
                    row.save(update_fields=[name])
            except IntegrityError as exc:
                raise ValidationError(
                    _("%(person)s's record “%(record)s” (%(kind)s no. %(pk)s) cannot move to "
                      "%(kept)s, who already has the same record, and essor does not know "
                      "which one to keep. Nothing was merged.")
                    % {"person": drop.full_name, "record": row, "pk": row.pk,
                       "kind": model._meta.verbose_name, "kept": keep.full_name},
                    code="merge_conflict") from exc
            log.move(model)


def merge_all(keep: Person, drop: Person) -> MergeLog:
    log = MergeLog()
    for registered in rules.values():
        registered.merge(keep, drop, log)
    merge_unclaimed(keep, drop, log)
    return log


# -- the registry's own records ---------------------------------------------------------------

# The default role says least; a role someone chose says more.
ROLE_STRENGTH: dict[str, int] = {
    Membership.Role.PRESIDENT: 3, Membership.Role.MANAGER: 2, Membership.Role.EMPLOYEE: 1,
    Membership.Role.MEMBER: 0}


@rule("registry", "registry.Membership.person", "registry.DismissedMatch.person_a",
      "registry.DismissedMatch.person_b")
def merge_person(keep: Person, drop: Person, log: MergeLog) -> None:
    """One membership per organisation, with the stronger role; dismissed near matches
    of the dropped record go (they were about a record that no longer exists)."""
    kept_by_organisation = {m.organisation_id: m for m in Membership.objects.filter(person=keep)}
    for membership in Membership.objects.filter(person=drop):
        mine = kept_by_organisation.get(membership.organisation_id)
        if mine is None:
            membership.person = keep
            membership.save(update_fields=["person"])
            log.move(Membership)
            continue
        if ROLE_STRENGTH.get(membership.role, 0) > ROLE_STRENGTH.get(mine.role, 0):
            mine.role = membership.role
            mine.save(update_fields=["role"])
        log.fold(Membership, kept=mine, deleted=membership, role=mine.role)
        membership.delete()
    DismissedMatch.objects.filter(person_a=drop).delete()
    DismissedMatch.objects.filter(person_b=drop).delete()
