"""Imports of the observatory: collected values (the regional census of cooperatives).

One row per value: its indicator, period, region (and province), breakdown cell (``sector``,
``sex``; both empty for the total) and value, as staff keep them in a spreadsheet. The key
of a value is its indicator, period, place and cell: re-importing a file changes nothing
(``unchanged``), a changed figure updates its draft, and a row that would change a
submitted or validated value is refused with the value it names (nothing is lost: the
import is all-or-nothing unless asked to write the valid rows, see essor.core.imports).

Run from the observatory's page (``observatory:value_import``) the importer is bound to
that observatory and the ``observatory`` column may be left out; from the general import
page each row names its observatory by code.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from essor.core import cleaning
from essor.core.imports import Importer, RowCleaner, RowInvalid, as_row_errors, register
from essor.core.lookups import Territory

from . import collected
from .catalogue import REGISTRY, load_indicators
from .models import CollectedValue, Observatory

COLUMNS = {"indicator_code": "indicator", "period_start": "period_start",
           "period_end": "period_end", "region": "region", "province": "province",
           "cells": "sector", "value": "value", "source": "source",
           "observatory": "observatory"}


def _value(text: str) -> Decimal:
    """A figure as a spreadsheet writes it: ``1 234``, ``1234,5``, ``1234.0``."""
    plain = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if plain.count(",") == 1 and "." not in plain:
        plain = plain.replace(",", ".")
    try:
        number = Decimal(plain)
    except InvalidOperation:
        raise cleaning.refused(text, _("write a number.")) from None
    if not number.is_finite() or number < 0 or number >= Decimal("1e12"):
        raise cleaning.refused(text, _("write a number of zero or more."))
    return number


@register
class CollectedValueImporter(Importer):
    """Collected values by their indicator, period, place and breakdown cell."""

    kind = "observatory_values"
    label = gettext_lazy("Observatory: collected values (census of cooperatives)")
    columns = ["observatory", "indicator", "period_start", "period_end", "region", "province",
               "sector", "sex", "value", "source"]
    required = ["indicator", "period_start", "period_end", "region", "value"]
    example = [
        {"observatory": "oriental", "indicator": "observatory.census_cooperatives",
         "period_start": "2025-01-01", "period_end": "2025-12-31", "region": "MA-02",
         "sector": "crafts", "value": "118", "source": "Recensement régional 2025"},
        {"observatory": "oriental", "indicator": "observatory.census_members",
         "period_start": "2025-01-01", "period_end": "2025-12-31", "region": "MA-02",
         "sector": "crafts", "sex": "F", "value": "964",
         "source": "Recensement régional 2025"},
    ]

    def __init__(self, *, by, observatory: Observatory | None = None):
        super().__init__(by=by)
        self.observatory = observatory
        self.territory = Territory()
        self.observatories: dict[str, Observatory | None] = {}
        load_indicators()

    def _observatory(self, value: str) -> Observatory:
        if not value:
            raise cleaning.CellError(_("Name the observatory by its code."))
        key = value.strip().lower()
        if key not in self.observatories:
            visible = (collected.observatory_visible(self.by) if self.by is not None
                       else Observatory.objects.all())
            self.observatories[key] = visible.filter(code=key).first()
        found = self.observatories[key]
        if found is None:
            raise cleaning.refused(value, _("unknown observatory code."))
        return found

    def _indicator(self, value: str) -> str:
        code = value.strip()
        for candidate in (code, f"observatory.{code}"):
            item = REGISTRY.get(candidate)
            if item is not None and item.source == "collected":
                return item.code
        allowed = ", ".join(item.code for item in collected.collected_indicators())
        raise cleaning.refused(value, _("not a collected indicator (allowed: %(allowed)s).")
                               % {"allowed": allowed})

    def clean_row(self, row: dict[str, str]) -> dict[str, Any]:
        c = RowCleaner(row)
        observatory = (self.observatory if self.observatory is not None
                       else c.take("observatory", self._observatory, required=True))
        data: dict[str, Any] = {
            "observatory": observatory,
            "indicator_code": c.take("indicator", self._indicator, required=True),
            "period_start": c.take("period_start", cleaning.date, required=True),
            "period_end": c.take("period_end", cleaning.date, required=True),
            "region": c.take("region", self.territory.region, required=True),
            "value": c.take("value", _value, required=True),
            "source": c.take("source") or "",
        }
        data["province"] = None
        if data["region"] is not None:
            data["province"] = c.take("province", self.territory.province,
                                      region=data["region"]) or None
        cells = {}
        if (row.get("sector") or "").strip():
            cells["sector"] = c.take("sector", cleaning.choice,
                                     choices=collected.CELL_CHOICES["sector"])
        if (row.get("sex") or "").strip():
            cells["sex"] = c.take("sex", cleaning.sex)  # F, M, femme, homme, أنثى…
        if data["period_start"] and data["period_end"] and \
                data["period_end"] < data["period_start"]:
            c.errors.append(("period_end", _('"%(value)s": the period ends before it starts.')
                             % {"value": data["period_end"]}))
        c.done()
        item = REGISTRY[data["indicator_code"]]
        for dim in cells:
            if dim not in item.breakdowns:
                raise RowInvalid([(dim, _("%(indicator)s has no breakdown by %(by)s.")
                                   % {"indicator": item.code, "by": dim})])
        data["cells"] = cells
        return data

    def write_row(self, cleaned: dict[str, Any]) -> str:
        with as_row_errors(COLUMNS, "value", "observatory"):
            key = ",".join(f"{k}={v}" for k, v in sorted(cleaned["cells"].items()))
            stored = CollectedValue.objects.filter(
                indicator_code=cleaned["indicator_code"],
                period_start=cleaned["period_start"], period_end=cleaned["period_end"],
                region=cleaned["region"], province=cleaned["province"],
                cell_key=key).select_related("observatory", "region", "province").first()
            if stored is None:
                collected.value_create(by=self.by, **cleaned)
                return "created"
            if stored.observatory_id != cleaned["observatory"].pk:
                raise RowInvalid([("observatory", _(
                    "This value is entered by another observatory (%(observatory)s): "
                    "%(value)s.") % {"observatory": stored.observatory.code,
                                     "value": collected.describe(stored)})])
            if stored.value == cleaned["value"] and (
                    not cleaned["source"] or stored.source == cleaned["source"]):
                return "unchanged"
            changes = {"value": cleaned["value"]}
            if cleaned["source"]:
                changes["source"] = cleaned["source"]
            collected.value_update(value=stored, data=changes, by=self.by)
            return "updated"
