"""Imports of workshops and attendance sheets: row errors naming the column,
all-or-nothing, --dry-run and --partial, idempotence, and the duplicate rules: one
person in several rows, whatever the spelling of their national ID or phone, is one
beneficiary."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from essor.audit.models import AuditEntry
from essor.core.imports import REGISTRY, load_importers, run_import
from essor.promotion.tests.factories import EventFactory
from essor.registry.models import Person
from essor.registry.tests.factories import PersonFactory
from essor.training.figures import training_figures
from essor.training.models import Enrolment, Workshop

from .factories import WorkshopFactory

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate().year + 1
WORKSHOPS = ["code", "title", "theme", "date", "region", "province", "event_code"]
ATTENDANCE = ["workshop_code", "first_name", "last_name", "sex", "birth_year", "phone",
              "national_id", "attended"]


def csv_bytes(header, rows) -> io.BytesIO:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(buffer.getvalue().encode("utf-8"))


def run(kind, header, rows, by=None, **options):
    load_importers()
    return run_import(REGISTRY[kind](by=by), csv_bytes(header, rows), f"{kind}.csv",
                      **options)


def cells(result) -> set:
    return {(e.row, e.column) for e in result.errors}


@pytest.fixture
def market(casablanca_settat):
    return EventFactory(code="MI-2024-SET-01", region=casablanca_settat)


# -- workshops ------------------------------------------------------------------------------

PAST = ["AT-2024-SET-01", "Gouvernance des coopératives", "governance", "2024-05-11",
        "MA-06", "MA-SET", "MI-2024-SET-01"]
FUTURE = ["AT-NEXT-ORI-01", "Vendre en ligne", "Gouvernance coopérative",
          f"{NEXT_YEAR}-10-03", "MA-02", "MA-OUJ", ""]


def test_workshops_are_imported_a_past_one_as_held(market, national_admin):
    result = run("workshops", WORKSHOPS, [PAST, FUTURE], by=national_admin)
    assert not result.errors and result.created == 2
    past = Workshop.objects.get(code="AT-2024-SET-01")
    assert past.status == Workshop.Status.HELD
    assert past.event == market and past.theme.code == "governance"
    assert past.province.code == "MA-SET"
    future = Workshop.objects.get(code="AT-NEXT-ORI-01")
    assert future.status == Workshop.Status.PLANNED and future.event is None
    assert future.theme.code == "governance"  # by its French name
    assert AuditEntry.objects.filter(action="training.workshop.created").count() == 2
    assert AuditEntry.objects.filter(action="import.workshops").count() == 1


def test_reimporting_workshops_creates_nothing(market):
    run("workshops", WORKSHOPS, [PAST, FUTURE])
    result = run("workshops", WORKSHOPS, [PAST, FUTURE])
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Workshop.objects.count() == 2


def test_a_stored_planned_workshop_whose_date_passed_moves_to_held(market):
    WorkshopFactory(code="AT-2024-SET-01", date=datetime.date(2024, 5, 11),
                    status=Workshop.Status.PLANNED)
    result = run("workshops", WORKSHOPS, [PAST])
    assert result.updated == 1
    assert Workshop.objects.get(code="AT-2024-SET-01").status == Workshop.Status.HELD


BAD_WORKSHOPS = [
    ["AT-X1", "Atelier", "astrology", "2024-05-11", "MA-06", "", ""],
    ["AT-X2", "Atelier", "governance", "2024-05-11", "MA-99", "", ""],
    ["AT-X3", "Atelier", "governance", "11 mai 2024", "MA-06", "", ""],
    ["AT-X4", "Atelier", "governance", "2024-05-11", "MA-02", "MA-CAS", ""],
    ["AT-X5", "Atelier", "governance", "2024-05-11", "MA-06", "", "NO-SUCH-EVENT"],
]
# The header is row 1, the good rows 2 and 3.
BAD_WORKSHOP_CELLS = {(4, "theme"), (5, "region"), (6, "date"), (7, "province"),
                      (8, "event_code")}


def test_bad_workshop_rows_write_nothing_and_name_row_and_column(market):
    result = run("workshops", WORKSHOPS, [PAST, FUTURE, *BAD_WORKSHOPS])
    assert cells(result) == BAD_WORKSHOP_CELLS
    assert not result.written
    assert Workshop.objects.count() == 0


def test_workshops_partial_writes_the_good_rows(market):
    result = run("workshops", WORKSHOPS, [PAST, FUTURE, *BAD_WORKSHOPS], partial=True)
    assert result.created == 2 and result.error_rows == 5
    assert set(Workshop.objects.values_list("code", flat=True)) == {PAST[0], FUTURE[0]}


def test_an_officer_cannot_import_a_workshop_of_another_region(oriental_officer, market):
    result = run("workshops", WORKSHOPS, [PAST], by=oriental_officer)
    # The region, and the Casablanca-Settat market it names, are both out of scope.
    assert cells(result) == {(2, "region"), (2, "event_code")}
    assert Workshop.objects.count() == 0


# -- attendance -----------------------------------------------------------------------------

@pytest.fixture
def held(casablanca_settat):
    return WorkshopFactory(code="AT-2024-SET-01", region=casablanca_settat,
                           status=Workshop.Status.HELD, date=datetime.date(2024, 5, 11))


@pytest.fixture
def second(casablanca_settat):
    return WorkshopFactory(code="AT-2024-SET-02", region=casablanca_settat,
                           status=Workshop.Status.HELD, date=datetime.date(2024, 6, 8))


@pytest.fixture
def third(casablanca_settat):
    return WorkshopFactory(code="AT-2024-SET-03", region=casablanca_settat,
                           status=Workshop.Status.HELD, date=datetime.date(2024, 7, 6))


def test_one_person_under_several_spellings_is_one_beneficiary(held, second, third):
    """THE test of the issue: the national ID and the phone spelt three ways each."""
    rows = [
        ["AT-2024-SET-01", "Khadija", "Tazi", "F", "1985", "", "AB123456", "yes"],
        ["AT-2024-SET-02", "Khadija", "Tazi", "F", "1985", "", "ab 123456", "oui"],
        ["AT-2024-SET-03", "KHADIJA", "TAZI", "femme", "", "", " AB123456 ", "yes"],
        ["AT-2024-SET-01", "Youssef", "Amrani", "M", "1992", "0612345678", "", "yes"],
        ["AT-2024-SET-02", "Youssef", "Amrani", "M", "1992", "+212 6 12 34 56 78", "", "yes"],
        ["AT-2024-SET-03", "youssef", "amrani", "M", "", "00212612345678", "", "yes"],
        ["AT-2024-SET-03", "Naima", "Berrada", "F", "2001", "", "", "no"],
    ]
    result = run("attendance", ATTENDANCE, rows)
    assert not result.errors, result.errors
    assert result.created == 7
    assert Person.objects.count() == 3
    khadija = Person.objects.get(national_id="AB123456")
    assert khadija.enrolments.filter(attended=True).count() == 3
    youssef = Person.objects.get(last_name="Amrani")
    assert youssef.enrolments.filter(attended=True).count() == 3
    assert youssef.region == held.region
    figures = training_figures()
    assert figures["beneficiaries"] == 2  # Naima was absent
    assert figures["women_beneficiaries"] == 1
    assert figures["attendances"] == 6
    assert figures["workshops"] == 3


def test_people_already_registered_are_matched_not_duplicated(held, casablanca_settat):
    PersonFactory(first_name="Khadija", last_name="Tazi", national_id="AB123456",
                  region=casablanca_settat)
    rows = [["AT-2024-SET-01", "Khadija", "Tazi", "F", "", "", "ab-123456", "yes"]]
    result = run("attendance", ATTENDANCE, rows)
    assert result.created == 1 and Person.objects.count() == 1
    assert training_figures()["beneficiaries"] == 1


def test_reimporting_attendance_creates_nothing(held):
    rows = [["AT-2024-SET-01", "Khadija", "Tazi", "F", "1985", "0661234567", "", "yes"],
            ["AT-2024-SET-01", "Youssef", "Amrani", "M", "1992", "", "", "no"]]
    run("attendance", ATTENDANCE, rows)
    result = run("attendance", ATTENDANCE, rows)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Person.objects.count() == 2 and Enrolment.objects.count() == 2


def test_a_later_sheet_changes_the_tick(held):
    run("attendance", ATTENDANCE,
        [["AT-2024-SET-01", "Khadija", "Tazi", "F", "1985", "0661234567", "", "no"]])
    result = run("attendance", ATTENDANCE,
                 [["AT-2024-SET-01", "Khadija", "Tazi", "F", "1985", "0661234567", "", "yes"]])
    assert result.updated == 1
    assert Enrolment.objects.get().attended is True


GOOD_ATTENDANCE = [["AT-2024-SET-01", "Khadija", "Tazi", "F", "1985", "", "AB123456", "yes"],
                   ["AT-2024-SET-01", "Youssef", "Amrani", "M", "1992", "0612345678", "",
                    "non"]]
BAD_ATTENDANCE = [
    ["AT-9999-NOPE", "Aicha", "Bennis", "F", "1990", "", "", "yes"],
    ["AT-2024-SET-01", "Aicha", "Bennis", "F", "1990", "", "", "maybe"],
    ["AT-2024-SET-01", "Aicha", "Bennis", "X", "1990", "", "", "yes"],
    ["AT-2024-SET-01", "Aicha", "Bennis", "F", "1990", "", "123", "yes"],
    ["AT-2024-SET-01", "Aicha", "Bennis", "F", "1990", "12", "", "yes"],
    ["AT-2024-SET-01", "Aicha", "Bennis", "F", "1990", "", "", ""],
]
BAD_ATTENDANCE_CELLS = {(4, "workshop_code"), (5, "attended"), (6, "sex"),
                        (7, "national_id"), (8, "phone"), (9, "attended")}


def test_bad_attendance_rows_write_nothing_and_name_row_and_column(held):
    result = run("attendance", ATTENDANCE, [*GOOD_ATTENDANCE, *BAD_ATTENDANCE])
    assert cells(result) == BAD_ATTENDANCE_CELLS
    assert not result.written
    assert Person.objects.count() == 0 and Enrolment.objects.count() == 0


def test_attendance_dry_run_reports_and_writes_nothing(held):
    result = run("attendance", ATTENDANCE, GOOD_ATTENDANCE, dry_run=True)
    assert result.created == 2 and not result.errors and not result.written
    assert Person.objects.count() == 0 and Enrolment.objects.count() == 0


def test_attendance_partial_writes_the_good_rows(held):
    result = run("attendance", ATTENDANCE, [*GOOD_ATTENDANCE, *BAD_ATTENDANCE], partial=True)
    assert result.created == 2 and result.error_rows == 6
    assert Enrolment.objects.count() == 2
    assert Enrolment.objects.get(person__last_name="Amrani").attended is False


def test_attendance_of_a_workshop_out_of_scope_is_unknown(held, oriental_officer):
    result = run("attendance", ATTENDANCE, GOOD_ATTENDANCE[:1], by=oriental_officer)
    assert cells(result) == {(2, "workshop_code")}
    assert Enrolment.objects.count() == 0


def test_a_trainer_imports_the_sheet_of_their_own_workshop(oriental, trainer):
    WorkshopFactory(code="AT-2024-ORI-01", region=oriental, trainer=trainer,
                    status=Workshop.Status.HELD, date=datetime.date(2024, 5, 11))
    rows = [["AT-2024-ORI-01", "Khadija", "Tazi", "F", "1985", "", "AB123456", "yes"]]
    result = run("attendance", ATTENDANCE, rows, by=trainer)
    assert not result.errors and result.created == 1
    assert Person.objects.get().region == oriental


def test_the_command_line_all_or_nothing_and_partial(tmp_path, held):
    path = tmp_path / "attendance.csv"
    path.write_bytes(csv_bytes(ATTENDANCE, [*GOOD_ATTENDANCE, *BAD_ATTENDANCE]).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError), translation.override("en"):
        call_command("import", "attendance", str(path), stdout=io.StringIO(), stderr=err)
    assert "row 5, column attended" in err.getvalue()
    assert Enrolment.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("import", "attendance", str(path), "--dry-run", stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert Enrolment.objects.count() == 0
    call_command("import", "attendance", str(path), "--partial", stdout=io.StringIO(),
                 stderr=io.StringIO())
    assert Enrolment.objects.count() == 2
    assert (tmp_path / "attendance.csv.errors.csv").exists()
