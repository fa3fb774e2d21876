"""The chart specifications (essor.observatory.charts) compile and draw on the server,
in the reader's language, mirrored in Arabic; the region boundaries they inline are
complete; the chart include keeps the figures' table and prints."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from essor.observatory import charts

REGIONS = [{"region": "MA-02", "value": 1234}, {"region": "MA-06", "value": 4321},
           {"region": "MA-01", "value": 50}]
BY_SEX = [{"sex": "M", "value": 900}, {"sex": None, "value": 3}, {"sex": "F", "value": 1570}]
MONTHS = [{"period": "2026-02", "value": 1500}, {"period": "2026-01", "value": 10},
          {"period": "2026-03", "value": 700}]
TERRITORY = json.loads((charts.BOUNDARIES.parent / "territory.json").read_text(encoding="utf-8"))


def every_chart(language):
    return {
        "regions": charts.regions(REGIONS, title="Exhibitors", language=language),
        "map": charts.region_map(REGIONS, title="Exhibitors", language=language),
        "sex": charts.breakdown(BY_SEX, "sex", labels={"F": "Women", "M": "Men"},
                                title="By sex", language=language),
        "share": charts.breakdown([{"sex": "F", "value": 0.605}, {"sex": "M", "value": 0.395}],
                                  "sex", labels={"F": "F", "M": "M"}, unit="share",
                                  title="Share", language=language),
        "months": charts.trend(MONTHS, title="By month", language=language),
        "years": charts.trend([{"period": 2025, "value": 3}, {"period": 2026, "value": 4}],
                              by="year", title="By year", language=language),
    }


def texts(svg):
    import re

    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_specification_compiles_and_draws_on_the_server(language):
    for name, spec in every_chart(language).items():
        svg = charts.to_svg(spec)
        assert svg.startswith("<svg"), name
        assert spec["$schema"].endswith("/v6.json")


def test_numbers_are_written_as_the_language_writes_them():
    french = texts(charts.to_svg(every_chart("fr")["regions"]))
    arabic = texts(charts.to_svg(every_chart("ar")["regions"]))
    assert "4.321" in french and "4,321" not in french
    assert "4,321" in arabic
    assert "60,5%" in texts(charts.to_svg(every_chart("fr")["share"]))
    assert "60.5%" in texts(charts.to_svg(every_chart("ar")["share"]))


def test_arabic_labels_and_fonts_come_out_in_the_svg():
    svg = charts.to_svg(every_chart("ar")["regions"])
    assert "الشرق" in texts(svg)
    assert "الدار البيضاء-سطات" in texts(svg)
    assert 'font-family="Noto Naskh Arabic' in svg
    assert "Oriental" in texts(charts.to_svg(every_chart("fr")["regions"]))


def test_the_month_axis_is_in_the_language():
    assert "janvier 2026" in texts(charts.to_svg(every_chart("fr")["months"]))
    assert "يناير 2026" in texts(charts.to_svg(every_chart("ar")["months"]))


def test_arabic_mirrors_the_axes_and_the_legend():
    french, arabic = every_chart("fr"), every_chart("ar")
    for name in ("regions", "sex"):
        assert french[name]["encoding"]["y"]["axis"]["orient"] == "left"
        assert arabic[name]["encoding"]["y"]["axis"]["orient"] == "right"
        assert french[name]["encoding"]["x"]["scale"]["reverse"] is False
        assert arabic[name]["encoding"]["x"]["scale"]["reverse"] is True
    assert arabic["months"]["encoding"]["x"]["scale"]["reverse"] is True
    assert arabic["months"]["encoding"]["y"]["axis"]["orient"] == "right"
    assert arabic["map"]["config"]["legend"]["orient"] == "left"
    assert french["map"]["config"]["legend"]["orient"] == "right"
    assert arabic["map"]["title"]["anchor"] == "end"


def test_bars_are_in_order_and_unknown_values_are_kept():
    regions = every_chart("fr")["regions"]
    assert [v["code"] for v in regions["data"]["values"]] == ["MA-06", "MA-02", "MA-01"]
    assert regions["encoding"]["y"]["sort"] == ["Casablanca-Settat", "Oriental",
                                                "Tanger-Tétouan-Al Hoceima"]
    sex = every_chart("fr")["sex"]
    assert [(v["label"], v["value"]) for v in sex["data"]["values"]] == [
        ("Women", 1570), ("Men", 900), ("Inconnu", 3)]  # the language's word
    months = every_chart("fr")["months"]
    assert [v["period"] for v in months["data"]["values"]] == ["2026-01", "2026-02", "2026-03"]


def test_the_map_draws_the_12_regions_from_inlined_outlines():
    spec = every_chart("fr")["map"]
    assert "url" not in json.dumps(spec["data"])
    assert charts.to_svg(spec).count('aria-roledescription="geoshape"') == 12
    values = {f["id"]: f["properties"]["value"] for f in spec["data"]["values"]}
    assert values["MA-06"] == 4321 and values["MA-03"] is None
    # Regions without a value are in the table too, as such.
    table = dict(spec["usermeta"]["essor"]["rows"])
    assert table["Oriental"] == 1234 and table["Fès-Meknès"] is None


def test_the_server_fetches_nothing():
    with pytest.raises(ValueError, match="not allowed"):
        charts.to_svg({"data": {"url": "https://example.org/data.json"}, "mark": "bar"})


def signed_area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))


def test_the_region_boundaries_file():
    path = Path(settings.BASE_DIR) / "essor" / "territory" / "data" / "regions.geojson"
    assert path.stat().st_size < 45_000
    data = json.loads(path.read_text(encoding="utf-8"))
    features = data["features"]
    assert len(features) == 12
    assert {f["id"] for f in features} == {r["code"] for r in TERRITORY["regions"]}
    for feature in features:
        assert feature["properties"]["name_fr"] and feature["properties"]["name_ar"]
        polygons = feature["geometry"]["coordinates"]
        if feature["geometry"]["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            # Clockwise outer rings, as d3-geo draws them (else it fills the globe).
            assert signed_area(polygon[0]) < 0, feature["id"]


def test_the_include_renders_the_figures_table_and_prints():
    spec = charts.regions(REGIONS, title="Exhibitors", language="fr")
    with translation.override("fr"):  # the table's numbers as the reader's language writes them
        html = render_to_string("observatory/_chart.html",
                                {"chart": spec, "chart_id": "by-region"})
    assert 'data-chart="by-region-spec"' in html
    assert '<script id="by-region-spec" type="application/json">' in html
    assert html.count("<script") == 1  # the specification only: no inline code
    assert "<caption>Exhibitors</caption>" in html
    assert "4.321" in html and "Casablanca-Settat" in html
    assert "css/charts.css" in html
    css = (Path(settings.BASE_DIR) / "static" / "css" / "charts.css").read_text()
    assert "@media print" in css
    assert "@media screen {\n  .essor-chart-drawn .essor-chart-data" in css  # hidden once drawn
    share = charts.breakdown([{"sex": "F", "value": 0.605}], "sex", labels={"F": "F"},
                             unit="share", title="Share", language="fr")
    with translation.override("fr"):
        assert "60,5%" in render_to_string("observatory/_chart.html",
                                           {"chart": share, "chart_id": "share"})


def test_the_include_is_right_to_left_in_arabic():
    spec = charts.regions(REGIONS, title="Exhibitors", language="ar")
    html = render_to_string("observatory/_chart.html", {"chart": spec, "chart_id": "r"})
    assert '<figure class="essor-chart" dir="rtl">' in html
    assert "الشرق" in html


def test_the_vendored_libraries_are_the_versions_named():
    vendor = Path(settings.BASE_DIR) / "static" / "vendor" / "vega"
    versions = dict(line.split() for line in (vendor / "VERSIONS").read_text().splitlines())
    assert versions == {"vega": "6.4.0", "vega-lite": "6.5.0", "vega-embed": "7.3.0"}
    for name in versions:
        assert (vendor / f"LICENSE-{name}").exists()
        assert "sourceMappingURL" not in (vendor / f"{name}.min.js").read_text()
