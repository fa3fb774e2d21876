"""The open data (issue 9, point 7): an observatory's published datasets as tables with
small cells suppressed, in CSV, XLSX and JSON, described by a Frictionless
``datapackage.json``.

A :class:`~essor.observatory.models.Dataset` publishes one indicator over a period and
its observatory's regions, by up to two breakdowns. Its values come from the catalogue
(``compute.values``), one region at a time (``region=``), and are hidden by
``essor.observatory.disclosure``:

* Every published table of one indicator, period and region is suppressed *together*
  (``disclosure.suppress_linked``): the dataset by sex and the dataset by sex and age
  band of the same indicator hide the same margins, whichever observatory publishes
  them, so that one cannot undo the other. A two-breakdown table carries its true
  margins (the one-breakdown values: distinct people are not summed).
* A share is hidden wherever its numerator or denominator is
  (``disclosure.suppress_share``), those counts suppressed with the same tables.
* An observatory of several regions publishes one table per region, side by side, with
  ``"region"`` as the first breakdown: each region's table is protected on its own and
  no cross-region figure is published except the grand total, when the records add up
  across regions (every record in one region) and every region's total is published
  (then it is their sum and tells nothing new). A count of distinct people across
  regions is not published: a person may count in two of them.

:func:`published` gives the tables of many datasets in one pass. A table's ``data`` is
the JSON of ``essor indicators values --public`` (``indicator``, ``unit``, ``by``,
``total``, ``additive``, ``rows`` with ``"value": null, "suppressed": true`` for a hidden
cell, ``margins``, ``suppressed_count``); :func:`cells` flattens it to one line per
cell, margins and total included (``_T`` for "all", as SDMX writes it), which is what
the CSV and XLSX files hold.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from essor.core.exports import Exporter

from . import compute, dimensions, disclosure
from .catalogue import Indicator, UnknownIndicator, get
from .compute import IndicatorError
from .labels import labels
from .models import Dataset, Observatory

TOTAL = "_T"
FORMATS = ("csv", "xlsx", "json")
MEDIATYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}

SUPPRESSION_NOTE = _("Counts of 1 to 4 people are not published, and a second cell is "
                     "hidden wherever a hidden one could be worked out from the totals "
                     "and the other cells.")
REGIONS_NOT_ADDED = _("A person may count in several regions: the regions' figures are "
                      "not added up.")


class NotPublishable(Exception):
    """A dataset the catalogue cannot compute (an unknown indicator or breakdown, an
    observatory without regions); the message says why."""


@dataclass
class Table:
    """The published values of one dataset."""

    dataset: Dataset
    indicator: Indicator
    columns: tuple[str, ...]  # the file's breakdown columns: "region" first
    data: dict[str, Any]  # the JSON shape, suppressed
    parts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # per region
    error: str | None = None

    @property
    def suppressed(self) -> int:
        return int(self.data.get("suppressed_count", 0))


# -- computing ----------------------------------------------------------------------------

def _period(dataset: Dataset) -> tuple[datetime.date | None, datetime.date | None]:
    return dataset.period_start, dataset.period_end


def _region_codes(dataset: Dataset) -> list[str]:
    return sorted(region.code for region in dataset.observatory.regions.all())


def _counts(item: Indicator) -> tuple[str, ...]:
    """The counts a dataset's suppression is computed on: the indicator, or a share's
    numerator and denominator."""
    if item.is_share:
        assert item.numerator and item.denominator
        return (item.numerator, item.denominator)
    return (item.code,)


def _tables_needed(by: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A table and, for two breakdowns, its margins (published as the one-breakdown
    tables of the same indicator are)."""
    return [by, *((dim,) for dim in by)] if len(by) == 2 else [by]


def _check(dataset: Dataset) -> tuple[Indicator, tuple[str, ...]]:
    try:
        item = get(dataset.indicator_code)
    except UnknownIndicator as exc:
        raise NotPublishable(str(exc)) from None
    try:
        by = compute.checked_breakdowns(item, dataset.by)
    except IndicatorError as exc:
        raise NotPublishable(str(exc)) from None
    if not dataset.observatory.regions.all():
        raise NotPublishable(gettext("The observatory has no region."))
    return item, by


GroupKey = tuple[str, datetime.date | None, datetime.date | None, str]


def published_datasets(observatory: Observatory | None = None):
    """The published datasets (of one observatory), with what their tables need."""
    queryset = (Dataset.objects.filter(published=True)
                .select_related("observatory", "observatory__host")
                .prefetch_related("observatory__regions"))
    if observatory is not None:
        queryset = queryset.filter(observatory=observatory)
    return queryset


def published(datasets: Iterable[Dataset]) -> dict[int, Table]:
    """The published table of each dataset (by id), suppressed together with every other
    published table of the same indicator, period and region."""
    datasets = list(datasets)
    checked: dict[int, tuple[Indicator, tuple[str, ...]] | str] = {}
    needed: dict[GroupKey, set[tuple[str, ...]]] = {}
    for dataset in datasets:
        try:
            item, by = _check(dataset)
        except NotPublishable as exc:
            checked[dataset.pk] = str(exc)
            continue
        checked[dataset.pk] = (item, by)
        for code in _counts(item):
            for region in _region_codes(dataset):
                needed.setdefault((code, *_period(dataset), region), set())
    # Every published table over the same counts, whoever publishes it.
    for other in published_datasets():
        try:
            item, by = _check(other)
        except NotPublishable:
            continue
        for code in _counts(item):
            for region in _region_codes(other):
                key = (code, *_period(other), region)
                if key in needed:
                    needed[key].update(_tables_needed(by))
    for dataset in datasets:  # the datasets asked for, even if not published yet
        found = checked[dataset.pk]
        if isinstance(found, tuple):
            for code in _counts(found[0]):
                for region in _region_codes(dataset):
                    needed[(code, *_period(dataset), region)].update(_tables_needed(found[1]))

    suppressed: dict[tuple[GroupKey, tuple[str, ...]], dict[str, Any]] = {}
    for key, bys in needed.items():
        code, date_from, date_to, region = key
        order = sorted(bys, key=lambda b: (len(b), b))
        raw = []
        for by in order:
            data = compute.values(code, by=by, date_from=date_from, date_to=date_to,
                                  region=region).as_dict()
            raw.append(data)
        for by, out in zip(order, disclosure.suppress_linked(raw), strict=True):
            suppressed[(key, by)] = out

    tables = {}
    for dataset in datasets:
        found = checked[dataset.pk]
        if isinstance(found, str):
            tables[dataset.pk] = _unpublishable(dataset, found)
            continue
        item, by = found
        parts = []
        for region in _region_codes(dataset):
            parts.append((region, _part(item, by, dataset, region, suppressed)))
        tables[dataset.pk] = _combine(dataset, item, by, parts)
    return tables


def newly_hidden(candidate: Dataset) -> dict[int, list[dict[str, Any]]]:
    """What publishing ``candidate`` would hide in the datasets already published: for
    each (by id), the cells they publish today that would then be suppressed. Files
    already downloaded give those cells away, and with them what the new table hides:
    the publication should wait, or publish other breakdowns, while this is not empty."""
    others = [d for d in published_datasets() if d.pk != candidate.pk]
    before = published(others)
    after = published([*others, candidate])
    found: dict[int, list[dict[str, Any]]] = {}
    for dataset in others:
        if before[dataset.pk].error is not None:
            continue
        shown = {tuple(line[c] for c in before[dataset.pk].columns): line
                 for line in cells(before[dataset.pk]) if not line["suppressed"]}
        lost = [shown[key] for key in (tuple(line[c] for c in after[dataset.pk].columns)
                                       for line in cells(after[dataset.pk])
                                       if line["suppressed"]) if key in shown]
        if lost:
            found[dataset.pk] = lost
    return found


def table(dataset: Dataset) -> Table:
    """One dataset's published table."""
    return published([dataset])[dataset.pk]


def _unpublishable(dataset: Dataset, error: str) -> Table:
    try:
        item = get(dataset.indicator_code)
    except UnknownIndicator:
        item = Indicator(code=dataset.indicator_code, name=dataset.indicator_code,
                         definition="", unit="count", source="computed", measure="count")
    return Table(dataset, item, (), {}, [], error)


def _part(item: Indicator, by: tuple[str, ...], dataset: Dataset, region: str,
          suppressed: Mapping[tuple[GroupKey, tuple[str, ...]], dict[str, Any]]
          ) -> dict[str, Any]:
    """One region's published table of the dataset."""
    date_from, date_to = _period(dataset)
    if not item.is_share:
        return suppressed[((item.code, date_from, date_to, region), by)]
    assert item.numerator and item.denominator
    num = suppressed[((item.numerator, date_from, date_to, region), by)]
    den = suppressed[((item.denominator, date_from, date_to, region), by)]
    share = compute.values(item, by=by, date_from=date_from, date_to=date_to,
                           region=region).as_dict()
    if len(by) == 2:
        share["margins"] = {dim: compute.values(item, by=(dim,), date_from=date_from,
                                                date_to=date_to, region=region
                                                ).as_dict()["rows"] for dim in by}
    return disclosure.suppress_share(share, num, den)


def _adds_across_regions(item: Indicator) -> bool:
    """Every record the indicator counts or sums lies in one region, as does every
    collected value (a distinct person may lie in several)."""
    return item.measure in ("count", "sum", "collected")


def _combine(dataset: Dataset, item: Indicator, by: tuple[str, ...],
             parts: list[tuple[str, dict[str, Any]]]) -> Table:
    date_from, date_to = _period(dataset)
    meta = {"dataset": dataset.pk, "observatory": dataset.observatory.code,
            "title": title(dataset), "date_from": date_from.isoformat() if date_from else None,
            "date_to": date_to.isoformat() if date_to else None,
            "regions": [region for region, _data in parts]}
    if len(parts) == 1:
        region, data = parts[0]
        columns = ("region", *(d for d in by if d != "region"))
        note = None if data["additive"] else _note(item)
        return Table(dataset, item, columns, {**meta, **data, "note": note}, parts)

    columns = ("region", *(d for d in by if d != "region"))
    rows, region_margin = [], []
    inner: dict[str, list[dict[str, Any]]] = {}
    for region, data in parts:
        rows += [{"region": region, **row} for row in data["rows"]]
        margin = {"region": region, "value": data["total"]}
        if data.get("total_suppressed"):
            margin["suppressed"] = True
        region_margin.append(margin)
        for dim, margin_rows in (data.get("margins") or {}).items():
            inner.setdefault(dim, []).extend({"region": region, **row} for row in margin_rows)
    adds = _adds_across_regions(item) and not item.is_share
    all_shown = all(not data.get("total_suppressed") for _region, data in parts)
    total = (sum(data["total"] for _region, data in parts) if adds and all_shown else None)
    additive = adds and all(data["additive"] for _region, data in parts)
    margins = dict(inner)
    if "region" not in by:
        margins = {"region": region_margin, **inner}
    elif len(by) == 2:
        margins.setdefault("region", region_margin)
    combined = {**meta, "indicator": item.code, "unit": item.unit, "by": list(columns),
                "total": total, "additive": additive, "rows": rows, "margins": margins,
                "suppressed_count": sum(data.get("suppressed_count", 0)
                                        for _region, data in parts),
                "note": None if additive else (REGIONS_NOT_ADDED if not adds
                                               else _note(item))}
    if combined["note"] is not None:
        combined["note"] = str(combined["note"])
    return Table(dataset, item, columns, combined, parts)


def _note(item: Indicator) -> str:
    return str(compute.SHARES_NOT_ADDITIVE if item.is_share else compute.NOT_ADDITIVE)


def title(dataset: Dataset) -> str:
    """The dataset's title in the reader's language, the indicator's name by default."""
    arabic = (get_language() or "fr").startswith("ar")
    chosen = (dataset.title_ar if arabic else dataset.title_fr) or dataset.title_fr
    if chosen:
        return chosen
    try:
        return str(get(dataset.indicator_code).name)
    except UnknownIndicator:
        return dataset.indicator_code


def observatory_name(observatory: Observatory) -> str:
    arabic = (get_language() or "fr").startswith("ar")
    return (observatory.name_ar if arabic else observatory.name_fr) or observatory.name_fr


# -- flat cells (CSV, XLSX) ----------------------------------------------------------------

def cells(found: Table) -> list[dict[str, Any]]:
    """One line per published entry: the total, the margins, then the cells; a breakdown
    summed over is ``_T``. Each line: the columns' codes, ``value`` (None when hidden) and
    ``suppressed``."""
    data, columns = found.data, found.columns
    single = len(found.parts) == 1
    scope_region = found.parts[0][0] if single else TOTAL

    def line(row: Mapping[str, Any], value: Any, hidden: bool) -> dict[str, Any]:
        keys = {c: row.get(c, scope_region if c == "region" else TOTAL) for c in columns}
        return {**keys, "value": None if hidden else value, "suppressed": hidden}

    out = []
    if single or data["total"] is not None:
        out.append(line({}, data["total"], bool(data.get("total_suppressed"))))
    def ordered(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        return sorted(rows, key=lambda row: tuple(
            dimensions.get(c).sort_key(str(row[c])) if c in row else (-1, 0, "")
            for c in columns))

    for rows in (data.get("margins") or {}).values():
        out += [line(row, row["value"], bool(row.get("suppressed"))) for row in ordered(rows)]
    out += [line(row, row["value"], bool(row.get("suppressed")))
            for row in ordered(data["rows"])]
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for entry in out:  # a region's total is also its row when the region is a breakdown
        key = tuple(entry[c] for c in columns)
        if key not in seen:
            seen.add(key)
            unique.append(entry)
    return unique


def _labels(found: Table, lines: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    names = {}
    for column in found.columns:
        codes = {str(line[column]) for line in lines if line[column] != TOTAL}
        names[column] = {**labels(column, codes), TOTAL: gettext("Total")}
    return names


HEADER_FIXED = ("dataset", "indicator", "unit", "date_from", "date_to")


def header(found: Table) -> list[str]:
    columns = []
    for column in found.columns:
        columns += [column, f"{column}_label"]
    return [*HEADER_FIXED, *columns, "value", "suppressed"]


class DatasetExporter(Exporter):
    """A dataset's cells as CSV (UTF-8 with a BOM) and XLSX (text as text, never a
    formula), through essor's exporter."""

    # Public files, downloaded by anyone: not recorded in the audit log (no export code).
    audited = False

    def __init__(self, found: Table):
        self.found = found
        self.filename = file_stem(found.dataset)

    def header(self) -> list[str]:
        return header(self.found)

    def rows(self) -> Iterable[list[Any]]:
        data = self.found.data
        lines = cells(self.found)
        names = _labels(self.found, lines)
        for line in lines:
            row: list[Any] = [data["dataset"], data["indicator"], data["unit"],
                              data["date_from"] or "", data["date_to"] or ""]
            for column in self.found.columns:
                code = str(line[column])
                row += [code, names[column].get(code, code)]
            row += ["" if line["value"] is None else line["value"],
                    "true" if line["suppressed"] else "false"]
            yield row


def file_stem(dataset: Dataset) -> str:
    return f"{dataset.observatory.code}-{dataset.pk}"


def render(found: Table, fmt: str) -> bytes:
    """The dataset's file in ``fmt`` (csv, xlsx or json)."""
    if fmt == "json":
        return json.dumps(found.data, ensure_ascii=False, indent=2).encode("utf-8")
    exporter = DatasetExporter(found)
    if fmt == "xlsx":
        return exporter.to_xlsx()
    if fmt == "csv":
        return exporter.to_csv()
    raise ValueError(f"Unknown format: {fmt}")


# -- the data package ----------------------------------------------------------------------

def _value_type(unit: str) -> str:
    return "integer" if unit in ("count", "people") else "number"


def schema(found: Table) -> dict[str, Any]:
    """The Frictionless Table Schema of the dataset's CSV and XLSX files."""
    fields: list[dict[str, Any]] = [
        {"name": "dataset", "type": "integer", "title": gettext("Dataset")},
        {"name": "indicator", "type": "string", "title": gettext("Indicator"),
         "description": str(found.indicator.definition)},
        {"name": "unit", "type": "string", "title": gettext("Unit")},
        {"name": "date_from", "type": "date", "title": gettext("Start of the period")},
        {"name": "date_to", "type": "date", "title": gettext("End of the period")},
    ]
    for column in found.columns:
        name = str(dimensions.REGISTRY[column].name) if column in dimensions.REGISTRY \
            else column
        fields += [
            {"name": column, "type": "string", "title": name,
             "description": gettext("The code; %(total)s for all.") % {"total": TOTAL}},
            {"name": f"{column}_label", "type": "string", "title": name}]
    fields += [
        {"name": "value", "type": _value_type(found.indicator.unit), "title": gettext("Value"),
         "description": gettext("Empty when suppressed.")},
        {"name": "suppressed", "type": "boolean", "title": gettext("Suppressed"),
         "description": str(SUPPRESSION_NOTE), "trueValues": ["true"],
         "falseValues": ["false"]},
    ]
    return {"fields": fields, "missingValues": [""]}


def datapackage(observatory: Observatory, tables: Iterable[Table], *,
                homepage: str | None = None) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of an observatory's published datasets.
    Resource paths are relative to the descriptor (``datasets/12.csv``)."""
    resources = []
    for found in tables:
        if found.error is not None:
            continue
        pk = found.dataset.pk
        described = {"title": title(found.dataset),
                     "description": str(found.indicator.definition)}
        fields = schema(found)
        for fmt in ("csv", "xlsx"):
            resources.append({
                "name": f"dataset-{pk}-{fmt}", "path": f"datasets/{pk}.{fmt}",
                "profile": "tabular-data-resource", "format": fmt,
                "mediatype": MEDIATYPES[fmt], **described,
                **({"encoding": "utf-8"} if fmt == "csv" else {}),
                "schema": fields})
        resources.append({
            "name": f"dataset-{pk}-json", "path": f"datasets/{pk}.json",
            "profile": "data-resource", "format": "json", "mediatype": MEDIATYPES["json"],
            "encoding": "utf-8", **described})
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": f"essor-{observatory.code}".lower(),
        "title": observatory_name(observatory),
        "description": str(SUPPRESSION_NOTE),
        "licenses": [LICENCE],
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "keywords": ["social and solidarity economy", "Morocco", observatory.code],
        "resources": resources,
    }
    if homepage:
        package["homepage"] = homepage
    return package


# -- the page ------------------------------------------------------------------------------

@dataclass
class Block:
    """One region's table as the page shows it: a list (one breakdown) or a grid (two),
    each cell ``{"value", "suppressed"}``, labels in the reader's language."""

    region: str | None
    dims: tuple[str, ...]
    header: list[str]
    rows: list[tuple[str, list[dict[str, Any]]]]
    total: dict[str, Any]
    footer: list[dict[str, Any]]


def _cell(value: Any, hidden: bool) -> dict[str, Any]:
    return {"value": None if hidden else value, "suppressed": hidden}


def _row_cell(row: Mapping[str, Any] | None) -> dict[str, Any]:
    if row is None:  # an empty group: no row in the query's answer
        return _cell(0, False)
    return _cell(row["value"], bool(row.get("suppressed")))


def blocks(found: Table) -> list[Block]:
    """The dataset's tables for the page, one per region."""
    out = []
    region_names = labels("region", [region for region, _data in found.parts])
    for region, data in found.parts:
        dims = tuple(d for d in data["by"] if d != "region")
        total = _cell(data["total"], bool(data.get("total_suppressed")))
        codes = {d: list(dict.fromkeys(str(row[d]) for row in data["rows"])) for d in dims}
        for d in dims:
            for row in (data.get("margins") or {}).get(d, []):
                if str(row[d]) not in codes[d]:
                    codes[d].append(str(row[d]))
            codes[d].sort(key=dimensions.get(d).sort_key)
        names = {d: labels(d, codes[d]) for d in dims}
        keyed = {tuple(str(row[d]) for d in dims): row for row in data["rows"]}
        margins = {d: {str(row[d]): row for row in (data.get("margins") or {}).get(d, [])}
                   for d in dims}
        header: list[str] = []
        footer: list[dict[str, Any]] = []
        rows: list[tuple[str, list[dict[str, Any]]]] = []
        if len(dims) == 1:
            rows = [(names[dims[0]][code], [_row_cell(keyed.get((code,)))])
                    for code in codes[dims[0]]]
        elif len(dims) == 2:
            first, second = dims
            header = [names[second][code] for code in codes[second]]
            for code in codes[first]:
                line = [_row_cell(keyed.get((code, other))) for other in codes[second]]
                line.append(_row_cell(margins[first].get(code)) if margins[first]
                            else _cell(None, False))
                rows.append((names[first][code], line))
            footer = [_row_cell(margins[second].get(code)) if margins[second]
                      else _cell(None, False) for code in codes[second]]
        out.append(Block(region_names.get(region, region), dims, header, rows, total, footer))
    return out
