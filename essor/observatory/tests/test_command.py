"""essor indicators list / values: JSON and CSV read back, --public, errors (status 2)."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from essor.registry.tests.factories import PersonFactory
from essor.training.models import Workshop
from essor.training.tests.factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    with translation.override("en"):
        call_command("indicators", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def attended(oriental, casablanca_settat):
    """7 women and 3 men in the Oriental (2025), 2 women in Casablanca-Settat (2024)."""
    oujda = WorkshopFactory(status=Workshop.Status.HELD, region=oriental,
                            date=datetime.date(2025, 3, 1))
    settat = WorkshopFactory(status=Workshop.Status.HELD, region=casablanca_settat,
                             date=datetime.date(2024, 3, 1))
    for sex, count in (("F", 7), ("M", 3)):
        for _ in range(count):
            EnrolmentFactory(workshop=oujda, attended=True,
                             person=PersonFactory(sex=sex, region=oriental))
    for _ in range(2):
        EnrolmentFactory(workshop=settat, attended=True,
                         person=PersonFactory(region=casablanca_settat))


def test_list_prints_the_catalogue():
    out = run("list")
    line = next(x for x in out.splitlines() if x.startswith("training.beneficiaries "))
    assert line.split() == ["training.beneficiaries", "people", "computed",
                            "sex,age_band,disability,region,province,theme,event,event_kind,month,year"]
    catalogue = json.loads(run("list", "--format", "json"))
    assert {"promotion.exhibitors", "registry.members"} <= {e["code"] for e in catalogue}


def test_values_json_is_the_issue_shape(attended):
    data = json.loads(run("values", "training.beneficiaries", "--by", "sex", "--format",
                          "json"))
    assert data == {"indicator": "training.beneficiaries", "unit": "people", "by": ["sex"],
                    "total": 12, "additive": True,
                    "rows": [{"sex": "F", "value": 9}, {"sex": "M", "value": 3}]}


def test_values_period_and_region(attended):
    data = json.loads(run("values", "training.beneficiaries", "--region", "MA-02",
                          "--from", "2025-01-01", "--to", "2025-12-31"))
    assert (data["total"], data["by"], data["rows"]) == (10, [], [])
    data = json.loads(run("values", "training.beneficiaries", "--to", "2024-12-31"))
    assert data["total"] == 2


def test_values_csv_reads_back(attended):
    out = run("values", "training.beneficiaries", "--by", "region,sex", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["region"] == rows[0]["sex"] == "" and rows[0]["value"] == "12"
    # A breakdown by the activity's region says that its rows may exceed the total.
    assert rows[0]["note"] == "A person who attended in two regions counts in each."
    assert [(r["region"], r["sex"], r["value"]) for r in rows[1:]] == [
        ("MA-02", "F", "7"), ("MA-02", "M", "3"), ("MA-06", "F", "2")]
    additive = list(csv.DictReader(io.StringIO(run(
        "values", "training.beneficiaries", "--by", "sex", "--format", "csv"))))
    assert "note" not in additive[0]


def test_public_values_suppress_small_cells(attended):
    data = json.loads(run("values", "training.beneficiaries", "--by", "sex",
                          "--region", "MA-02", "--public"))
    # 7 women and 3 men: the 3 is hidden, and so is the 7 (or 10 - 7 gives it back).
    assert {r["sex"]: r["value"] for r in data["rows"]} == {"F": None, "M": None}
    assert all(r["suppressed"] for r in data["rows"])
    assert data["total"] == 10
    share = json.loads(run("values", "training.women_beneficiaries_share", "--by", "sex",
                           "--region", "MA-02", "--public"))
    assert all(r["value"] is None for r in share["rows"])
    csv_rows = list(csv.DictReader(io.StringIO(run(
        "values", "training.beneficiaries", "--by", "sex", "--region", "MA-02", "--public",
        "--format", "csv"))))
    assert [(r["sex"], r["value"], r["suppressed"]) for r in csv_rows[1:]] == [
        ("F", "", "yes"), ("M", "", "yes")]


def test_public_two_breakdowns_carry_the_true_margins(attended):
    data = json.loads(run("values", "training.beneficiaries", "--by", "region,sex",
                          "--public"))
    assert data["additive"] is False
    assert "margins" in data
    assert not any(r["value"] in (1, 2, 3, 4) for r in data["rows"])


@pytest.mark.parametrize(("args", "named"), [
    (["values", "training.nothing"], "training.nothing"),
    (["values", "training.workshops", "--by", "sex"], "sex"),
    (["values", "training.workshops", "--from", "2025-13-01"], "2025-13-01"),
    (["values", "training.workshops", "--to", "yesterday"], "yesterday"),
    (["values", "training.workshops", "--region", "MA-99"], "MA-99"),
    (["values", "training.workshops", "--from", "2025-02-01", "--to", "2025-01-01"],
     "2025-01-01"),
])
def test_bad_input_names_the_value_and_exits_with_2(args, named):
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert named in str(refused.value)
    assert refused.value.returncode == 2
