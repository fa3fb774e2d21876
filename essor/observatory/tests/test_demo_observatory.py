"""On the demo data, the dashboards and ``essor indicators values`` give the seed report's
figures, and the programme's two observatories are there with their datasets, notes and
census (the full demo is loaded once, in a transaction rolled back afterwards)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from essor.accounts.models import User
from essor.observatory.compute import values
from essor.observatory.models import CollectedValue, Observatory
from essor.promotion.tests.test_demo_figures import SEED
from essor.training.tests.test_demo_figures import BENEFICIARIES, WOMEN, WORKSHOPS

pytestmark = pytest.mark.django_db
EXHIBITORS = sum(exhibitors for _events, exhibitors, _women in SEED.values())
WOMEN_EXHIBITORS = sum(women for _events, _exhibitors, women in SEED.values())


@pytest.fixture(scope="class")
def full_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def indicator(*args) -> dict:
    out = StringIO()
    call_command("indicators", "values", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.usefixtures("full_demo")
class TestDemoObservatory:
    def test_the_national_dashboard_gives_the_seeds_figures(self, client):
        client.force_login(User.objects.get(username="admin"))
        response = client.get(reverse("observatory:dashboard"))
        shown = {f.indicator.code: f.result.total for f in response.context["board"].figures}
        assert shown["promotion.events"] == sum(events for events, *_ in SEED.values())
        assert shown["promotion.exhibitors"] == EXHIBITORS
        assert shown["promotion.women_exhibitors_share"] == WOMEN_EXHIBITORS / EXHIBITORS
        assert shown["training.workshops"] == WORKSHOPS
        assert shown["training.beneficiaries"] == BENEFICIARIES
        assert shown["training.women_beneficiaries_share"] == WOMEN / BENEFICIARIES

    def test_the_command_gives_the_seeds_figures_by_kind_of_event(self):
        printed = indicator("promotion.exhibitors", "--by", "event_kind")
        assert printed["total"] == EXHIBITORS
        assert {row["event_kind"]: row["value"] for row in printed["rows"]} == {
            kind: exhibitors for kind, (_events, exhibitors, _women) in SEED.items()}
        women = indicator("training.women_beneficiaries", "--public")
        assert women["total"] == WOMEN

    def test_the_two_observatories_of_the_programme(self, client):
        oriental = Observatory.objects.get(code="oriental")
        casablanca = Observatory.objects.get(code="casablanca-settat")
        assert oriental.host.name == "Conseil de la Région de l'Oriental"
        assert "Ain Chock" in casablanca.host.name
        assert [r.code for r in oriental.regions.all()] == ["MA-02"]
        assert oriental.datasets.filter(published=True).count() == 4
        client.force_login(User.objects.get(username="analyste"))
        url = reverse("observatory:observatory_detail", args=["casablanca-settat"])
        assert client.get(url).status_code == 404
        page = client.get(reverse("observatory:observatory_detail", args=["oriental"]))
        assert page.context["publishes"] is True

    def test_the_census_counts_its_validated_values_only(self):
        validated = CollectedValue.objects.filter(
            indicator_code="observatory.census_cooperatives", region__code="MA-02",
            status=CollectedValue.Status.VALIDATED)
        assert CollectedValue.objects.filter(
            status=CollectedValue.Status.SUBMITTED, region__code="MA-02").exists()
        result = values("observatory.census_cooperatives", region="MA-02")
        assert result.total == sum(v.value for v in validated)

    def test_the_programme_periods_dashboard_shows_its_targets(self, client):
        client.force_login(User.objects.get(username="admin"))
        response = client.get(reverse("observatory:dashboard"),
                              {"from": "2022-01-01", "to": "2025-12-31"})
        targets = {f.indicator.code: f.result.target for f in response.context["board"].figures}
        assert targets["training.beneficiaries"] == 15000
        profile = client.get(reverse("observatory:region_profile", args=["MA-02"]),
                             {"from": "2022-01-01", "to": "2025-12-31"}).context["profile"]
        line = next(x for x in profile["lines"]
                    if x.region.indicator.code == "training.beneficiaries")
        assert line.region.target == 1500
        assert line.region.total == values("training.beneficiaries", region="MA-02").total
