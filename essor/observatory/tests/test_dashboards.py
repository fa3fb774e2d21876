"""The dashboards: their figures are the catalogue's, for the reader's regions; each chart
carries its figures as a table; bad input is named."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from essor.observatory import charts
from essor.observatory.compute import NOT_ADDITIVE, values
from essor.observatory.dashboards import KEY_INDICATORS

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def figures(response) -> dict:
    return {f.indicator.code: f.result.total for f in response.context["board"].figures}


def chart(response, name) -> dict:
    return dict(response.context["board"].charts)[name]


def test_the_key_figures_and_charts_are_the_catalogues(records, client_as, national_admin):
    response = client_as(national_admin).get(reverse("observatory:dashboard"), **EN)
    assert response.status_code == 200
    shown = figures(response)
    assert list(shown) == list(KEY_INDICATORS)
    assert shown["training.beneficiaries"] == values("training.beneficiaries").total == 4
    assert shown["training.workshops"] == 2
    by_sex = values("training.beneficiaries", by="sex")
    rows = chart(response, "sex")["usermeta"]["essor"]["rows"]
    assert [value for _label, value in rows] == [row["value"] for row in by_sex.rows]
    years = chart(response, "trend")["usermeta"]["essor"]["rows"]
    assert years == [["2024", 3], ["2025", 3]]
    regions = {code: value for code, value in (
        (row["region"], row["value"]) for row in values("training.beneficiaries",
                                                        by="region").rows)}
    names = charts.region_names("en")
    assert dict(chart(response, "regions")["usermeta"]["essor"]["rows"]) == {
        names[code]: value for code, value in regions.items()}
    body = response.content.decode()
    assert str(NOT_ADDITIVE) in body  # a person in two regions counts in each
    assert 'data-chart="dashboard-map-spec"' in body
    # each figure links to the records it counts
    assert reverse("observatory:drilldown", args=["training.beneficiaries"]) in body


def test_an_officer_sees_the_figures_of_their_regions_only(records, client_as,
                                                            oriental_officer):
    response = client_as(oriental_officer).get(reverse("observatory:dashboard"), **EN)
    assert figures(response)["training.beneficiaries"] == values(
        "training.beneficiaries", region="MA-02").total == 3
    regions = dict(chart(response, "regions")["usermeta"]["essor"]["rows"])
    assert list(regions) == [charts.region_names("en")["MA-02"]]
    other = reverse("observatory:regional_dashboard", args=["MA-06"])
    assert client_as(oriental_officer).get(other).status_code == 404


def test_the_regional_dashboard_compares_provinces(records, client_as, national_admin):
    url = reverse("observatory:regional_dashboard", args=["MA-02"])
    response = client_as(national_admin).get(url, {"indicator": "training.attendances"}, **EN)
    assert response.status_code == 200
    assert figures(response)["training.beneficiaries"] == 3
    names = [name for name, _chart in response.context["board"].charts]
    assert "provinces" in names and "map" not in names
    assert response.context["board"].indicator.code == "training.attendances"


def test_the_region_picker_opens_the_regional_dashboard(client_as, national_admin):
    response = client_as(national_admin).get(
        reverse("observatory:dashboard"), {"region": "MA-06", "indicator": "promotion.events"})
    assert response.status_code == 302
    assert response["Location"] == (reverse("observatory:regional_dashboard", args=["MA-06"])
                                    + "?indicator=promotion.events")


def test_a_short_period_is_drawn_by_month(records, client_as, national_admin):
    response = client_as(national_admin).get(
        reverse("observatory:dashboard"), {"from": "2025-01-01", "to": "2025-12-31"}, **EN)
    assert response.context["board"].step == "month"
    assert chart(response, "trend")["usermeta"]["essor"]["rows"] == [["June 2025", 3]]
    assert figures(response)["training.beneficiaries"] == values(
        "training.beneficiaries", date_from=datetime.date(2025, 1, 1),
        date_to=datetime.date(2025, 12, 31)).total


@pytest.mark.parametrize(("query", "named"), [
    ({"indicator": "training.nothing"}, "training.nothing"),
    ({"indicator": "registry.organisations"}, "registry.organisations"),  # no time axis
    ({"from": "01/02/2025"}, "01/02/2025"),
    ({"from": "2025-03-01", "to": "2025-01-01"}, "2025-01-01"),
])
def test_bad_input_is_named_and_the_page_still_shows(client_as, national_admin, query, named):
    response = client_as(national_admin).get(reverse("observatory:dashboard"), query, **EN)
    assert response.status_code == 400
    assert named in response.content.decode()
    assert response.context["board"].figures  # the default dashboard beneath the message


def test_the_dashboard_takes_a_fixed_number_of_queries_and_is_cached(
        records, client_as, national_admin, django_assert_max_num_queries):
    client = client_as(national_admin)
    url = reverse("observatory:dashboard")
    with django_assert_max_num_queries(40):
        client.get(url)
    with django_assert_max_num_queries(12):  # session, user, regions, cache reads
        client.get(url)


def test_bars_leave_room_for_their_values():
    spec = charts.breakdown([{"sex": "F", "value": 100}, {"sex": "M", "value": 40}], "sex",
                            labels={"F": "women", "M": "men"}, title="t")
    assert spec["encoding"]["x"]["scale"]["domainMax"] > 100
    assert spec["encoding"]["x"]["axis"]["tickMinStep"] == 1  # whole people on the axis


def test_the_home_card_gives_the_readers_key_figures(records, client_as, oriental_officer,
                                                     trainer):
    response = client_as(oriental_officer).get(reverse("core:home"), **EN)
    body = response.content.decode()
    assert 'id="home-key-figures"' in body
    card = next(c for c in response.context["cards"] if c.name == "observatory.key_figures")
    shown = {f.indicator.code: f.result.total for f in card.context["figures"]}
    assert shown["training.beneficiaries"] == values("training.beneficiaries",
                                                     region="MA-02").total
    # the 2024 workshop was in Casablanca-Settat: not in the Oriental officer's trend
    assert card.context["chart"]["usermeta"]["essor"]["rows"] == [["2025", 3]]
    assert 'id="home-key-figures"' not in client_as(trainer).get(
        reverse("core:home")).content.decode()


def test_the_catalogue_page_lists_every_indicator(client_as, analyst):
    from essor.observatory.catalogue import all_indicators

    response = client_as(analyst).get(reverse("observatory:indicator_list"), **EN)
    body = response.content.decode()
    for item in all_indicators():
        assert f'id="indicator-{item.code}"' in body
    assert "?indicator=training.beneficiaries" in body


def test_the_analyst_receives_no_personal_data(records, people, client_as, analyst,
                                               oriental):
    """Every page, file and answer of the observatory an analyst opens: aggregates only,
    never a name, a phone or a national ID of the people counted."""
    from essor.observatory.models import Observatory

    observatory = Observatory.objects.create(code="oriental", name_fr="Oriental",
                                             name_ar="الشرق")
    observatory.regions.set([oriental])
    observatory.analysts.set([analyst])
    for person in people.values():
        person.phone, person.national_id = "0612345678", f"AB{person.pk:06d}"
        person.save()
    client = client_as(analyst)
    urls = [reverse("observatory:dashboard"), reverse("observatory:regional_dashboard",
                                                      args=["MA-02"]),
            reverse("observatory:region_profile", args=["MA-02"]),
            reverse("observatory:observatory_detail", args=["oriental"]),
            reverse("observatory:indicator_list"), reverse("core:home"),
            reverse("indicator-values", args=["training.beneficiaries"]) + "?by=sex,age_band",
            reverse("observatory:drilldown", args=["training.beneficiaries"]) + "?sex=F",
            reverse("observatory:values", args=["oriental"])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for person in people.values():
            for secret in (person.last_name, person.national_id, "0612345678",
                           "06 12 34 56 78"):
                assert secret not in body, (url, secret)


def test_the_dashboards_figures_download_as_a_spreadsheet(records, client_as,
                                                          oriental_officer):
    import io

    import openpyxl

    from essor.audit.models import AuditEntry

    response = client_as(oriental_officer).get(
        reverse("observatory:dashboard"), {"format": "xlsx"}, **EN)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["part", "indicator", "code", "row", "value", "unit"]
    assert ["Key figures", "Beneficiaries", "training.beneficiaries", "total", 3,
            "people"] in rows  # the officer's regions only
    by_sex = [row for row in rows if row[0] == "Beneficiaries by sex"]
    assert [row[4] for row in by_sex] == [
        row["value"] for row in values("training.beneficiaries", by="sex",
                                       region="MA-02").rows]
    assert ["Note", "Beneficiaries", "training.beneficiaries", str(NOT_ADDITIVE), None,
            None] in rows  # the regions' rows may exceed the total: the file says so
    assert AuditEntry.objects.filter(action="export.dashboard",
                                     actor=oriental_officer).exists()
    csv = client_as(oriental_officer).get(reverse("observatory:dashboard"),
                                          {"format": "csv"})
    assert "training.beneficiaries" in csv.content.decode("utf-8-sig")
