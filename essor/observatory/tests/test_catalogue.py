"""The catalogue, its errors, targets, per-inhabitant figures and the cache."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from essor.observatory import cache
from essor.observatory.catalogue import REGISTRY, all_indicators, get
from essor.observatory.compute import IndicatorError, per_inhabitants, values
from essor.observatory.dimensions import REGISTRY as DIMENSIONS
from essor.observatory.models import Target
from essor.registry.tests.factories import PersonFactory
from essor.territory.models import Region
from essor.training.models import Enrolment, Workshop
from essor.training.tests.factories import EnrolmentFactory, WorkshopFactory

SHIPPED = {
    "promotion.events", "promotion.exhibitors", "promotion.women_exhibitors",
    "promotion.sales", "promotion.visitors", "promotion.women_exhibitors_share",
    "training.workshops", "training.attendances", "training.beneficiaries",
    "training.women_beneficiaries", "training.young_beneficiaries", "training.enrolments",
    "training.women_beneficiaries_share", "registry.organisations", "registry.members",
    "incubation.incubators", "incubation.projects", "incubation.holders",
    "incubation.coaching_hours", "incubation.organisations_created",
    "incubation.jobs_created", "incubation.survival_12m", "incubation.phase_days_median",
    "incubation.phase_conversion", "programme.people_reached",
}


def test_the_catalogue_ships_the_indicators_of_the_issue():
    codes = {item.code for item in all_indicators()}
    assert SHIPPED <= codes
    for item in all_indicators():
        assert str(item.name) and str(item.definition)
        assert item.unit in ("count", "people", "share", "mad", "days", "hours")
        assert set(item.breakdowns) <= set(DIMENSIONS)
        assert item.sources, item.code
    assert get("training.beneficiaries").additive_by == ("sex", "age_band", "disability")
    share = get("promotion.women_exhibitors_share")
    assert (share.numerator, share.denominator, share.unit) == (
        "promotion.women_exhibitors", "promotion.exhibitors", "share")


def test_the_dimensions_of_the_issue_exist():
    assert set(DIMENSIONS) == {"sex", "age_band", "disability", "region", "province",
                               "organisation_kind", "sector", "event_kind", "event", "theme",
                               "year", "month", "phase", "cohort", "incubator", "mode",
                               "measures"}


@pytest.mark.django_db
@pytest.mark.parametrize(("asked", "named"), [
    ({"code": "training.nothing"}, "training.nothing"),
    ({"code": "training.workshops", "by": ("sex",)}, "sex"),
    ({"code": "training.beneficiaries", "by": ("colour",)}, "colour"),
    ({"code": "training.beneficiaries", "by": ("sex", "region", "theme")}, "theme"),
    ({"code": "training.beneficiaries", "by": ("sex", "sex")}, "sex"),
    ({"code": "training.beneficiaries", "region": "MA-99"}, "MA-99"),
    ({"code": "training.beneficiaries", "province": "MA-XXX"}, "MA-XXX"),
    ({"code": "training.beneficiaries", "date_from": datetime.date(2025, 2, 1),
      "date_to": datetime.date(2025, 1, 1)}, "2025-01-01"),
])
def test_bad_requests_name_the_refused_value(asked, named):
    code = asked.pop("code")
    with pytest.raises(IndicatorError) as refused:
        values(code, **asked)
    assert named in str(refused.value)


@pytest.fixture
def attendance(db, oriental):
    workshop = WorkshopFactory(status=Workshop.Status.HELD, region=oriental)
    EnrolmentFactory(workshop=workshop, person=PersonFactory(region=oriental), attended=True)
    return EnrolmentFactory(workshop=workshop, person=PersonFactory(region=oriental, sex="M"),
                            attended=True)


def test_changing_one_attendance_moves_the_figure(attendance, django_assert_num_queries):
    assert values("training.beneficiaries").total == 2
    with django_assert_num_queries(0):
        assert values("training.beneficiaries").total == 2  # from the cache
    attendance.attended = False
    attendance.save()
    assert values("training.beneficiaries").total == 1
    attendance.delete()
    assert values("training.attendances").total == 1
    Enrolment.objects.filter(attended=True).update(attended=False)  # no signal…
    assert values("training.attendances").total == 1
    cache.bump("training.Enrolment")  # …hence the explicit bump after bulk writes
    assert values("training.attendances").total == 0


def test_without_invalidation_the_cached_figure_would_stay(attendance, monkeypatch):
    assert values("training.beneficiaries").total == 2
    monkeypatch.setattr(cache, "bump", lambda *labels: None)
    attendance.attended = False
    attendance.save()
    assert values("training.beneficiaries").total == 2  # stale: what the signal prevents


def test_a_change_to_the_person_moves_person_breakdowns(attendance):
    assert values("training.beneficiaries", by=("sex",)).rows == [
        {"sex": "F", "value": 1}, {"sex": "M", "value": 1}]
    person = attendance.person
    person.sex = "F"
    person.save()
    assert values("training.beneficiaries", by=("sex",)).rows == [{"sex": "F", "value": 2}]


def test_bulk_writes_need_the_explicit_bump(attendance):
    assert values("training.attendances").total == 2
    attendance.attended = False
    Enrolment.objects.bulk_update([attendance], ["attended"])  # no signal
    assert values("training.attendances").total == 2
    cache.bump("training.Enrolment")
    assert values("training.attendances").total == 1


def test_an_import_moves_the_figure(tmp_path, national_admin):
    import csv

    from django.core.management import call_command

    assert values("registry.organisations").total == 0
    path = tmp_path / "orgs.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["name", "kind", "region"],
                                 ["Coopérative Tifawine", "cooperative", "MA-09"]])
    call_command("import", "organisations", str(path))
    assert values("registry.organisations").total == 1


def test_an_evicted_version_never_brings_back_an_old_result(attendance):
    from django.core.cache import cache as django_cache

    assert values("training.beneficiaries").total == 2
    attendance.attended = False
    attendance.save()
    django_cache.delete_many([f"{cache.PREFIX}:version:{label}"
                              for label in get("training.beneficiaries").sources])
    assert values("training.beneficiaries").total == 1


@pytest.mark.django_db
def test_a_target_matching_exactly_is_carried(attendance, oriental):
    period = {"date_from": datetime.date(2025, 1, 1), "date_to": datetime.date(2025, 12, 31)}
    Target.objects.create(indicator_code="training.beneficiaries", period_start=period[
        "date_from"], period_end=period["date_to"], region=oriental, value=Decimal("500"))
    assert values("training.beneficiaries", region=oriental, with_target=True,
                  **period).target == Decimal("500")
    assert values("training.beneficiaries", with_target=True, **period).target is None
    assert values("training.beneficiaries", region=oriental, with_target=True,
                  date_from=period["date_from"]).target is None
    with pytest.raises(ValidationError):
        Target(indicator_code="training.nothing", period_start=period["date_from"],
               period_end=period["date_to"], value=1).full_clean()


@pytest.mark.django_db
def test_per_inhabitants_uses_the_census_by_sex(attendance, oriental):
    region = Region.objects.get(code="MA-02")
    assert region.population_women and region.population_men
    result = per_inhabitants(values("training.beneficiaries", by=("sex",), region=oriental))
    women = next(r for r in result.rows if r["sex"] == "F")
    assert women["value"] == pytest.approx(1 * 100_000 / region.population_women)
    assert result.total == pytest.approx(2 * 100_000 / region.population)
    national = per_inhabitants(values("training.beneficiaries", by=("region",)), per=1000)
    population = sum(Region.objects.values_list("population", flat=True))
    assert national.total == pytest.approx(2 * 1000 / population)
    assert national.rows == [{"region": "MA-02",
                              "value": pytest.approx(2 * 1000 / region.population)}]
    with pytest.raises(IndicatorError):
        per_inhabitants(values("training.beneficiaries", by=("theme",)))
    with pytest.raises(IndicatorError):
        per_inhabitants(values("training.women_beneficiaries_share"))


def test_registering_twice_is_refused():
    from essor.observatory.catalogue import indicator, person

    def other(*, date_from=None, date_to=None):
        return None

    with pytest.raises(ValueError, match="defined twice"):
        indicator("training.beneficiaries", name="x", definition="x", unit="count",
                  region="region", breakdowns={"sex": person("sex")}, sources=("a.B",))(other)
    assert REGISTRY["training.beneficiaries"].function is not other
