"""Collected values (issue 9, point 4): the values of the indicators that come from surveys
(the regional census of cooperatives), entered or imported by an observatory.

A value moves draft → submitted → validated. The observatory's analysts (and the national
admin) enter, edit, delete and submit drafts; the national admin validates a submitted
value or sends it back to draft; a validated value is locked (no service, form, import,
API or admin page changes or deletes it) until the national admin un-validates it with a
reason, which the audit log keeps. Only validated values are counted
(``essor.observatory.compute.collected_values``). Every refusal names the value refused.

Services write (``value_<verb>``, keyword-only, atomic, audited); selectors read, scoped
to the reader: an observatory the reader may not open, or a value outside their regions,
is not found (404), never "forbidden".
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from essor.accounts.permissions import can
from essor.audit import services as audit
from essor.core.scoping import filter_by_region, get_in_scope, in_scope
from essor.registry.models import Organisation
from essor.territory.models import Province, Region

from . import cache
from .catalogue import Indicator, all_indicators, get
from .compute import COLLECTED_SOURCE
from .models import CollectedValue, CollectedValueComment, Observatory

Status = CollectedValue.Status

# The codes a breakdown cell may hold, per dimension of the collected indicators.
CELL_CHOICES: dict[str, list[tuple[str, Any]]] = {
    "sector": list(Organisation.Sector.choices),
    "sex": [("F", gettext_lazy("women")), ("M", gettext_lazy("men"))],
}

EDITABLE = (Status.DRAFT,)


# -- describing a value ----------------------------------------------------------------------

def describe(value: CollectedValue) -> str:
    """The value as a refusal names it: indicator, place, period, cell and figure."""
    place = value.province.code if value.province_id and value.province else (
        value.region.code if value.region_id else "?")
    cell = value.cell_key or _("total")
    return (f"{value.indicator_code} · {place} · {value.period_start}–{value.period_end}"
            f" · {cell} = {value.value}")


def cell_labels(value: CollectedValue) -> str:
    """The breakdown cell as a reader reads it ("crafts · women"); "total" for none."""
    from .labels import label

    return " · ".join(label(dim, code) for dim, code in sorted((value.cells or {}).items())
                      ) or _("total")


def collected_indicators() -> list[Indicator]:
    return [item for item in all_indicators() if item.source == "collected"]


def _changed() -> None:
    cache.bump(COLLECTED_SOURCE)


# -- selectors -------------------------------------------------------------------------------

def observatory_visible(user) -> QuerySet[Observatory]:
    """The observatories ``user`` may open (observatory.read_observatory), as every page
    of the observatory reads them (``selectors.observatories_for``)."""
    from .selectors import observatories_for

    if not can(user, "observatory.read_observatory"):
        return Observatory.objects.none()
    return observatories_for(user)


def access_observatory(user, code: str) -> Observatory:
    """The observatory of this code; 404 when missing or not the user's."""
    found = Observatory.objects.filter(code=code).first()
    if found is None:
        raise Http404
    return get_in_scope(observatory_visible(user), Observatory, found.pk)


def value_list(observatory: Observatory, user, *, indicator: str = "", status: str = "",
               region: str = "", year: int | None = None) -> QuerySet[CollectedValue]:
    """The observatory's values in ``user``'s regions, filtered."""
    queryset = filter_by_region(observatory.collected_values.all(), user)
    if indicator:
        queryset = queryset.filter(indicator_code=indicator)
    if status:
        queryset = queryset.filter(status=status)
    if region:
        queryset = queryset.filter(region__code=region)
    if year:
        queryset = queryset.filter(period_start__year=year)
    return queryset.select_related("region", "province", "entered_by", "validated_by")


def access_value(user, observatory: Observatory, pk: Any) -> CollectedValue:
    """A value of this observatory in the user's regions; 404 otherwise."""
    return get_in_scope(value_list(observatory, user), CollectedValue, pk)


def value_visible(user) -> QuerySet[CollectedValue]:
    """Every value ``user`` may read (the API): of their observatories, in their regions."""
    queryset = CollectedValue.objects.filter(observatory__in=observatory_visible(user))
    return filter_by_region(queryset, user).select_related(
        "observatory", "region", "province", "entered_by", "validated_by")


def comment_list(value: CollectedValue) -> QuerySet[CollectedValueComment]:
    return value.comments.select_related("author")


# -- checks ----------------------------------------------------------------------------------

def _refuse(by, name: str, observatory: Observatory, message: str) -> None:
    if by is not None and not can(by, name, observatory):
        raise PermissionDenied(message)


def _may_enter(by, observatory: Observatory, what: str) -> None:
    _refuse(by, "observatory.enter_values", observatory,
            _("Only the analysts of %(observatory)s enter its values: %(value)s refused.")
            % {"observatory": observatory.code, "value": what})


def _may_validate(by, observatory: Observatory, what: str) -> None:
    _refuse(by, "observatory.validate_values", observatory,
            _("Only the national admin validates collected values: %(value)s refused.")
            % {"value": what})


def _locked(value: CollectedValue) -> ValidationError:
    return ValidationError(
        _("This value is validated and locked: %(value)s. Un-validate it (with a reason) "
          "before changing it.") % {"value": describe(value)}, code="locked")


def _indicator(code: str) -> Indicator:
    try:
        item = get(code)
    except LookupError:
        raise ValidationError({"indicator_code": _("Unknown indicator: %(code)s")
                               % {"code": code}}) from None
    if item.source != "collected":
        raise ValidationError({"indicator_code": _(
            "%(code)s is computed from the records, not collected.") % {"code": code}})
    return item


def clean_cells(item: Indicator, cells: dict[str, Any] | None) -> dict[str, str]:
    """The breakdown cell, its codes checked against the indicator's breakdowns."""
    clean: dict[str, str] = {}
    for dim, raw in (cells or {}).items():
        code = str(raw or "").strip()
        if not code:
            continue
        if dim not in item.breakdowns:
            raise ValidationError({"cells": _(
                "%(indicator)s has no breakdown by %(by)s (it has: %(supported)s)") % {
                "indicator": item.code, "by": dim,
                "supported": ", ".join(item.breakdowns) or "-"}})
        allowed = [key for key, _label in CELL_CHOICES.get(dim, [])]
        if code not in allowed:
            raise ValidationError({"cells": _(
                '"%(value)s" is not a code of %(by)s (allowed: %(allowed)s)') % {
                "value": code, "by": dim, "allowed": ", ".join(allowed)}})
        clean[dim] = code
    return clean


def _check_place(value: CollectedValue, observatory: Observatory, by) -> None:
    what = describe(value)
    if not observatory.regions.filter(pk=value.region_id).exists():
        raise ValidationError({"region": _(
            "%(region)s is not a region of %(observatory)s: %(value)s refused.") % {
            "region": value.region.code, "observatory": observatory.code, "value": what}})
    if by is not None and not in_scope(by, value.region_id):
        raise PermissionDenied(_("This region is outside your scope: %(value)s refused.")
                               % {"value": what})
    province = value.province if value.province_id else None
    if province is not None and province.region_id != value.region_id:
        raise ValidationError({"province": _(
            "%(province)s is not in %(region)s: %(value)s refused.") % {
            "province": province.code, "region": value.region.code, "value": what}})
    key = ",".join(f"{k}={v}" for k, v in sorted((value.cells or {}).items()))
    twin = CollectedValue.objects.filter(
        indicator_code=value.indicator_code, period_start=value.period_start,
        period_end=value.period_end, region_id=value.region_id,
        province=province, cell_key=key).exclude(pk=value.pk).first()
    if twin is not None:
        raise ValidationError(_("This value is already entered: %(value)s (the one stored: "
                                "%(stored)s, %(status)s).") % {
            "value": what, "stored": twin.value, "status": twin.get_status_display()},
            code="exists")
    # A region's figure is entered at one level: for the region, or for its provinces.
    other_level = CollectedValue.objects.filter(
        indicator_code=value.indicator_code, period_start=value.period_start,
        period_end=value.period_end, region_id=value.region_id,
        province__isnull=value.province_id is not None).exclude(pk=value.pk)
    if other_level.exists():
        raise ValidationError({"province": _(
            "This period of %(region)s is already entered %(level)s: %(value)s refused "
            "(enter a region's figures for the region or for its provinces, not both).") % {
            "region": value.region.code, "value": what,
            "level": _("for the region") if value.province_id else _("by province")}})


def _save(value: CollectedValue) -> None:
    value.cell_key = ",".join(f"{k}={v}" for k, v in sorted((value.cells or {}).items()))
    value.full_clean()
    try:
        with transaction.atomic():  # the database has the last word (two at once)
            value.save()
    except IntegrityError:
        raise ValidationError(_("This value is already entered: %(value)s.")
                              % {"value": describe(value)}, code="exists") from None


# -- services --------------------------------------------------------------------------------

@transaction.atomic
def value_create(*, observatory: Observatory, indicator_code: str,
                 period_start: datetime.date, period_end: datetime.date, region: Region,
                 value: Decimal, province: Province | None = None,
                 cells: dict[str, Any] | None = None, source: str = "", by) -> CollectedValue:
    """A draft value of a collected indicator for one place, period and breakdown cell."""
    item = _indicator(indicator_code)
    collected = CollectedValue(
        observatory=observatory, indicator_code=item.code, period_start=period_start,
        period_end=period_end, region=region, province=province,
        cells=clean_cells(item, cells), value=value, source=source, status=Status.DRAFT,
        entered_by=by if getattr(by, "is_authenticated", False) else None)
    _may_enter(by, observatory, describe(collected))
    if value is not None and value < 0:
        raise ValidationError({"value": _("A collected value cannot be negative: "
                                          "%(value)s refused.") % {"value": describe(collected)}})
    _check_place(collected, observatory, by)
    _save(collected)
    audit.record("observatory.value.created", collected, by=by, changes=audit.snapshot(
        collected, ["indicator_code", "period_start", "period_end", "region_id",
                    "province_id", "cell_key", "value", "source"]))
    _changed()
    return collected


UPDATABLE = {"period_start", "period_end", "region", "province", "cells", "value", "source"}


@transaction.atomic
def value_update(*, value: CollectedValue, data: dict[str, Any], by) -> CollectedValue:
    """Change a draft with ``data`` (fields among UPDATABLE; its figure is
    ``data["value"]``). A submitted value is sent back first; a validated one is locked."""
    changes = dict(data)
    value = CollectedValue.objects.select_for_update().get(pk=value.pk)
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise TypeError(f"not updatable: {sorted(unknown)}")
    _may_enter(by, value.observatory, describe(value))
    if value.status == Status.VALIDATED:
        raise _locked(value)
    if value.status not in EDITABLE:
        raise ValidationError(_("This value is submitted for validation: %(value)s. Ask for "
                                "it to be sent back before changing it.")
                              % {"value": describe(value)}, code="submitted")
    before = audit.snapshot(value)
    if "cells" in changes:
        changes["cells"] = clean_cells(get(value.indicator_code), changes["cells"])
    for name, new in changes.items():
        setattr(value, name, new)
    if value.value is not None and value.value < 0:
        raise ValidationError({"value": _("A collected value cannot be negative: "
                                          "%(value)s refused.") % {"value": describe(value)}})
    _check_place(value, value.observatory, by)
    _save(value)
    change = audit.diff(before, audit.snapshot(value))
    change.pop("updated_at", None)
    if change:
        audit.record("observatory.value.updated", value, by=by, changes=change)
        _changed()
    return value


@transaction.atomic
def value_delete(*, value: CollectedValue, by) -> None:
    value = CollectedValue.objects.select_for_update().get(pk=value.pk)
    _may_enter(by, value.observatory, describe(value))
    if value.status == Status.VALIDATED:
        raise _locked(value)
    audit.record("observatory.value.deleted", value, by=by,
                 changes={"value": describe(value)})
    value.delete()
    _changed()


def _move(value: CollectedValue, *, to: str, by, action: str, reason: str = "",
          **fields: Any) -> CollectedValue:
    before = value.status
    value.status = to
    for name, new in fields.items():
        setattr(value, name, new)
    value.save()
    changes: dict[str, Any] = {"status": [before, to]}
    if reason:
        changes["reason"] = reason
    audit.record(action, value, by=by, changes=changes)
    _changed()
    return value


@transaction.atomic
def value_submit(*, value: CollectedValue, by) -> CollectedValue:
    """A draft goes to validation."""
    value = CollectedValue.objects.select_for_update().get(pk=value.pk)
    _may_enter(by, value.observatory, describe(value))
    if value.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted: %(value)s is %(status)s.")
                              % {"value": describe(value), "status": value.get_status_display()})
    return _move(value, to=Status.SUBMITTED, by=by, action="observatory.value.submitted",
                 submitted_at=timezone.now())


@transaction.atomic
def value_validate(*, value: CollectedValue, by) -> CollectedValue:
    """A submitted value is validated: counted, and locked."""
    value = CollectedValue.objects.select_for_update().get(pk=value.pk)
    _may_validate(by, value.observatory, describe(value))
    if value.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted value can be validated: %(value)s is "
                                "%(status)s.") % {"value": describe(value),
                                                  "status": value.get_status_display()})
    return _move(value, to=Status.VALIDATED, by=by, action="observatory.value.validated",
                 validated_by=by if getattr(by, "is_authenticated", False) else None,
                 validated_at=timezone.now())


def _reason(reason: str, value: CollectedValue) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason: %(value)s.")
                               % {"value": describe(value)}})
    return reason[:1000]


@transaction.atomic
def value_send_back(*, value: CollectedValue, reason: str, by) -> CollectedValue:
    """A submitted value goes back to its analysts as a draft, with the reason (kept as a
    comment and in the audit log)."""
    value = CollectedValue.objects.select_for_update().get(pk=value.pk)
    _may_validate(by, value.observatory, describe(value))
    if value.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted value can be sent back: %(value)s is "
                                "%(status)s.") % {"value": describe(value),
                                                  "status": value.get_status_display()})
    reason = _reason(reason, value)
    _comment(value, reason, by)
    return _move(value, to=Status.DRAFT, by=by, action="observatory.value.sent_back",
                 reason=reason, submitted_at=None)


@transaction.atomic
def value_unvalidate(*, value: CollectedValue, reason: str, by) -> CollectedValue:
    """Unlock a validated value (back to draft, no longer counted): audited with the
    reason, which is also kept as a comment."""
    value = CollectedValue.objects.select_for_update().get(pk=value.pk)
    _may_validate(by, value.observatory, describe(value))
    if value.status != Status.VALIDATED:
        raise ValidationError(_("Only a validated value can be un-validated: %(value)s is "
                                "%(status)s.") % {"value": describe(value),
                                                  "status": value.get_status_display()})
    reason = _reason(reason, value)
    _comment(value, reason, by)
    return _move(value, to=Status.DRAFT, by=by, action="observatory.value.unvalidated",
                 reason=reason, validated_by=None, validated_at=None, submitted_at=None)


def _comment(value: CollectedValue, body: str, by) -> CollectedValueComment:
    comment = CollectedValueComment(value=value, body=body,
                                    author=by if getattr(by, "is_authenticated", False)
                                    else None)
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def value_comment(*, value: CollectedValue, body: str, by) -> CollectedValueComment:
    """A comment on a value, by anyone who may open its observatory (locked or not)."""
    if by is not None and not can(by, "observatory.read_observatory", value.observatory):
        raise PermissionDenied(_("You may not comment on %(value)s.")
                               % {"value": describe(value)})
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the comment.")})
    comment = _comment(value, body, by)
    audit.record("observatory.value.commented", value, by=by,
                 changes={"comment": comment.pk})
    return comment
