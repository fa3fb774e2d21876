"""Imports of spreadsheets as staff save them, files built to hurt, scope of every
importer's lookups, query counts per chunk, and the web's kept upload."""

import csv
import datetime
import io
import re
import threading
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation
from openpyxl import Workbook

from essor.audit.models import AuditEntry
from essor.core import imports as core_imports
from essor.core import uploads
from essor.core.imports import REGISTRY, ImportFileError, load_importers, read_rows, run_import
from essor.promotion.models import Event, Participation
from essor.promotion.tests.factories import EventFactory
from essor.registry.models import Organisation, Person
from essor.registry.tests.factories import PersonFactory
from essor.training.models import Enrolment, Workshop
from essor.training.tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (French is the default language)."""
    with translation.override("en"):
        yield

PEOPLE = ["first_name", "last_name", "sex", "birth_year", "region", "province", "phone",
          "national_id", "disability"]
ATTENDANCE = ["workshop_code", "first_name", "last_name", "sex", "birth_year", "phone",
              "national_id", "attended"]


def csv_stream(header, rows, *, above=()) -> io.BytesIO:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(above)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(buffer.getvalue().encode("utf-8"))


def xlsx_stream(header, rows, *, above=()) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for row in [*above, header, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def run(kind, stream, name, by=None, **options):
    load_importers()
    return run_import(REGISTRY[kind](by=by), stream, name, **options)


def messages(result) -> dict:
    return {(e.row, e.column): e.message for e in result.errors}


# -- spreadsheets as staff save them ------------------------------------------------------------

def test_a_sheet_as_a_spreadsheet_program_saves_it_is_read(oriental, casablanca_settat):
    """Title row above the header, phone and years as numbers, region and province names
    in French and Arabic, any case or accents, oui/non, trailing spaces."""
    stream = xlsx_stream(PEOPLE, [
        ["Fatima ", " Benali", "F", 1994.0, "Oriental", "Oujda-Angad", 612345678, "", "non"],
        ["Khadija", "Tazi", "femme", 1985, "الشرق", "", 661234567.0, "", "oui"],
        ["Youssef", "Amrani", "M", "1990", " casablanca settat ", "", "+212 698765432", "",
         "Non "],
        ["Naima", "Idrissi", "F", 1992, "CASABLANCA-SETTAT", "", "00212 5 22 12 34 56", "",
         ""],
    ], above=[["Liste des bénéficiaires — Oriental, 2025"], []])
    result = run("people", stream, "people.xlsx")

    assert not result.errors, result.errors
    assert result.created == 4
    fatima = Person.objects.get(last_name="Benali")
    assert (fatima.first_name, fatima.birth_year, fatima.phone) == (
        "Fatima", 1994, "06 12 34 56 78")
    assert fatima.region == oriental and fatima.province.code == "MA-OUJ"
    assert fatima.disability is False
    khadija = Person.objects.get(last_name="Tazi")
    assert khadija.region == oriental and khadija.disability is True
    assert khadija.phone == "06 61 23 45 67"
    assert Person.objects.get(last_name="Amrani").region == casablanca_settat
    assert Person.objects.get(last_name="Idrissi").phone == "05 22 12 34 56"


def test_date_cells_and_excel_serial_dates_are_read(national_admin):
    header = ["code", "kind", "title", "start_date", "end_date", "region", "province", "city"]
    stream = xlsx_stream(header, [
        ["MI-1", "itinerant_market", "Marché", datetime.datetime(2025, 5, 10),  # noqa: DTZ001
         45791,
         "Casablanca-Settat", "Settat", "Settat"],
    ])
    result = run("events", stream, "events.xlsx", by=national_admin)
    assert not result.errors, result.errors
    event = Event.objects.get(code="MI-1")
    assert (event.start_date, event.end_date) == (datetime.date(2025, 5, 10),
                                                  datetime.date(2025, 5, 14))


def test_each_error_names_the_refused_value():
    stream = csv_stream(PEOPLE, [
        ["Aicha", "Fassi", "X", "abc", "MA-99", "", "123", "12345", "peut-être"],
    ])
    found = messages(run("people", stream, "people.csv"))
    assert found[(2, "region")].startswith('"MA-99": unknown region')
    assert found[(2, "birth_year")].startswith('"abc": write a year such as 1990')
    assert found[(2, "sex")].startswith('"X": ')
    assert found[(2, "phone")].startswith('"123": ')
    assert found[(2, "national_id")].startswith('"12345": ')
    assert found[(2, "disability")].startswith('"peut-être": ')


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e400", "Infinity"])
def test_infinite_or_not_a_number_in_a_year_or_count_is_a_row_error(value):
    organisations = ["name", "kind", "region", "founding_year", "members_women"]
    result = run("organisations", csv_stream(organisations, [
        ["Coopérative Nour", "cooperative", "MA-06", value, value]]), "o.csv")
    assert set(messages(result)) == {(2, "founding_year"), (2, "members_women")}
    assert messages(result)[(2, "founding_year")].startswith(f'"{value}": ')
    assert not Organisation.objects.exists()


def test_a_nul_byte_after_the_first_2_kb_is_a_clear_row_error():
    rows = [[f"Prénom{i}", f"Nom{i}", "F", "1990", "MA-06", "", "", "", ""] for i in range(60)]
    rows.append(["Sal\x00ma", "Alami", "F", "1990", "MA-06", "", "", "", ""])
    stream = csv_stream(PEOPLE, rows)
    assert b"\x00" in stream.getvalue()[2048:]
    result = run("people", stream, "people.csv")
    assert list(messages(result)) == [(62, "first_name")]
    assert "control character (\\x00)" in messages(result)[(62, "first_name")]
    assert not Person.objects.exists()


@pytest.mark.parametrize("char", ["\x01", "\x08", "\x0b", "\x7f"])
def test_control_characters_in_a_cell_are_refused_tabs_and_breaks_become_spaces(char):
    result = run("people", csv_stream(PEOPLE, [
        [f"Na{char}ima", "Idrissi", "F", "1990", "MA-06", "", "", "", ""],
        ["Zineb\t", "El\nAlami", "F", "1990", "MA-06", "", "", "", ""],
    ]), "people.csv", partial=True)
    assert list(messages(result)) == [(2, "first_name")]
    assert Person.objects.get().last_name == "El Alami"


# -- files built to hurt ------------------------------------------------------------------------

def _declare_huge_dimension(stream: io.BytesIO) -> io.BytesIO:
    """The sheet declares A1:XFD1048576, as the tester's 4.7 KB file did."""
    out = io.BytesIO()
    with zipfile.ZipFile(stream) as source, zipfile.ZipFile(out, "w",
                                                            zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>',
                              data)
            target.writestr(item, data)
    out.seek(0)
    return out


def test_a_sheet_declaring_a_huge_dimension_is_read_by_its_real_cells():
    stream = _declare_huge_dimension(xlsx_stream(PEOPLE, [
        ["Fatima", "Benali", "F", 1994, "MA-06", "", "", "", ""]]))
    header, rows = read_rows(stream, "people.xlsx")
    rows = list(rows)
    assert header[:3] == ["first_name", "last_name", "sex"]
    assert len(rows) == 1 and len(rows[0][1]) == len(PEOPLE)


def test_one_cell_in_the_last_row_of_the_sheet_is_refused_without_reading_a_million_rows(
        monkeypatch):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(PEOPLE)
    sheet.cell(row=1_048_576, column=16_384, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    stream = _declare_huge_dimension(buffer)
    assert len(stream.getvalue()) < 10_000
    produced = []
    real = core_imports._xlsx_rows

    def counted(s):
        for row in real(s):
            produced.append(row)
            yield row
    monkeypatch.setattr(core_imports, "_xlsx_rows", counted)
    with pytest.raises(ImportFileError, match="200,000|200000|200 000"):
        run("people", stream, "people.xlsx")
    assert len(produced) == 1  # the header; the last row is refused, nothing in between


def test_a_value_beyond_the_hundredth_column_is_refused():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(PEOPLE)
    sheet.append(["Fatima", "Benali", "F", 1994, "MA-06"])
    sheet.cell(row=2, column=150, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with pytest.raises(ImportFileError, match="100"):
        run("people", buffer, "people.xlsx")


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_held_while_the_file_is_read_and_cleaned(monkeypatch):
    """Another officer's write during an import's reading phase goes through."""
    load_importers()
    importer = REGISTRY["people"](by=None)
    seen = {}
    real = importer.clean_rows

    def clean_rows(rows):
        seen["in_transaction"] = connection.in_atomic_block

        def other_officer():
            try:
                PersonFactory(first_name="Autre", last_name="Agent")
                seen["other_write"] = "done"
            except Exception as exc:  # noqa: BLE001 (the test reports what happened)
                seen["other_write"] = repr(exc)
            finally:
                connection.close()
        thread = threading.Thread(target=other_officer)
        thread.start()
        thread.join(30)
        return real(rows)
    monkeypatch.setattr(importer, "clean_rows", clean_rows)
    result = run_import(importer, csv_stream(PEOPLE, [
        ["Fatima", "Benali", "F", "1994", "MA-06", "", "", "", ""]]), "people.csv")

    assert seen == {"in_transaction": False, "other_write": "done"}
    assert result.created == 1
    assert Person.objects.count() == 2


# -- every importer looks codes up through the user's scope --------------------------------------

@pytest.fixture
def foreign(casablanca_settat):
    """Records of Casablanca-Settat an Oriental officer must not reach."""
    event = EventFactory(code="MI-CAS", region=casablanca_settat,
                         start_date=datetime.date(2024, 5, 10),
                         end_date=datetime.date(2024, 5, 14), status=Event.Status.HELD)
    workshop = WorkshopFactory(code="AT-CAS", region=casablanca_settat)
    person = PersonFactory(national_id="BK111111", region=casablanca_settat)
    from essor.incubation.tests.factories import IncubatorFactory, ProjectFactory

    project = ProjectFactory(code="INC-CAS", incubator=IncubatorFactory(
        code="cira-cas", region=casablanca_settat))
    return {"event": event, "workshop": workshop, "person": person, "project": project}


FOREIGN_ROWS = {
    "organisations": (["name", "kind", "region"],
                      [["Coopérative Al Baraka", "cooperative", "MA-06"]], "region"),
    "people": (["first_name", "last_name", "sex", "region"],
               [["Khadija", "Tazi", "F", "Casablanca-Settat"]], "region"),
    "events": (["code", "kind", "title", "start_date", "end_date", "region", "province",
                "city"],
               [["MI-CAS-2", "itinerant_market", "Marché", "2025-05-10", "2025-05-14",
                 "MA-06", "MA-SET", "Settat"]], "region"),
    "participations": (["event_code", "organisation_name", "organisation_kind",
                        "organisation_region", "holder_first_name", "holder_last_name",
                        "holder_sex", "status"],
                       [["MI-CAS", "Coopérative Nour", "cooperative", "MA-02", "Naima",
                         "Idrissi", "F", "attended"]], "event_code"),
    "workshops": (["code", "title", "theme", "date", "region", "event_code"],
                  [["AT-ORI-9", "Gouvernance", "governance", "2024-05-11", "MA-02",
                    "MI-CAS"]], "event_code"),
    "attendance": (ATTENDANCE, [["AT-CAS", "Khadija", "Tazi", "F", "", "", "", "yes"]],
                   "workshop_code"),
    "incubation_projects": (["code", "title", "incubator_code", "sector", "joined_on"],
                            [["INC-ORI-1", "Atelier Tissage", "cira-cas", "crafts",
                              "2025-03-03"]], "incubator_code"),
    "incubation_holders": (["project_code", "first_name", "last_name", "sex"],
                           [["INC-CAS", "Khadija", "Tazi", "F"]], "project_code"),
    "coaching_sessions": (["project_code", "coach_username", "date"],
                          [["INC-CAS", "salma_coach", "2025-04-10"]], "project_code"),
    # An officer enters no observatory's values; another region's observatory is unknown.
    "observatory_values": (["observatory", "indicator", "period_start", "period_end",
                            "region", "sector", "value"],
                           [["casablanca-settat", "observatory.census_cooperatives",
                             "2025-01-01", "2025-12-31", "MA-06", "crafts", "12"]],
                           "observatory"),
}


@pytest.mark.parametrize("kind", sorted(FOREIGN_ROWS))
def test_an_oriental_officer_reaches_no_record_of_another_region(kind, foreign,
                                                                 oriental_officer):
    header, rows, column = FOREIGN_ROWS[kind]
    before = {model: model.objects.count() for model in (
        Organisation, Person, Event, Participation, Workshop, Enrolment)}
    result = run(kind, csv_stream(header, rows), f"{kind}.csv", by=oriental_officer)
    assert (2, column) in messages(result), result.errors
    assert not result.written
    assert before == {model: model.objects.count() for model in before}


def test_every_registered_importer_is_tried_for_scope():
    load_importers()
    assert set(REGISTRY) == set(FOREIGN_ROWS)


def test_an_oriental_sheet_does_not_enrol_a_person_of_another_region(foreign, oriental,
                                                                     oriental_officer):
    WorkshopFactory(code="AT-ORI", region=oriental)
    with translation.override("en"):
        result = run("attendance", csv_stream(ATTENDANCE, [
            ["AT-ORI", "Khadija", "Tazi", "F", "", "", "bk 111111", "yes"]]), "a.csv",
            by=oriental_officer)
    assert list(messages(result)) == [(2, "national_id")]
    assert "another region" in messages(result)[(2, "national_id")]
    assert not Enrolment.objects.exists()


# -- queries per chunk ------------------------------------------------------------------------

def _attendance_rows(count):
    rows = []
    for i in range(count):
        kind = i % 3
        rows.append(["AT-Q-1" if i % 2 else "AT-Q-2", f"Prénom{i}", f"Nom{i}", "F", "1990",
                     f"06{i:08d}" if kind == 1 else "", f"AB{100000 + i}" if kind == 0
                     else "", "yes"])
    return rows


@pytest.mark.parametrize("count", [100, 200])
def test_queries_of_an_attendance_import_do_not_grow_with_its_rows(
        count, casablanca_settat, national_admin, django_assert_max_num_queries):
    WorkshopFactory(code="AT-Q-1", region=casablanca_settat)
    WorkshopFactory(code="AT-Q-2", region=casablanca_settat)
    rows = _attendance_rows(count)
    run("attendance", csv_stream(ATTENDANCE, rows[: count // 2]), "a.csv", by=national_admin)
    # Half the people known, half new; every enrolment of the known half changes.
    rows = [[*r[:7], "no"] for r in rows]
    load_importers()
    importer = REGISTRY["attendance"](by=national_admin)
    with django_assert_max_num_queries(40):
        result = run_import(importer, csv_stream(ATTENDANCE, rows), "a.csv")
    assert (result.created, result.updated) == (count - count // 2, count // 2)


@pytest.mark.parametrize("count", [100, 200])
def test_queries_of_a_people_import_do_not_grow_with_its_rows(
        count, national_admin, django_assert_max_num_queries):
    rows = [[f"Prénom{i}", f"Nom{i}", "F", "1990", "MA-06", "", f"06{i:08d}",
             f"AB{100000 + i}" if i % 2 else "", ""] for i in range(count)]
    load_importers()
    importer = REGISTRY["people"](by=national_admin)
    with django_assert_max_num_queries(25):
        result = run_import(importer, csv_stream(PEOPLE, rows), "p.csv")
    assert result.created == count
    with django_assert_max_num_queries(10):
        again = run_import(REGISTRY["people"](by=national_admin), csv_stream(PEOPLE, rows),
                           "p.csv")
    assert again.unchanged == count


ORGANISATIONS = ["name", "kind", "region", "province", "sector", "founding_year",
                 "members_women", "members_men", "ice"]


@pytest.mark.parametrize("count", [100, 200])
def test_queries_of_an_organisation_import_do_not_grow_with_its_rows(
        count, national_admin, django_assert_max_num_queries):
    rows = [[f"Coopérative {i}", "cooperative", "MA-06", "", "", "2014", "", "",
             f"{i:015d}" if i % 2 else ""] for i in range(count)]
    load_importers()
    run_import(REGISTRY["organisations"](by=national_admin), csv_stream(ORGANISATIONS,
                                                                          rows[::2]), "o.csv")
    with django_assert_max_num_queries(15):
        result = run_import(REGISTRY["organisations"](by=national_admin),
                            csv_stream(ORGANISATIONS, rows), "o.csv")
    assert (result.created, result.unchanged) == (count // 2, count // 2)
    assert Organisation.objects.count() == count
    assert Organisation.objects.filter(ice="000000000000001").exists()
    assert AuditEntry.objects.filter(action="registry.organisation.created",
                                     actor=national_admin).count() == count


def test_an_organisation_is_found_by_its_ice_whatever_its_name_or_by_its_name_kind_and_region(
        national_admin, casablanca_settat):
    Organisation.objects.create(name="Coopérative Al Baraka", kind="cooperative",
                                region=casablanca_settat, ice="001234567000089")
    Organisation.objects.create(name="Association Nour", kind="association",
                                region=casablanca_settat)
    rows = [["Baraka (nouveau nom)", "cooperative", "MA-06", "", "", "", "", "",
             "001234567000089"],
            ["ASSOCIATION  nour", "association", "MA-06", "", "", "", "12", "", ""],
            ["Association Nour", "cooperative", "MA-06", "", "", "", "", "", ""]]
    load_importers()
    result = run_import(REGISTRY["organisations"](by=national_admin),
                        csv_stream(ORGANISATIONS, rows), "o.csv")
    assert (result.unchanged, result.updated, result.created) == (1, 1, 1)
    assert Organisation.objects.get(kind="association").members_women == 12
    assert Organisation.objects.filter(name="Association Nour").count() == 2


def test_ten_rows_of_one_person_in_one_chunk_or_across_chunks_are_one_person(
        casablanca_settat, monkeypatch):
    monkeypatch.setattr(core_imports.Importer, "chunk_size", 3)
    for code in ("AT-C-1", "AT-C-2"):
        WorkshopFactory(code=code, region=casablanca_settat)
    spellings = [("AB123456", ""), ("ab 123456", ""), (" AB-123456", "0612345678")] * 3
    rows = [[f"AT-C-{1 + i % 2}", "Khadija", "Tazi", "F", "1985", phone, nid, "yes"]
            for i, (nid, phone) in enumerate(spellings)]
    rows.append(["AT-C-1", "youssef", "AMRANI", "M", "", "+212 6 98 76 54 32", "", "yes"])
    rows.append(["AT-C-2", "Youssef", "Amrani", "M", "1992", "0698765432", "", "yes"])
    result = run("attendance", csv_stream(ATTENDANCE, rows), "a.csv")
    assert not result.errors
    assert Person.objects.count() == 2
    assert Person.objects.get(national_id="AB123456").phone == "06 12 34 56 78"
    assert Person.objects.get(last_name="AMRANI").birth_year == 1992
    assert Enrolment.objects.count() == 4


# -- the web keeps a dry run's file for the real import -------------------------------------------

def _upload(rows):
    return SimpleUploadedFile("people.csv", csv_stream(PEOPLE, rows).getvalue(),
                              content_type="text/csv")


GOOD = [["Fatima", "Benali", "F", "1994", "MA-02", "", "0661234567", "", ""]]


def test_after_a_web_dry_run_the_real_import_runs_on_the_same_file(client_as, national_admin):
    client = client_as(national_admin)
    response = client.post("/imports/people/", {"mode": "dry_run", "file": _upload(GOOD)})
    token = response.context["kept"]
    assert token and not Person.objects.exists()
    path, _name = uploads.find(response.wsgi_request, "people", token)
    assert path.is_file()

    response = client.post("/imports/people/", {"upload": token, "mode": "all"})
    assert response.status_code == 200
    assert response.context["result"].created == 1
    assert Person.objects.get().phone == "06 61 23 45 67"
    assert not path.exists()  # deleted once imported
    client.post("/imports/people/", {"upload": token, "mode": "all"})
    assert Person.objects.count() == 1  # the token served once


def test_a_kept_file_serves_only_the_session_that_uploaded_it(client_as, national_admin,
                                                              casablanca_officer):
    response = client_as(national_admin).post("/imports/people/",
                                              {"mode": "dry_run", "file": _upload(GOOD)})
    token = response.context["kept"]
    other = client_as(casablanca_officer)
    response = other.post("/imports/people/", {"upload": token, "mode": "all"})
    assert response.status_code == 200 and response.context["result"] is None
    assert not Person.objects.exists()


def test_kept_files_expire(client_as, national_admin, monkeypatch):
    response = client_as(national_admin).post("/imports/people/",
                                              {"mode": "dry_run", "file": _upload(GOOD)})
    token = response.context["kept"]
    path = uploads._path(token)
    assert path.is_file()
    import time
    assert uploads.purge_stale(now=time.time() + uploads.MAX_AGE + 1) >= 1
    assert not path.exists()
