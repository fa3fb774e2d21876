"""Collected values: the workflow, the lock, the audited un-validation, comments, region
scoping (pages included) and their computation by the catalogue."""

from __future__ import annotations

import datetime

import pytest

from essor.observatory import collected
from essor.observatory.compute import values
from essor.observatory.models import CollectedValue

from .values_fixtures import *  # noqa: F403 (fixtures and helpers)
from .values_fixtures import COOPERATIVES, MEMBERS, YEAR_END, YEAR_START, create, make_value

V = CollectedValue.Status


# -- computation ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_only_validated_values_count_summed_per_breakdown_cell(oriental, casablanca_settat,
                                                              oriental_observatory,
                                                              casablanca_observatory):
    o, c = oriental_observatory, casablanca_observatory
    make_value(o, oriental, 12, cells={"sector": "crafts"}, status=V.VALIDATED)
    make_value(o, oriental, 30, cells={"sector": "agriculture"}, status=V.VALIDATED)
    make_value(o, oriental, 99, cells={"sector": "tourism"}, status=V.SUBMITTED)
    make_value(o, oriental, 77, cells={"sector": "housing"})  # a draft
    make_value(c, casablanca_settat, 5, cells={"sector": "crafts"}, status=V.VALIDATED)

    result = values(COOPERATIVES, by=("sector",))
    assert result.rows == [{"sector": "agriculture", "value": 30},
                           {"sector": "crafts", "value": 17}]
    assert result.total == 47 and result.additive
    assert values(COOPERATIVES).total == 47
    assert values(COOPERATIVES, region="MA-02", by="sector").total == 42
    assert values(COOPERATIVES, region="MA-06").rows == []
    assert values(COOPERATIVES, region="MA-06").total == 5


@pytest.mark.django_db
def test_the_total_cell_is_the_total_when_entered(oriental, oriental_observatory):
    o = oriental_observatory
    make_value(o, oriental, 12, cells={"sector": "crafts"}, status=V.VALIDATED)
    make_value(o, oriental, 30, cells={"sector": "agriculture"}, status=V.VALIDATED)
    assert values(COOPERATIVES).total == 42  # the sum of the rows
    make_value(o, oriental, 50, status=V.VALIDATED)  # the census's total (8 unclassified)
    assert values(COOPERATIVES).total == 50
    assert values(COOPERATIVES, by="sector").total == 50
    assert sum(r["value"] for r in values(COOPERATIVES, by="sector").rows) == 42


@pytest.mark.django_db
def test_two_breakdowns_and_margins_from_the_finest_cells(oriental, oriental_observatory):
    o = oriental_observatory
    for sector, sex, value in (("crafts", "F", 40), ("crafts", "M", 10),
                               ("agriculture", "F", 25), ("agriculture", "M", 75)):
        make_value(o, oriental, value, indicator=MEMBERS,
                   cells={"sector": sector, "sex": sex}, status=V.VALIDATED)
    both = values(MEMBERS, by=("sector", "sex"))
    assert {(r["sector"], r["sex"]): r["value"] for r in both.rows} == {
        ("crafts", "F"): 40, ("crafts", "M"): 10, ("agriculture", "F"): 25,
        ("agriculture", "M"): 75}
    assert both.total == 150
    assert values(MEMBERS, by="sex").rows == [{"sex": "F", "value": 65},
                                              {"sex": "M", "value": 85}]
    # A margin entered for itself is read as it is, not double counted.
    make_value(o, oriental, 66, indicator=MEMBERS, cells={"sex": "F"}, status=V.VALIDATED)
    make_value(o, oriental, 85, indicator=MEMBERS, cells={"sex": "M"}, status=V.VALIDATED)
    assert values(MEMBERS, by="sex").rows == [{"sex": "F", "value": 66},
                                              {"sex": "M", "value": 85}]
    assert values(MEMBERS, by="sector").total == 150
    # The drill-down's cells: women only.
    assert values(MEMBERS, by="sector", where={"sex": "F"}).rows == [
        {"sector": "agriculture", "value": 25}, {"sector": "crafts", "value": 40}]


@pytest.mark.django_db
def test_a_total_without_its_breakdown_is_an_unknown_row(oriental, casablanca_settat,
                                                        oriental_observatory,
                                                        casablanca_observatory):
    make_value(oriental_observatory, oriental, 12, cells={"sector": "crafts"},
               status=V.VALIDATED)
    make_value(casablanca_observatory, casablanca_settat, 20, status=V.VALIDATED)
    result = values(COOPERATIVES, by="sector")
    assert result.rows == [{"sector": "crafts", "value": 12},
                           {"sector": "unknown", "value": 20}]
    assert result.total == 32


@pytest.mark.django_db
def test_the_period_and_the_users_regions(oriental, casablanca_settat, oriental_observatory,
                                          casablanca_observatory, analyst):
    make_value(oriental_observatory, oriental, 12, status=V.VALIDATED)
    make_value(oriental_observatory, oriental, 7, status=V.VALIDATED,
               start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31))
    make_value(casablanca_observatory, casablanca_settat, 20, status=V.VALIDATED)
    assert values(COOPERATIVES, date_from=YEAR_START, date_to=YEAR_END).total == 32
    assert values(COOPERATIVES, date_from=datetime.date(2024, 1, 1),
                  date_to=datetime.date(2024, 12, 31)).total == 7
    # A period reaching beyond the one asked is not within it.
    assert values(COOPERATIVES, date_from=datetime.date(2025, 6, 1)).total == 0
    assert values(COOPERATIVES, user=analyst).total == 19


@pytest.mark.django_db
def test_figures_move_when_a_value_is_validated_or_unvalidated(oriental, national_admin,
                                                               analyst, oriental_observatory):
    value = create(oriental_observatory, oriental, 12, analyst, cells={"sector": "crafts"})
    assert values(COOPERATIVES).total == 0
    collected.value_submit(value=value, by=analyst)
    collected.value_validate(value=value, by=national_admin)
    assert values(COOPERATIVES).total == 12  # the cache moved with the validation
    collected.value_unvalidate(value=value, reason="Recount in Berkane", by=national_admin)
    assert values(COOPERATIVES).total == 0


@pytest.mark.django_db
def test_one_query_for_a_breakdown(oriental, oriental_observatory, django_assert_num_queries):
    for sector in ("crafts", "agriculture", "tourism"):
        make_value(oriental_observatory, oriental, 3, cells={"sector": sector},
                   status=V.VALIDATED)
    with django_assert_num_queries(1):
        values(COOPERATIVES, by="sector")
