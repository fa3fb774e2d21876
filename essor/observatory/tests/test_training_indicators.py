"""Training's indicators on a small hand-built dataset with known answers."""

import datetime

import pytest
from django.utils import translation

from essor.observatory.compute import NOT_ADDITIVE, IndicatorError, values
from essor.registry.tests.factories import PersonFactory
from essor.training.models import Enrolment, Theme, Workshop
from essor.training.tests.factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

HELD, CLOSED, PLANNED = Workshop.Status.HELD, Workshop.Status.CLOSED, Workshop.Status.PLANNED
ENROLLED = Enrolment.Status.ENROLLED


def came(workshop, *people, attended=True, status=ENROLLED):
    return [EnrolmentFactory(workshop=workshop, person=person, attended=attended,
                             status=status) for person in people]


@pytest.fixture
def people(oriental, casablanca_settat):
    return {
        "fatima": PersonFactory(sex="F", birth_year=1998, region=oriental),
        # 54 in 2024, 55 in 2025: her age band is the one of her first workshop.
        "khadija": PersonFactory(sex="F", birth_year=1970, disability=True, region=oriental),
        "ahmed": PersonFactory(sex="M", birth_year=1965),
        "no_year": PersonFactory(sex="M", birth_year=None, region=oriental),
        "absent": PersonFactory(sex="F", birth_year=2000),
        "cancelled": PersonFactory(sex="M", birth_year=2001),
        "planned": PersonFactory(sex="F", birth_year=2003),
    }


@pytest.fixture
def records(people, oriental, casablanca_settat):
    p = people
    casablanca = WorkshopFactory(status=HELD, date=datetime.date(2024, 3, 5),
                                 region=casablanca_settat)
    came(casablanca, p["fatima"], p["khadija"], p["ahmed"])
    came(casablanca, p["absent"], attended=False)
    came(casablanca, p["cancelled"], attended=None, status=Enrolment.Status.CANCELLED)
    oujda = WorkshopFactory(status=CLOSED, date=datetime.date(2025, 6, 1), region=oriental,
                            theme=Theme.objects.get(code="marketing"))
    came(oujda, p["fatima"], p["khadija"], p["no_year"])
    planned = WorkshopFactory(status=PLANNED, date=datetime.date(2025, 6, 2), region=oriental)
    came(planned, p["planned"], p["ahmed"])
    return {"casablanca": casablanca, "oujda": oujda, "planned": planned}


def test_each_training_indicator_gives_the_known_answer(records):
    assert values("training.workshops").total == 2
    assert values("training.attendances").total == 6
    assert values("training.beneficiaries").total == 4
    assert values("training.women_beneficiaries").total == 2
    assert values("training.young_beneficiaries").total == 1  # fatima, 26 in 2024
    assert values("training.beneficiaries_with_disability").total == 1
    # Places taken: 4 in Casablanca (the absent one included), 3 in Oujda, 2 planned.
    assert values("training.enrolments").total == 9
    assert values("training.women_beneficiaries_share").total == 0.5
    assert values("training.young_beneficiaries_share").total == 0.25


def test_breakdowns_by_the_person_sum_to_the_distinct_total(records):
    result = values("training.beneficiaries", by=("sex",))
    assert result.rows == [{"sex": "F", "value": 2}, {"sex": "M", "value": 2}]
    assert result.additive and result.note is None

    ages = values("training.beneficiaries", by="age_band")
    # khadija is counted at her first workshop (2024, 54), not at the second (55).
    assert ages.rows == [{"age_band": "25_34", "value": 1}, {"age_band": "35_54", "value": 1},
                         {"age_band": "55_over", "value": 1},
                         {"age_band": "unknown", "value": 1}]
    assert sum(r["value"] for r in ages.rows) == ages.total == 4
    assert ages.additive


def test_two_person_breakdowns_still_sum_to_the_total(records):
    result = values("training.beneficiaries", by=("sex", "age_band"))
    assert sum(r["value"] for r in result.rows) == 4
    assert {"sex": "M", "age_band": "unknown", "value": 1} in result.rows


def test_the_age_band_follows_the_period(records):
    # From 2025 on, khadija's first counted workshop is the one at 55.
    result = values("training.beneficiaries", by=("age_band",),
                    date_from=datetime.date(2025, 1, 1))
    assert result.total == 3
    assert result.rows == [{"age_band": "25_34", "value": 1},
                           {"age_band": "55_over", "value": 1},
                           {"age_band": "unknown", "value": 1}]


def test_activity_breakdowns_of_distinct_people_are_flagged_not_additive(records):
    result = values("training.beneficiaries", by=("region",))
    # fatima and khadija attended in both regions: counted in each.
    assert result.rows == [{"region": "MA-02", "value": 3}, {"region": "MA-06", "value": 3}]
    assert sum(r["value"] for r in result.rows) == 6 > result.total == 4
    assert result.additive is False
    assert result.note == NOT_ADDITIVE
    assert result.as_dict()["additive"] is False

    themes = values("training.beneficiaries", by=("theme",))
    assert themes.additive is False
    assert {r["theme"] for r in themes.rows} == {"governance", "marketing"}


def test_the_trend_by_month_and_year(records):
    months = values("training.attendances", by=("month",))
    assert months.rows == [{"month": "2024-03", "value": 3}, {"month": "2025-06", "value": 3}]
    assert months.additive and months.total == 6
    years = values("training.beneficiaries", by=("year",))
    # fatima and khadija came in 2024 and in 2025: counted in each year.
    assert years.rows == [{"year": "2024", "value": 3}, {"year": "2025", "value": 3}]
    assert years.additive is False and years.total == 4
    cell = values("training.beneficiaries", where={"month": "2025-06"})
    assert cell.total == 3


def test_counts_of_records_are_additive_by_the_activity(records):
    result = values("training.attendances", by=("region",))
    assert result.rows == [{"region": "MA-02", "value": 3}, {"region": "MA-06", "value": 3}]
    assert result.additive
    # The attendance's own age: khadija at 54 then at 55.
    ages = values("training.attendances", by=("age_band",))
    assert {"age_band": "35_54", "value": 1} in ages.rows
    assert {"age_band": "55_over", "value": 2} in ages.rows


def test_shares_per_breakdown_row(records):
    result = values("training.women_beneficiaries_share", by=("region",))
    assert result.rows == [{"region": "MA-02", "value": 2 / 3},
                           {"region": "MA-06", "value": 2 / 3}]
    assert result.total == 0.5
    assert result.additive is False


def test_scope_region_province_and_user(records, oriental, oriental_officer, national_admin):
    assert values("training.beneficiaries", region="MA-02").total == 3
    assert values("training.beneficiaries", region=oriental).total == 3
    assert values("training.workshops", region="ma-06").total == 1
    # The officer of the Oriental reads the Oriental only, even when asking nationally.
    assert values("training.beneficiaries", user=oriental_officer).total == 3
    assert values("training.beneficiaries", region="MA-06", user=oriental_officer).total == 0
    assert values("training.beneficiaries", user=national_admin).total == 4
    province = records["oujda"].province
    if province is not None:
        assert values("training.beneficiaries", province=province).total == 3


def test_the_period_is_the_workshop_date(records):
    assert values("training.workshops", date_to=datetime.date(2024, 12, 31)).total == 1
    assert values("training.attendances", date_from=datetime.date(2025, 1, 1),
                  date_to=datetime.date(2025, 12, 31)).total == 3


def test_one_grouped_query_per_indicator_and_breakdown(records, django_assert_num_queries):
    with django_assert_num_queries(1):
        values("training.beneficiaries")
    with django_assert_num_queries(1):  # the grouped rows, which sum to the total
        values("training.beneficiaries", by=("sex", "age_band"))
    with django_assert_num_queries(1):  # records: every breakdown sums to the total
        values("training.attendances", by=("region", "theme"))
    with django_assert_num_queries(2):  # people by the activity: the total on its own
        values("training.beneficiaries", by=("region",))
    with django_assert_num_queries(2):  # numerator and denominator together: rows, totals
        values("training.women_beneficiaries_share", by=("theme",))
    with django_assert_num_queries(0):  # cached
        values("training.beneficiaries", by=("sex", "age_band"))


MEASURED_TOGETHER = ("training.attendances", "training.beneficiaries",
                     "training.women_beneficiaries", "training.young_beneficiaries",
                     "training.beneficiaries_with_disability")


@pytest.mark.parametrize("by", [(), ("sex",), ("region",), ("theme", "sex")])
def test_indicators_over_the_same_records_are_measured_in_one_query(
        records, by, django_assert_num_queries):
    from django.core.cache import cache

    from essor.observatory.compute import values_many

    additive = all(b == "sex" for b in by)
    with django_assert_num_queries(1 if additive else 2):  # the rows; the totals
        together = values_many([(code, by) for code in MEASURED_TOGETHER])
    cache.clear()
    alone = [values(code, by=by) for code in MEASURED_TOGETHER]

    assert [r.as_dict() for r in together] == [r.as_dict() for r in alone]
    assert together[1].total > together[2].total > 0  # not all women: the conditions apply


def test_a_breakdown_cell_filters_the_records(records):
    by_theme = values("training.beneficiaries", by=("theme",))
    for row in by_theme.rows:
        cell = values("training.beneficiaries", where={"theme": row["theme"]})
        assert cell.total == row["value"]
    with translation.override("en"), \
            pytest.raises(IndicatorError, match="cannot be broken down by sector"):
        values("training.beneficiaries", where={"sector": "agriculture"})
