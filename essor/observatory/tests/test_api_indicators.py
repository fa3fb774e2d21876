"""The catalogue over the API: the same values as the command line, for the caller's
regions; refused values named; no personal data."""

import pytest
from django.urls import reverse

from essor.observatory.compute import values

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_catalogue_lists_every_indicator(client_as, analyst):
    listed = client_as(analyst).get(reverse("indicator-list")).json()
    beneficiaries = next(i for i in listed if i["code"] == "training.beneficiaries")
    assert beneficiaries["unit"] == "people"
    assert "sex" in beneficiaries["additive_by"] and "region" not in beneficiaries["additive_by"]


def test_the_values_are_the_commands(records, client_as, national_admin, people):
    url = reverse("indicator-values", args=["training.beneficiaries"])
    got = client_as(national_admin).get(url, {"by": "sex,age_band"}).json()
    assert got == values("training.beneficiaries", by=("sex", "age_band")).as_dict()
    assert got["total"] == 4 and got["additive"] is True
    text = str(got)
    for person in people.values():  # aggregates only
        assert person.last_name not in text


def test_an_officer_gets_their_regions_and_not_anothers(records, client_as, oriental_officer):
    client = client_as(oriental_officer)
    url = reverse("indicator-values", args=["training.beneficiaries"])
    assert client.get(url).json()["total"] == values("training.beneficiaries",
                                                     region="MA-02").total
    assert client.get(url, {"region": "MA-06"}).status_code == 404


@pytest.mark.parametrize(("query", "named"), [
    ({"by": "colour"}, "colour"), ({"from": "2025-13-01"}, "2025-13-01"),
    ({"region": "MA-99"}, "MA-99"), ({"by": "sex,region,theme"}, "theme")])
def test_refused_values_are_named(client_as, national_admin, query, named):
    url = reverse("indicator-values", args=["training.beneficiaries"])
    response = client_as(national_admin).get(url, query, **EN)
    assert response.status_code == 400
    assert named in response.content.decode()


def test_an_unknown_indicator_is_not_found(client_as, national_admin):
    assert client_as(national_admin).get("/api/indicators/training.nothing/").status_code == 404
    assert client_as(national_admin).get("/api/indicators/x/values/").status_code == 404
