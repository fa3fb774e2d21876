"""The audit log is written by services, inside their transaction."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import models

from .models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of an instance, for a later ``diff``."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _plain(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(action: str, obj: models.Model | None = None, *, by=None,
           changes: dict[str, Any] | None = None, region=None, label: str = "") -> AuditEntry:
    """Append one entry. ``by`` is the acting user (None for the system)."""
    entry_ = entry(action, obj, by=by, changes=changes, region=region, label=label)
    entry_.save()
    return entry_


def entry(action: str, obj: models.Model | None = None, *, by=None,
          changes: dict[str, Any] | None = None, region=None, label: str = "") -> AuditEntry:
    """An unsaved entry, as ``record`` writes it: for ``bulk_create`` in imports."""
    actor = by if getattr(by, "is_authenticated", False) else None
    if region is None and obj is not None:
        region = getattr(obj, "region", None) if hasattr(obj, "region_id") else None
    return AuditEntry(
        actor=actor,
        actor_name=(actor.get_username() if actor else (label or "system"))[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=changes or {},
        region=region,
    )
