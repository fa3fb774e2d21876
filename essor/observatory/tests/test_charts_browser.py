"""In a real browser (French and Arabic, 1,280 px and 360 px): the chart include draws
its Vega-Lite specification as SVG with the vendored vega-embed, under the site's
content security policy, and keeps the figures' table for screen readers.

The page is served by a test-only URL (this module is its own urlconf beside the site's),
so the site gets no preview URL. ``ESSOR_SHOTS=/some/folder`` keeps the screenshots."""

import os
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from essor.browser import browser_page, wait_until
from essor.observatory import charts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.urls(__name__)]

SHOTS = os.environ.get("ESSOR_SHOTS", "")

PAGE = """{% extends "base.html" %}{% block content %}<div class="container-lg">
{% include "observatory/_chart.html" with chart=by_region chart_id="by-region" %}
{% include "observatory/_chart.html" with chart=by_sex chart_id="by-sex" %}
{% include "observatory/_chart.html" with chart=by_month chart_id="by-month" %}
{% include "observatory/_chart.html" with chart=map chart_id="map" %}
{% include "observatory/_chart_scripts.html" %}</div>{% endblock %}"""

ROWS = [{"region": "MA-02", "value": 1234}, {"region": "MA-06", "value": 4321},
        {"region": "MA-01", "value": 50}]


def preview(request: HttpRequest) -> HttpResponse:
    context = {
        "by_region": charts.regions(ROWS, title="Exhibitors by region"),
        "by_sex": charts.breakdown([{"sex": "F", "value": 1570}, {"sex": "M", "value": 900}],
                                   "sex", labels={"F": "F", "M": "M"}, title="By sex"),
        "by_month": charts.trend([{"period": "2026-01", "value": 10},
                                  {"period": "2026-02", "value": 1500},
                                  {"period": "2026-03", "value": 700}], title="By month"),
        "map": charts.region_map(ROWS, title="Map"),
    }
    return HttpResponse(engines["django"].from_string(PAGE).render(context, request))


urlpatterns = [path("charts-preview/", preview), *site_urlpatterns]


@pytest.mark.parametrize("locale", ["fr-FR", "ar"])
@pytest.mark.parametrize("width", [1280, 360])
def test_the_charts_are_drawn_as_svg_with_their_tables(live_server, locale, width):
    errors: list[str] = []
    with browser_page(width=width, locale=locale) as page:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live_server.url}/charts-preview/")
        wait_until(
            page,
            "document.querySelectorAll('[data-chart][data-drawn]:not([data-drawn=pending])').length === 4")
        assert page.locator("[data-drawn=error]").count() == 0, errors
        assert page.locator(".essor-chart-canvas svg").count() == 4
        # The map: 12 regions drawn as shapes.
        shapes = page.locator("[data-chart=map-spec] svg path[aria-roledescription=geoshape]")
        assert shapes.count() == 12
        # The bars fit the phone's width.
        svg_width = page.locator("[data-chart=by-region-spec] svg").evaluate(
            "svg => svg.getBoundingClientRect().width")
        assert 0 < svg_width <= width
        # The table is there for screen readers, with the figures as the language writes them.
        table = page.locator("[data-chart=by-region-spec] ~ .essor-chart-data")
        big = "4.321" if locale == "fr-FR" else "4,321"
        assert big in table.inner_text()
        assert big in page.locator("[data-chart=by-region-spec] svg").inner_html()
        if locale == "ar":
            assert "الشرق" in table.inner_text()
            assert page.locator("figure.essor-chart").first.get_attribute("dir") == "rtl"
            # Mirrored: the longest bar ends on the right, and grows to the left.
            box = page.locator("[data-chart=by-region-spec] svg path[aria-roledescription=bar]").first.bounding_box()
            svg_box = page.locator("[data-chart=by-region-spec] svg").bounding_box()
            assert box and svg_box
            assert box["x"] + box["width"] > svg_box["x"] + svg_box["width"] / 2
        assert not [e for e in errors if "Content Security Policy" in e], errors
        # On screen the table is for screen readers only; on paper it prints under the chart.
        assert table.bounding_box()["width"] <= 1
        page.emulate_media(media="print")
        assert table.bounding_box()["width"] > 100
        assert page.locator("[data-chart=by-region-spec] svg").is_visible()
        page.emulate_media(media="screen")
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/charts-{locale[:2]}-{width}.png", full_page=True)
