"""Computing an indicator's values: one grouped query per indicator and breakdown set.

``values("training.beneficiaries", by=("sex",), region="MA-02")`` returns a
:class:`Result`: the rows of the breakdown (one grouped query), each row a dict of the
breakdown codes and ``value``, and the total (the rows' sum when they add up to it, one
more query when they may exceed it). Unknown values (no birth year, no
sector) are their own ``"unknown"`` row, never dropped. A share is computed from its
numerator's and denominator's results, row by row, with ``essor.core.definitions.share``.

For a count of distinct people, the age band is the person's age at their first counted
activity in the period and scope (one per person), so that it sums to the total like
sex or disability do; a breakdown by an attribute of the activity (the workshop's
region, its theme) counts a person once in each of their rows and the result says so
(``additive`` False and :data:`NOT_ADDITIVE`).

A median (the days a project spends in a phase) is the middle value of each group's
records, the mean of the two middle ones when their number is even: the records ranked
within their group by window functions, the middle ones kept and averaged, in one
query per breakdown set, and one more for the total.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import (
    Avg,
    CharField,
    Count,
    Expression,
    F,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, ExtractYear, RowNumber
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from essor.core.definitions import share
from essor.core.scoping import region_ids
from essor.territory.models import Province, Region

from . import cache, dimensions
from .catalogue import Indicator, get

MAX_BREAKDOWNS = 2
NOT_ADDITIVE = _("A person who attended in two regions counts in each.")
SHARES_NOT_ADDITIVE = _("Shares do not add up: each row is a share of its own group.")
MEDIANS_NOT_ADDITIVE = _("Medians do not add up: each row is the median of its own group.")

Number = int | float | Decimal


class IndicatorError(ValueError):
    """A request the catalogue cannot answer; the message names the refused value."""


@dataclass(frozen=True)
class Scope:
    region: Region | None = None
    province: Province | None = None
    user_regions: tuple[int, ...] | None = None  # None: not restricted to a user's regions

    @property
    def code(self) -> str:
        if self.province is not None:
            return self.province.code
        if self.region is not None:
            return self.region.code
        return "national"


@dataclass
class Result:
    indicator: Indicator
    by: tuple[str, ...]
    total: Number | None
    rows: list[dict[str, Any]]
    additive: bool
    note: Promise | str | None = None
    scope: Scope = field(default_factory=Scope)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    target: Decimal | None = None
    per: int | None = None  # set by per_inhabitants

    def as_dict(self) -> dict[str, Any]:
        """The JSON of ``essor indicators values``."""
        return {"indicator": self.indicator.code, "unit": self.indicator.unit,
                "by": list(self.by), "total": _plain(self.total),
                "additive": self.additive,
                "rows": [{**row, "value": _plain(row["value"])} for row in self.rows]}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# -- the request -----------------------------------------------------------------------------

def _region(region: Region | str | None) -> Region | None:
    if region is None or isinstance(region, Region):
        return region
    from essor.territory.selectors import region_by_code

    found = region_by_code(region)
    if found is None:
        raise IndicatorError(_("Unknown region code: %(code)s") % {"code": region})
    return found


def _province(province: Province | str | None) -> Province | None:
    if province is None or isinstance(province, Province):
        return province
    from essor.territory.selectors import province_by_code

    found = province_by_code(province)
    if found is None:
        raise IndicatorError(_("Unknown province code: %(code)s") % {"code": province})
    return found


def checked_breakdowns(item: Indicator, by: Sequence[str] | str) -> tuple[str, ...]:
    """``by`` (``"sex,age_band"`` or a sequence) as codes the indicator supports, at most
    two, none twice; IndicatorError naming the refused one."""
    codes = tuple(c.strip() for c in (by.split(",") if isinstance(by, str) else by)
                  if c.strip())
    if len(codes) > MAX_BREAKDOWNS:
        raise IndicatorError(_("At most two breakdowns at once: %(by)s")
                             % {"by": ",".join(codes)})
    if len(set(codes)) != len(codes):
        raise IndicatorError(_("A breakdown is named twice: %(by)s")
                             % {"by": ",".join(codes)})
    for code in codes:
        if code not in dimensions.REGISTRY:
            raise IndicatorError(_("Unknown breakdown: %(by)s") % {"by": code})
        if code not in item.breakdowns:
            raise IndicatorError(
                _("%(indicator)s cannot be broken down by %(by)s (it can be by: "
                  "%(supported)s)") % {"indicator": item.code, "by": code,
                                       "supported": ", ".join(item.breakdowns) or "-"})
    return codes


def _indicator(code: str | Indicator) -> Indicator:
    if isinstance(code, Indicator):
        return code
    try:
        return get(code)
    except LookupError as exc:
        raise IndicatorError(str(exc)) from None


# -- the queries ------------------------------------------------------------------------------

Cells = Mapping[str, str]


def _base(item: Indicator, *, date_from: datetime.date | None,
          date_to: datetime.date | None, scope: Scope) -> QuerySet[Any]:
    """The function's records in a period and scope, before the indicator's condition
    (shared by every indicator over the same function)."""
    if item.function is None:
        raise IndicatorError(_("%(indicator)s is not computed from the records")
                             % {"indicator": item.code})
    if item.scoped:  # its records lie in several places: the function scopes them
        return item.function(date_from=date_from, date_to=date_to, scope=scope)
    queryset = item.function(date_from=date_from, date_to=date_to)
    assert item.region is not None
    if scope.region is not None:
        queryset = queryset.filter(**{item.region: scope.region})
    if scope.province is not None:
        if item.province is None:
            raise IndicatorError(_("%(indicator)s has no province scope")
                                 % {"indicator": item.code})
        queryset = queryset.filter(**{item.province: scope.province})
    if scope.user_regions is not None:
        queryset = queryset.filter(**{f"{item.region}__in": scope.user_regions})
    return queryset


def _where(item: Indicator, queryset: QuerySet[Any], where: Cells | None) -> QuerySet[Any]:
    """Only the records in the breakdown cells ``where`` (``{"theme": "T01"}``), read with
    the breakdowns' own expressions so that a cell's records are the cell's value."""
    if not where:
        return queryset
    codes = checked_breakdowns(item, tuple(where))
    base = queryset
    for i, code in enumerate(codes):
        value = str(where[code])
        plain = (None if code == "age_band" else
                 dimensions.get(code).cell(item.breakdowns[code].path, value))
        if plain is not None:
            queryset = queryset.filter(plain)
        else:
            queryset = queryset.alias(**{f"where_{i}": _expression(item, code, base)}).filter(
                **{f"where_{i}": value})
    return queryset


def records(item: Indicator, *, date_from: datetime.date | None = None,
            date_to: datetime.date | None = None, scope: Scope = Scope(),
            where: Cells | None = None) -> QuerySet[Any]:
    """The records an indicator counts in a period and scope, in the breakdown cells
    ``where`` when given (its drill-down)."""
    queryset = _base(item, date_from=date_from, date_to=date_to, scope=scope)
    if item.condition is not None:
        queryset = queryset.filter(item.condition)
    return _where(item, queryset, where)


def _measure(item: Indicator, *, conditional: bool = False) -> Expression:
    """What the indicator measures; ``conditional``: over its function's records, its
    condition as the aggregate's filter (so that several indicators share one query)."""
    condition = item.condition if conditional else None
    if item.measure == "count" or item.field is None:
        return Count("pk", filter=condition)
    if item.measure == "distinct":
        return Count(item.field, distinct=True, filter=condition)
    return Sum(item.field, filter=condition)


def _zero(item: Indicator) -> Number:
    return Decimal("0") if item.unit == "mad" else 0


def _expression(item: Indicator, code: str, queryset: QuerySet[Any]) -> Expression:
    axis = item.breakdowns[code]
    dim = dimensions.get(code)
    if code == "age_band" and item.measure == "distinct" and item.unit == "people":
        # One age per person: at their first counted activity in the period and scope,
        # read by one correlated subquery that returns the band itself.
        assert item.field is not None and item.date is not None
        first = (queryset.filter(**{item.field: OuterRef(item.field)})
                 .order_by(item.date, "pk")
                 .annotate(_band=dimensions.age_band_expression(axis.path, item.date))
                 .values("_band")[:1])
        return Coalesce(Subquery(first, output_field=CharField()), Value(dimensions.UNKNOWN))
    return dim.expression(axis.path, item.date)


Computed = tuple[Number | None, list[dict[str, Any]]]  # None: a median of nothing


def _compute(items: Sequence[Indicator], by: tuple[str, ...], queryset: QuerySet[Any],
             *, conditional: bool) -> list[Computed]:
    """Each indicator's total and rows over ``queryset``: one grouped query for all of
    them, plus one for the totals unless the rows sum to them (every record, or every
    person, in exactly one row: unknown included). ``conditional``: the indicators share
    the queryset and each measures its condition's part of it."""
    if items[0].measure == "median":
        assert len(items) == 1 and not conditional
        return [_median(items[0], by, queryset)]
    measures = {f"value_{i}": _measure(item, conditional=conditional)
                for i, item in enumerate(items)}
    rows: list[list[dict[str, Any]]] = [[] for _item in items]
    if by:
        lead = items[0]
        by_person = _by_person(lead, by, queryset) if len(items) == 1 else None
        if by_person is not None:
            grouped = by_person
        else:
            aliases = {f"by_{i}": _expression(lead, code, queryset)
                       for i, code in enumerate(by)}
            grouped = (queryset.order_by().values(**aliases).annotate(**measures)
                       .values_list(*aliases, *measures))
        for found in grouped:
            codes, measured = found[:len(by)], found[len(by):]
            for index, (item, value) in enumerate(zip(items, measured, strict=True)):
                # A group none of this indicator's records fall in is no row of it.
                if value is None or (conditional and item.measure != "sum" and not value):
                    continue
                row: dict[str, Any] = dict(zip(by, codes, strict=True))
                row["value"] = value
                rows[index].append(row)
        for item_rows in rows:
            item_rows.sort(key=lambda r: tuple(dimensions.get(c).sort_key(r[c]) for c in by))
        if all(item.additive(by) for item in items):
            return [(sum((row["value"] for row in item_rows), _zero(item)), item_rows)
                    for item, item_rows in zip(items, rows, strict=True)]
    totals = queryset.aggregate(**measures)
    return [(_zero(item) if totals[f"value_{i}"] is None else totals[f"value_{i}"], rows[i])
            for i, item in enumerate(items)]


def _medians(item: Indicator, by: tuple[str, ...], queryset: QuerySet[Any]
             ) -> list[tuple[Any, ...]]:
    """``(codes…, median)`` per group of ``by`` (one row, the median of all, for no
    breakdown): each record ranked by its value within its group, the one or two in the
    middle (rank r of n with n <= 2r <= n + 2) kept by a subquery, then averaged per
    group, in one query."""
    assert item.field is not None
    aliases = {f"by_{i}": _expression(item, code, queryset) for i, code in enumerate(by)}
    partition = [F(alias) for alias in aliases] or None
    valued = queryset.order_by().filter(**{f"{item.field}__isnull": False})
    middle = (valued.alias(**aliases)
              .annotate(_median_rank=Window(RowNumber(), partition_by=partition,
                                            order_by=[F(item.field).asc(), F("pk").asc()]),
                        _median_count=Window(Count("pk"), partition_by=partition))
              .annotate(_median_twice=F("_median_rank") * 2)
              .filter(_median_twice__gte=F("_median_count"),
                      _median_twice__lte=F("_median_count") + 2)
              .values("pk"))
    kept = valued.filter(pk__in=middle).annotate(_median_value=F(item.field))
    if not by:
        found = kept.aggregate(value=Avg("_median_value"))["value"]
        return [] if found is None else [(found,)]
    return list(kept.values(**aliases).annotate(value=Avg("_median_value"))
                .values_list(*aliases, "value"))


def _median(item: Indicator, by: tuple[str, ...], queryset: QuerySet[Any]) -> Computed:
    """The median of ``item.field`` over ``queryset`` and per group of ``by`` (None
    without any record)."""
    rows: list[dict[str, Any]] = []
    if by:
        for found in _medians(item, by, queryset):
            row: dict[str, Any] = dict(zip(by, found[:len(by)], strict=True))
            row["value"] = found[len(by)]
            rows.append(row)
        rows.sort(key=lambda r: tuple(dimensions.get(c).sort_key(r[c]) for c in by))
    total = _medians(item, (), queryset)
    return (total[0][0] if total else None), rows


def _by_person(item: Indicator, by: tuple[str, ...], queryset: QuerySet[Any]
               ) -> list[tuple[Any, ...]] | None:
    """Distinct people by age band (and other attributes of the person): each person
    once, in the band of the year of their first counted activity, as ``_expression``
    defines it, but in two steps instead of one subquery per record: the records grouped
    by person (their first year, their birth year), then the people grouped by band.
    None when the breakdowns are not all the person's (an activity's region, theme)."""
    if not (item.measure == "distinct" and item.unit == "people" and "age_band" in by):
        return None
    if not all(item.breakdowns[code].of_person for code in by):
        return None
    assert item.field is not None and item.date is not None
    others = {f"by_{i}": _expression(item, code, queryset)
              for i, code in enumerate(by) if code != "age_band"}
    people = (queryset.order_by().values(item.field, **others)
              .annotate(first_year=Min(ExtractYear(item.date)),
                        birth=Max(item.breakdowns["age_band"].path)))
    sql, params = people.query.sql_with_params()
    quote = connections[queryset.db].ops.quote_name
    birth, first = quote("birth"), quote("first_year")
    band = ["CASE", f"WHEN {birth} IS NULL THEN '{dimensions.UNKNOWN}'"]
    for code, _low, high in dimensions.AGE_BANDS:
        band.append(f"WHEN {birth} > {first} - {high} THEN '{code}'" if high is not None
                    else f"ELSE '{code}'")
    band.append("END")
    columns = [" ".join(band) if code == "age_band" else quote(f"by_{i}")
               for i, code in enumerate(by)]
    # Only the catalogue's constants and the ORM's own SQL are written in; the records'
    # values travel as parameters.
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}, COUNT(*) FROM ({sql}) people "  # noqa: S608
                       f"GROUP BY {', '.join(str(i + 1) for i in range(len(by)))}", params)
        return [tuple(row) for row in cursor.fetchall()]


def _share(item: Indicator, by: tuple[str, ...], num: Result, den: Result
           ) -> tuple[float | None, list[dict[str, Any]]]:
    def keyed(result: Result) -> dict[tuple[str, ...], Any]:
        return {tuple(r[c] for c in by): r["value"] for r in result.rows}

    parts, wholes = keyed(num), keyed(den)
    keys = sorted(set(wholes) | set(parts),
                  key=lambda k: tuple(dimensions.get(c).sort_key(v)
                                      for c, v in zip(by, k, strict=True)))
    rows = [{**dict(zip(by, key, strict=True)), "value": share(parts.get(key), wholes.get(key))}
            for key in keys]
    return share(num.total, den.total), rows  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Asked:
    """The period and scope every indicator of one request is computed for."""

    date_from: datetime.date | None
    date_to: datetime.date | None
    scope: Scope
    where: tuple[tuple[str, str], ...]


def period_date(text: str | None) -> datetime.date | None:
    """A bound of the period as a page or the API receives it (``2025-01-31``); None when
    empty, IndicatorError naming the value when it is no date."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise IndicatorError(_("Write dates as YYYY-MM-DD: %(value)s")
                             % {"value": text}) from None


def scope_for(region: Region | str | None, province: Province | str | None,
              user: Any = None) -> Scope:
    """The scope of a request: the region and province (codes checked, the province in
    the region), restricted to ``user``'s regions when given."""
    region_obj, province_obj = _region(region), _province(province)
    if province_obj is not None and region_obj is not None \
            and province_obj.region_id != region_obj.pk:
        raise IndicatorError(_("%(province)s is not in %(region)s")
                             % {"province": province_obj.code, "region": region_obj.code})
    ids = region_ids(user) if user is not None else None
    return Scope(region_obj, province_obj, tuple(sorted(ids)) if ids is not None else None)


def _asked(date_from: datetime.date | None, date_to: datetime.date | None,
           region: Region | str | None, province: Province | str | None, user: Any,
           where: Cells | None) -> _Asked:
    if date_from and date_to and date_to < date_from:
        raise IndicatorError(_("The end of the period (%(to)s) is before its start "
                               "(%(start)s).") % {"to": date_to, "start": date_from})
    scope = scope_for(region, province, user)
    return _Asked(date_from, date_to, scope,
                  tuple(sorted((str(k), str(v)) for k, v in (where or {}).items())))


Request = tuple["str | Indicator", "Sequence[str] | str"]


def values_many(requests: Iterable[Request], *, date_from: datetime.date | None = None,
                date_to: datetime.date | None = None, region: Region | str | None = None,
                province: Province | str | None = None, user: Any = None,
                where: Cells | None = None, with_target: bool = False) -> list[Result]:
    """The values of several ``(indicator, breakdowns)`` for one period and scope, as
    :func:`values` gives each, in the order asked. Indicators over the same records
    (one function, one measured lookup: the beneficiaries and the women among them) are
    measured in one query per breakdown set; results are read from and kept in the
    cache together."""
    asked = _asked(date_from, date_to, region, province, user, where)
    wanted = [(_indicator(code), checked_breakdowns(_indicator(code), by))
              for code, by in requests]
    needed: dict[tuple[str, tuple[str, ...]], Indicator] = {}
    for item, by in wanted:
        parts = ((_indicator(item.numerator or ""), _indicator(item.denominator or ""))
                 if item.is_share else (item,))
        for part in parts:
            assert not part.is_share
            needed.setdefault((part.code, by), part)
    computed = _computed(needed, asked)

    results = []
    for item, by in wanted:
        additive = item.additive(by)
        note: Promise | None = None
        if not additive:
            note = (SHARES_NOT_ADDITIVE if item.is_share
                    else MEDIANS_NOT_ADDITIVE if item.measure == "median" else NOT_ADDITIVE)
        total: Number | None
        if item.is_share:
            assert item.numerator and item.denominator
            num, den = (Result(needed[(code, by)], by, *computed[(code, by)], additive=True)
                        for code in (item.numerator, item.denominator))
            total, rows = _share(item, by, num, den)
        else:
            total, rows = computed[(item.code, by)]
        result = Result(item, by, total, [dict(row) for row in rows], additive, note,
                        asked.scope, asked.date_from, asked.date_to)
        if with_target:
            result.target = target_for(result)
        results.append(result)
    return results


def _computed(needed: Mapping[tuple[str, tuple[str, ...]], Indicator], asked: _Asked
              ) -> dict[tuple[str, tuple[str, ...]], Computed]:
    """Each needed (indicator, breakdowns) from the cache, the missing ones computed:
    one query set per group of indicators that can share it."""
    keys = dict(zip(needed, cache.result_keys([
        ((item.code, asked.date_from, asked.date_to, asked.scope.code,
          asked.scope.user_regions, need[1], asked.where), _sources(item))
        for need, item in needed.items()]), strict=True))
    found = cache.get_many(list(keys.values()))
    computed = {need: found[key] for need, key in keys.items() if key in found}
    groups: dict[tuple[Any, ...], list[tuple[str, tuple[str, ...]]]] = {}
    for need, item in needed.items():
        if need in computed:
            continue
        by = need[1]
        alone = (item.function is None or item.measure == "median"
                 or (item.measure == "distinct" and "age_band" in by)
                 or any(code == "age_band" for code, _v in asked.where))
        group = (need,) if alone else (item.function, by, item.region, item.province)
        groups.setdefault(group, []).append(need)
    fresh: dict[str, Computed] = {}
    for members in groups.values():
        items = [needed[need] for need in members]
        where = dict(asked.where)
        if items[0].source == "collected":
            results = [collected_values(items[0], members[0][1], asked.date_from,
                                        asked.date_to, asked.scope, where)]
        elif len(items) == 1:
            queryset = records(items[0], date_from=asked.date_from, date_to=asked.date_to,
                               scope=asked.scope, where=where)
            results = _compute(items, members[0][1], queryset, conditional=False)
        else:
            queryset = _where(items[0], _base(items[0], date_from=asked.date_from,
                                              date_to=asked.date_to, scope=asked.scope),
                              where)
            results = _compute(items, members[0][1], queryset, conditional=True)
        for need, result in zip(members, results, strict=True):
            computed[need] = result
            fresh[keys[need]] = result
    cache.put_many(fresh)
    return computed


# -- collected values ------------------------------------------------------------------------

COLLECTED_SOURCE = "observatory.CollectedValue"


def _sources(item: Indicator) -> tuple[str, ...]:
    """The models under an indicator's results (a collected one: the collected values,
    whose services bump the cache on every write)."""
    if item.source == "collected":
        return item.sources or (COLLECTED_SOURCE,)
    return item.sources


def cells_of(cell_key: str) -> dict[str, str]:
    """A collected value's breakdown cell from its ``cell_key`` (``sector=crafts,sex=F``)."""
    return dict(part.split("=", 1) for part in cell_key.split(",") if part)


def _count(value: Decimal, item: Indicator) -> Number:
    """A collected sum as its unit writes it: a whole count as an int."""
    if item.unit in ("count", "people") and value == value.to_integral_value():
        return int(value)
    return value


def collected_values(item: Indicator, by: tuple[str, ...], date_from: datetime.date | None,
                     date_to: datetime.date | None, scope: Scope,
                     where: Cells | None = None) -> Computed:
    """The validated values of a collected indicator whose period lies within
    ``date_from``–``date_to``, in the scope, summed per breakdown cell by one grouped
    query (per place, period and cell).

    Each place and period contributes the level it was entered at that fits ``by`` best:
    the cells broken down by exactly ``by`` when entered, else the finest cells
    (``sector`` and ``sex``) summed over the other breakdown; its total is its total
    cell (``{}``) when entered, else the sum of its rows. A place and period entered only
    as a total (or by other breakdowns) is an ``unknown`` row of its whole total, so that
    nothing is dropped. ``where`` keeps the cells that have those values (a drill-down)."""
    from .models import CollectedValue

    where = {str(k): str(v) for k, v in (where or {}).items()}
    checked_breakdowns(item, tuple(where))
    wanted = tuple(dict.fromkeys((*by, *where)))
    queryset = CollectedValue.objects.filter(indicator_code=item.code,
                                             status=CollectedValue.Status.VALIDATED)
    if date_from is not None:
        queryset = queryset.filter(period_start__gte=date_from)
    if date_to is not None:
        queryset = queryset.filter(period_end__lte=date_to)
    if scope.province is not None:
        queryset = queryset.filter(province=scope.province)
    elif scope.region is not None:
        queryset = queryset.filter(region=scope.region)
    if scope.user_regions is not None:
        queryset = queryset.filter(region_id__in=scope.user_regions)
    grouped = (queryset.order_by().values_list("region_id", "province_id", "period_start",
                                               "period_end", "cell_key")
               .annotate(total=Sum("value")))
    # unit (place and period) -> level (the cell's breakdowns) -> [(cells, value)]
    units: dict[tuple[Any, ...], dict[frozenset[str], list[tuple[dict[str, str], Decimal]]]] = {}
    for region_id, province_id, start, end, cell_key, value in grouped:
        cells = cells_of(cell_key)
        units.setdefault((region_id, province_id, start, end), {}).setdefault(
            frozenset(cells), []).append((cells, value))

    sums: dict[tuple[str, ...], Decimal] = {}
    total = Decimal("0")
    need = frozenset(wanted)
    for levels in units.values():
        fitting = sorted((level for level in levels if level >= need),
                         key=lambda level: (len(level), sorted(level)))
        unit_rows: dict[tuple[str, ...], Decimal] = {}
        if fitting:
            for cells, value in levels[fitting[0]]:
                key = tuple(cells[c] for c in wanted)
                unit_rows[key] = unit_rows.get(key, Decimal("0")) + value
        entered_total = levels.get(frozenset(), [])
        unit_total = (entered_total[0][1] if entered_total
                      else sum(unit_rows.values(), Decimal("0")))
        if not fitting and wanted and entered_total:
            unit_rows = {tuple(dimensions.UNKNOWN for _c in wanted): unit_total}
        if where:
            unit_rows = {key: value for key, value in unit_rows.items()
                         if all(key[wanted.index(c)] == v for c, v in where.items())}
            unit_total = sum(unit_rows.values(), Decimal("0"))
        total += unit_total
        for key, value in unit_rows.items():
            projected = tuple(key[wanted.index(c)] for c in by)
            sums[projected] = sums.get(projected, Decimal("0")) + value
    rows: list[dict[str, Any]] = [
        {**dict(zip(by, key, strict=True)), "value": _count(value, item)}
        for key, value in sums.items()] if by else []
    rows.sort(key=lambda r: tuple(dimensions.get(c).sort_key(r[c]) for c in by))
    return _count(total, item), rows


def values(code: str | Indicator, *, date_from: datetime.date | None = None,
           date_to: datetime.date | None = None, region: Region | str | None = None,
           province: Province | str | None = None, by: Sequence[str] | str = (),
           user: Any = None, where: Cells | None = None, with_target: bool = False
           ) -> Result:
    """The values of indicator ``code`` for a period (start dates included) and a scope
    (national, a region, a province; restricted to ``user``'s regions when given; only
    the breakdown cells ``where``, ``{"theme": "T01"}``, when given), broken down by up
    to two dimensions. Cached until the records under them change."""
    return values_many([(code, by)], date_from=date_from, date_to=date_to, region=region,
                       province=province, user=user, where=where, with_target=with_target)[0]


def target_for(result: Result) -> Decimal | None:
    """The target set for exactly this indicator, period and region (national: none)."""
    from .models import Target

    if result.date_from is None or result.date_to is None or result.scope.province is not None:
        return None
    found = Target.objects.filter(
        indicator_code=result.indicator.code, period_start=result.date_from,
        period_end=result.date_to, region=result.scope.region).values_list("value", flat=True)
    return next(iter(found), None)


# -- per inhabitant ---------------------------------------------------------------------------

POPULATION_BREAKDOWNS = ("sex", "region", "province")


def per_inhabitants(result: Result, per: int = 100_000, *,
                    regions: Mapping[str, Region] | None = None) -> Result:
    """The same values per ``per`` inhabitants of the census (2024, by sex), for the
    scope, or each row's region or province, and each row's sex when broken down by sex.
    Rows whose population is unknown (an ``unknown`` region) get None."""
    if result.indicator.is_share:
        raise IndicatorError(_("A share has no value per inhabitant: %(indicator)s")
                             % {"indicator": result.indicator.code})
    for code in result.by:
        if code not in POPULATION_BREAKDOWNS:
            raise IndicatorError(_("The census has no population by %(by)s")
                                 % {"by": code})
    if regions is None:  # a caller converting several results reads them once
        regions = {r.code: r for r in Region.objects.all()}
    provinces: dict[str, Province] = {}
    if "province" in result.by or result.scope.province is not None:
        provinces = {p.code: p for p in Province.objects.all()}

    def population(place_codes: dict[str, str], sex: str | None) -> int | None:
        places: Iterable[Region | Province]
        if "province" in place_codes:
            found = provinces.get(place_codes["province"])
            places = [found] if found else []
        elif "region" in place_codes:
            found_region = regions.get(place_codes["region"])
            places = [found_region] if found_region else []
        elif result.scope.province is not None:
            places = [provinces[result.scope.province.code]]
        elif result.scope.region is not None:
            places = [regions[result.scope.region.code]]
        elif result.scope.user_regions is not None:
            places = [r for r in regions.values() if r.pk in result.scope.user_regions]
        else:
            places = regions.values()
        places = list(places)
        if not places or sex == dimensions.UNKNOWN:
            return None
        field_name = {"F": "population_women", "M": "population_men"}.get(sex or "",
                                                                          "population")
        return sum(getattr(place, field_name) for place in places) or None

    def rate(value: Number | None, inhabitants: int | None) -> float | None:
        if value is None or not inhabitants:
            return None
        return float(value) * per / inhabitants

    rows = []
    for row in result.rows:
        inhabitants = population({c: row[c] for c in ("region", "province") if c in row},
                                 row.get("sex"))
        rows.append({**row, "value": rate(row["value"], inhabitants)})
    return replace(result, total=rate(result.total, population({}, None)), rows=rows,
                   per=per)
