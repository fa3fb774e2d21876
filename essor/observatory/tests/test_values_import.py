"""Importing collected values: spreadsheets as staff save them, bad rows named with their
line and the refused value, nothing lost, re-import idempotent, the lock held."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from essor.core.imports import run_import
from essor.observatory.imports import CollectedValueImporter
from essor.observatory.models import CollectedValue

from .values_fixtures import *  # noqa: F403 (fixtures and helpers)
from .values_fixtures import COOPERATIVES, MEMBERS, make_value

HEADER = ["indicator", "period_start", "period_end", "region", "province", "sector", "sex",
          "value", "source"]
GOOD = [
    ["observatory.census_cooperatives", "2025-01-01", "2025-12-31", "MA-02", "", "crafts", "",
     "118", "Recensement 2025"],
    ["census_cooperatives", "01/01/2025", "31/12/2025", "Oriental", "", "Agriculture", "",
     "1 204", "Recensement 2025"],
    ["observatory.census_members", "2025-01-01", "2025-12-31", "MA-02", "", "crafts", "femme",
     "964", ""],
]


def csv_file(rows, header=HEADER) -> io.BytesIO:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(buffer.getvalue().encode("utf-8"))


def xlsx_file(rows, header=HEADER) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Recensement régional des coopératives — Oriental"])  # a title row
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def run(observatory, by, stream, name="values.csv", **modes):
    with translation.override("en"):
        return run_import(CollectedValueImporter(by=by, observatory=observatory), stream,
                          name, **modes)


@pytest.mark.django_db
def test_a_sheet_is_imported_as_drafts_and_reimporting_it_changes_nothing(
        oriental, analyst, oriental_observatory):
    rows = [[*row[:7], int(row[7].replace(" ", "")), row[8]] for row in GOOD]  # numbers
    result = run(oriental_observatory, analyst, xlsx_file(rows), "census.xlsx")
    assert (result.created, result.errors) == (3, [])
    stored = {(v.indicator_code, v.cell_key): v for v in CollectedValue.objects.all()}
    assert stored[(COOPERATIVES, "sector=agriculture")].value == Decimal(1204)
    assert stored[(MEMBERS, "sector=crafts,sex=F")].value == 964
    assert all(v.status == "draft" and v.entered_by == analyst for v in stored.values())
    again = run(oriental_observatory, analyst, csv_file(GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert CollectedValue.objects.count() == 3


@pytest.mark.django_db
def test_bad_rows_are_named_and_nothing_is_written(oriental, analyst, oriental_observatory):
    rows = [*GOOD,
            ["observatory.census_cooperatives", "2025-01-01", "2025-12-31", "MA-06", "",
             "crafts", "", "4", ""],                                   # not its region
            ["observatory.census_cooperatives", "2025-13-01", "2025-12-31", "MA-02", "",
             "mining", "", "-3", ""],                                  # three bad cells
            ["training.beneficiaries", "2025-01-01", "2025-12-31", "MA-02", "", "", "",
             "4", ""],                                                 # computed
            ["observatory.census_cooperatives", "2025-01-01", "2025-12-31", "MA-02", "",
             "", "F", "4", ""]]                                        # no such breakdown
    result = run(oriental_observatory, analyst, csv_file(rows))
    assert not result.written and CollectedValue.objects.count() == 0
    found = {(e.row, e.column): e.message for e in result.errors}
    assert set(found) == {(5, "region"), (6, "period_start"), (6, "sector"), (6, "value"),
                          (7, "indicator"), (8, "sex")}
    assert "mining" in found[(6, "sector")] and "-3" in found[(6, "value")]
    assert "training.beneficiaries" in found[(7, "indicator")]
    assert "MA-06" in found[(5, "region")]
    # Partial: the good rows are written, the bad ones come back in a file to fix.
    partial = run(oriental_observatory, analyst, csv_file(rows), partial=True)
    assert partial.created == 3 and CollectedValue.objects.count() == 3
    errors = partial.errors_csv().decode("utf-8-sig")
    assert errors.count("\n") == 1 + 4 and "mining" in errors


@pytest.mark.django_db
def test_a_changed_figure_updates_its_draft_but_not_a_validated_value(
        oriental, analyst, oriental_observatory):
    make_value(oriental_observatory, oriental, 100, cells={"sector": "crafts"},
               status=CollectedValue.Status.VALIDATED)
    make_value(oriental_observatory, oriental, 50, cells={"sector": "agriculture"})
    rows = [[COOPERATIVES, "2025-01-01", "2025-12-31", "MA-02", "", "crafts", "", "101", ""],
            [COOPERATIVES, "2025-01-01", "2025-12-31", "MA-02", "", "agriculture", "", "51",
             ""]]
    result = run(oriental_observatory, analyst, csv_file(rows), partial=True)
    assert result.updated == 1
    assert [(e.row, e.column) for e in result.errors] == [(2, "value")]
    assert "validated and locked" in result.errors[0].message
    assert "sector=crafts" in result.errors[0].message
    values = dict(CollectedValue.objects.values_list("cell_key", "value"))
    assert values == {"sector=crafts": 100, "sector=agriculture": 51}


@pytest.mark.django_db
def test_another_observatorys_analyst_imports_nothing(casablanca_analyst, oriental,
                                                      oriental_observatory):
    result = run(oriental_observatory, casablanca_analyst, csv_file(GOOD[:1]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "observatory")]
    assert "oriental" in result.errors[0].message
    assert not CollectedValue.objects.exists()


@pytest.mark.django_db
def test_the_import_page(client_as, analyst, casablanca_analyst, oriental_observatory):
    url = reverse("observatory:value_import", args=[oriental_observatory.code])
    assert client_as(casablanca_analyst).get(url).status_code == 404
    client = client_as(analyst)
    upload = csv_file(GOOD)
    upload.name = "census.csv"
    page = client.post(url, {"file": upload, "mode": "dry_run"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and b"Dry run" in page.content
    assert not CollectedValue.objects.exists()
    upload = csv_file(GOOD)
    upload.name = "census.csv"
    client.post(url, {"file": upload, "mode": "all"})
    assert CollectedValue.objects.count() == 3
    template = client.get(reverse("observatory:value_import_template",
                                  args=[oriental_observatory.code, "xlsx"]))
    assert template.status_code == 200 and template.content[:2] == b"PK"
