"""Charts, defined once as Vega-Lite specifications and drawn in two places: in the page
by vega-embed (static/vendor/vega, `templates/observatory/_chart.html` and
`static/js/charts.js`) and on the server as SVG by vl-convert (`to_svg`, for the PDF
report), both with no network.

Each builder takes the rows of an indicator's result (dicts keyed by breakdown codes and
``"value"``) and returns a specification in the reader's language: its labels, numbers
written as the language writes them (``3.231`` and ``60,5%`` in French), and mirrored in
Arabic (bars grow from the right, the category axis on the right, the time axis running
right to left, the legend on the left). The figures are also kept in the specification's
``usermeta`` so that the include renders the same figures as a table, for screen readers
and for print.
"""

from __future__ import annotations

import copy
import datetime
import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import formats
from django.utils.translation import get_language, gettext, override

from essor.core.numbers import _separators

Row = Mapping[str, Any]
Spec = dict[str, Any]

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
BOUNDARIES = Path(settings.BASE_DIR) / "essor" / "territory" / "data" / "regions.geojson"
FONTS = Path(settings.BASE_DIR) / "essor" / "core" / "fonts"
LATIN_FONT, ARABIC_FONT = "Noto Sans", "Noto Naskh Arabic"
BAR_COLOUR, EMPTY_COLOUR = "#1f6f8b", "#e9ecef"

# The d3-format of a value of each unit: thousands grouped, a share as a percent with at
# most one decimal, money without decimals.
FORMATS = {"count": ",d", "people": ",d", "share": ".1~%", "mad": ",.0f", "days": ",.1~f",
           "hours": ",.1~f"}


def _language(language: str | None) -> str:
    return (language or get_language() or "fr")[:2]


def is_rtl(language: str | None = None) -> bool:
    return _language(language) == "ar"


def number_locale(language: str | None = None) -> dict[str, Any]:
    """d3-format's locale for the language: French ``1.234,5``, Arabic ``1,234.5``
    (Western digits, as essor.core.numbers writes them)."""
    thousands, decimal = _separators(_language(language))
    return {"decimal": decimal, "thousands": thousands, "grouping": [3],
            "currency": ["", "\u00a0MAD"], "percent": "%"}


def _base(title: str, language: str | None, meta: dict[str, Any]) -> Spec:
    rtl = is_rtl(language)
    font = f"{ARABIC_FONT}, {LATIN_FONT}, sans-serif" if rtl else f"{LATIN_FONT}, {ARABIC_FONT}, sans-serif"
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "end" if rtl else "start"},
        "width": "container",
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "locale": {"number": number_locale(language)},
            "font": font,
            "view": {"stroke": None},
            "legend": {"orient": "left" if rtl else "right"},
            "text": {"dir": "rtl" if rtl else "ltr"},
        },
        "usermeta": {"essor": {"title": title, "rtl": rtl, **meta}},
    }


def _format(unit: str) -> str:
    return FORMATS.get(unit, ",d")


def _axis(unit: str) -> dict[str, Any]:
    """A value axis: four ticks, whole ones for counts (no ``1 1 2 2`` under small bars)."""
    axis: dict[str, Any] = {"format": _format(unit), "tickCount": 4}
    if unit in ("count", "people"):
        axis["tickMinStep"] = 1
    return axis


def _table(rows: Iterable[tuple[str, Any]], label_heading: str, value_heading: str,
           unit: str) -> dict[str, Any]:
    return {"columns": [label_heading, value_heading], "unit": unit,
            "rows": [[label, value] for label, value in rows]}


def _bars(values: list[dict[str, Any]], *, title: str, category: str, value_label: str,
          unit: str, sort: Any, language: str | None) -> Spec:
    """Horizontal bars with their value written at their end; mirrored in Arabic."""
    rtl = is_rtl(language)
    spec = _base(title, language, _table(((v["label"], v["value"]) for v in values),
                                         category, value_label, unit))
    y = {"field": "label", "type": "nominal", "title": None, "sort": sort,
         "axis": {"orient": "right" if rtl else "left", "labelLimit": 180}}
    # Room beyond the longest bar for its written value, which would be cut otherwise.
    largest = max((v["value"] or 0 for v in values), default=0)
    scale: dict[str, Any] = {"reverse": rtl}
    if largest > 0:
        scale["domainMax"] = float(largest) * 1.18
    x = {"field": "value", "type": "quantitative", "title": value_label,
         "axis": _axis(unit), "scale": scale}
    spec.update({
        "height": {"step": 26},
        "data": {"values": values},
        "encoding": {"y": y, "x": x, "tooltip": [
            {"field": "label", "type": "nominal", "title": category},
            {"field": "value", "type": "quantitative", "title": value_label,
             "format": _format(unit)}]},
        "layer": [
            {"mark": {"type": "bar", "color": BAR_COLOUR}},
            {"mark": {"type": "text", "align": "right" if rtl else "left",
                      "dx": -4 if rtl else 4, "baseline": "middle"},
             "encoding": {"text": {"field": "value", "type": "quantitative",
                                   "format": _format(unit)}}},
        ],
    })
    return spec


def breakdown(rows: Sequence[Row], dim: str, *, labels: Mapping[str, str], title: str,
              value_label: str | None = None, unit: str = "count",
              language: str | None = None) -> Spec:
    """Bars by one breakdown (sex, age band…), in the order of ``labels`` (code → label
    in the reader's language); a code without a label is shown as it is."""
    with override(_language(language)):
        order = list(labels)
        values = sorted(
            ({"code": row[dim], "label": str(labels.get(str(row[dim]), row[dim] or gettext("Unknown"))),
              "value": row["value"]} for row in rows),
            key=lambda v: order.index(v["code"]) if v["code"] in order else len(order))
        return _bars(values, title=title, category=gettext("Breakdown"),
                     value_label=value_label or gettext("Value"), unit=unit,
                     sort=[v["label"] for v in values], language=language)


@cache
def boundaries() -> dict[str, Any]:
    """The 12 regions' outlines (essor/territory/data/regions.geojson), read once."""
    return json.loads(BOUNDARIES.read_text(encoding="utf-8"))


def region_names(language: str | None = None) -> dict[str, str]:
    key = "name_ar" if is_rtl(language) else "name_fr"
    return {f["id"]: f["properties"][key] for f in boundaries()["features"]}


def regions(rows: Sequence[Row], *, title: str, value_label: str | None = None,
            unit: str = "count", language: str | None = None) -> Spec:
    """A comparison across regions: one bar per region (rows keyed by ``region``), the
    largest first."""
    with override(_language(language)):
        names = region_names(language)
        values = sorted(({"code": row["region"], "label": names.get(row["region"], row["region"]),
                          "value": row["value"]} for row in rows),
                        key=lambda v: (-(v["value"] or 0), v["code"]))
        return _bars(values, title=title, category=gettext("Region"),
                     value_label=value_label or gettext("Value"), unit=unit,
                     sort=[v["label"] for v in values], language=language)


def region_map(rows: Sequence[Row], *, title: str, value_label: str | None = None,
               unit: str = "count", language: str | None = None) -> Spec:
    """A map of the 12 regions coloured by value (rows keyed by ``region``); a region
    without a row is grey. The outlines are inlined: no file is fetched."""
    with override(_language(language)):
        value_label = value_label or gettext("Value")
        names = region_names(language)
        by_region = {row["region"]: row["value"] for row in rows}
        features = []
        for feature in copy.deepcopy(boundaries()["features"]):
            code = feature["id"]
            feature["properties"] = {"code": code, "name": names[code],
                                     "value": by_region.get(code)}
            features.append(feature)
        spec = _base(title, language, _table(
            ((names[f["id"]], f["properties"]["value"]) for f in features),
            gettext("Region"), value_label, unit))
        spec.update({
            "height": 360,
            "data": {"values": features},
            "projection": {"type": "mercator"},
            "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.7,
                     "invalid": None},
            "encoding": {
                "color": {"field": "properties.value", "type": "quantitative",
                          "title": value_label, "scale": {"scheme": "blues"},
                          "legend": {"format": _format(unit)},
                          "condition": {"test": "!isValid(datum.properties.value)",
                                        "value": EMPTY_COLOUR}},
                "tooltip": [
                    {"field": "properties.name", "type": "nominal", "title": gettext("Region")},
                    {"field": "properties.value", "type": "quantitative", "title": value_label,
                     "format": _format(unit)}],
            },
        })
        return spec


def _period_label(period: Any, by: str) -> str:
    """``2026-03`` → ``mars 2026`` (the language's month), ``2026`` → ``2026``."""
    text = str(period)
    if by == "year":
        return text[:4]
    date = datetime.date(int(text[:4]), int(text[5:7]), 1)
    return formats.date_format(date, "YEAR_MONTH_FORMAT")


def trend(rows: Sequence[Row], x: str = "period", *, by: str = "month", title: str,
          value_label: str | None = None, unit: str = "count",
          language: str | None = None) -> Spec:
    """A line through the values by month (``period`` as ``YYYY-MM`` or a date) or year,
    in time order; in Arabic time runs right to left."""
    with override(_language(language)):
        value_label = value_label or gettext("Value")
        rtl = is_rtl(language)
        values = [{"period": str(row[x]), "label": _period_label(row[x], by), "value": row["value"]}
                  for row in sorted(rows, key=lambda r: str(r[x]))]
        spec = _base(title, language, _table(((v["label"], v["value"]) for v in values),
                                             gettext("Year") if by == "year" else gettext("Month"),
                                             value_label, unit))
        spec.update({
            "height": 220,
            "data": {"values": values},
            "encoding": {
                "x": {"field": "label", "type": "ordinal", "title": None,
                      "sort": [v["label"] for v in values], "scale": {"reverse": rtl},
                      "axis": {"labelAngle": 0, "labelOverlap": "greedy"}},
                "y": {"field": "value", "type": "quantitative", "title": value_label,
                      "axis": {**_axis(unit), "orient": "right" if rtl else "left"}},
                "tooltip": [{"field": "label", "type": "ordinal", "title": None},
                            {"field": "value", "type": "quantitative", "title": value_label,
                             "format": _format(unit)}],
            },
            "mark": {"type": "line", "point": True, "color": BAR_COLOUR},
        })
        return spec


@cache
def _register_fonts() -> None:
    import vl_convert

    vl_convert.register_font_directory(str(FONTS))


def to_svg(spec: Spec) -> str:
    """The chart as SVG, drawn on the server in the fonts essor ships (for the PDF
    report): no browser, no network (no data URL may be fetched). A ``"container"``
    width, which only a page has, becomes 640 px."""
    import vl_convert

    _register_fonts()
    spec = {**spec}
    if spec.get("width") == "container":
        spec["width"] = 640
        spec.pop("autosize", None)
    return str(vl_convert.vegalite_to_svg(spec, allowed_base_urls=[]))
