"""Spreadsheet imports of people and organisations: dry run, row errors, all-or-nothing,
partial mode with an error file, idempotence, CSV and XLSX, command line and web."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from essor.audit.models import AuditEntry
from essor.core.imports import REGISTRY, load_importers
from essor.registry.models import Organisation, Person

pytestmark = pytest.mark.django_db

PEOPLE = ["first_name", "last_name", "sex", "birth_year", "region", "province", "phone",
          "national_id"]
GOOD = [
    ["Fatima Zahra", "Benali", "F", "1994", "MA-02", "MA-OUJ", "0661234567", "F123456"],
    ["Youssef", "Amrani", "M", "1988", "MA-06", "MA-CAS", "+212 6 98 76 54 32", ""],
]
# One fault per row; the header is row 1, the good rows 2 and 3.
BAD = [
    ["Khadija", "Tazi", "X", "1990", "MA-06", "", "", ""],
    ["Naima", "Idrissi", "F", "1990", "MA-99", "", "", ""],
    ["Zineb", "Alami", "F", "1990", "MA-02", "MA-CAS", "", ""],
    ["Aicha", "Fassi", "F", "1990", "MA-06", "", "", "12345"],
    ["Hanane", "Ouchen", "F", "1990", "MA-06", "", "123", ""],
    ["Salma", "", "F", "1990", "MA-06", "", "", ""],
]
BAD_CELLS = {(4, "sex"), (5, "region"), (6, "province"), (7, "national_id"), (8, "phone"),
             (9, "last_name")}


def write_csv(path, header, rows, delimiter=",", encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, header, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def people_file(tmp_path, rows, fmt="csv", name="people"):
    path = tmp_path / f"{name}.{fmt}"
    return (write_csv if fmt == "csv" else write_xlsx)(path, PEOPLE, rows)


def run(*args):
    """The command's outcome: (stdout, stderr, error or None)."""
    out, err = io.StringIO(), io.StringIO()
    error = None
    with translation.override("en"):
        try:
            call_command("import", *[str(a) for a in args], stdout=out, stderr=err)
        except CommandError as exc:
            error = exc
    return out.getvalue(), err.getvalue(), error


def reported_cells(stderr):
    return {(int(row), column)
            for row, column in re.findall(r"row (\d+), column (\S+):", stderr)}


# -- all-or-nothing ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_one_bad_row_and_nothing_is_written_every_bad_row_is_reported(tmp_path, fmt):
    path = people_file(tmp_path, GOOD + BAD, fmt)

    out, err, error = run("people", path)

    assert error is not None
    assert error.returncode != 0
    assert reported_cells(err) == BAD_CELLS
    assert "Nothing written" in out
    assert Person.objects.count() == 0
    assert not AuditEntry.objects.filter(action="import.people").exists()


def test_a_row_with_several_faults_reports_each_of_them(tmp_path):
    path = people_file(tmp_path, [["Salma", "", "X", "1800", "MA-06", "", "12", "1"]])

    _out, err, error = run("people", path)

    assert error is not None
    assert reported_cells(err) == {(2, "last_name"), (2, "sex"), (2, "birth_year"),
                                   (2, "phone"), (2, "national_id")}


def test_a_file_missing_a_required_column_fails_clearly(tmp_path):
    path = write_csv(tmp_path / "people.csv", [c for c in PEOPLE if c != "sex"],
                     [[v for c, v in zip(PEOPLE, GOOD[0], strict=True) if c != "sex"]])

    _out, _err, error = run("people", path)

    assert error is not None
    assert "Missing columns: sex" in str(error)
    assert Person.objects.count() == 0


def test_a_file_of_another_type_is_refused(tmp_path):
    path = tmp_path / "people.txt"
    path.write_text("first_name,last_name\n")

    _out, _err, error = run("people", path)

    assert error is not None
    assert ".csv" in str(error)


def test_a_missing_file_or_user_is_reported(tmp_path):
    assert "No such file" in str(run("people", tmp_path / "nowhere.csv")[2])
    path = people_file(tmp_path, GOOD)
    assert "No such user" in str(run("people", path, "--as", "nobody")[2])
    assert Person.objects.count() == 0


def test_a_valid_file_is_imported_and_audited(tmp_path, national_admin):
    path = people_file(tmp_path, GOOD)

    out, err, error = run("people", path, "--as", national_admin.username)

    assert error is None, err
    assert "Imported" in out
    assert "2 created" in out
    fatima = Person.objects.get(last_name="Benali")
    assert fatima.national_id == "F123456"
    assert fatima.region.code == "MA-02"
    assert fatima.province.code == "MA-OUJ"
    assert fatima.birth_year == 1994
    assert Person.objects.get(last_name="Amrani").phone_key == "212698765432"
    entry = AuditEntry.objects.get(action="import.people")
    assert entry.actor == national_admin
    assert entry.changes["created"] == 2
    assert entry.changes["file"] == "people.csv"


# -- dry run ----------------------------------------------------------------------------------


def test_dry_run_writes_nothing_and_reports_the_same_errors(tmp_path):
    path = people_file(tmp_path, GOOD + BAD)
    _out, real_err, _error = run("people", path)

    out, err, error = run("people", path, "--dry-run")

    assert error is not None
    assert reported_cells(err) == BAD_CELLS
    assert reported_cells(err) == reported_cells(real_err)
    assert "Dry run" in out
    assert Person.objects.count() == 0


def test_dry_run_of_a_valid_file_counts_but_writes_nothing(tmp_path):
    path = people_file(tmp_path, GOOD)

    out, err, error = run("people", path, "--dry-run")

    assert error is None, err
    assert "Dry run" in out
    assert "2 created" in out
    assert Person.objects.count() == 0
    assert not AuditEntry.objects.exists()


# -- partial ----------------------------------------------------------------------------------


def test_partial_writes_the_good_rows_and_an_errors_file_with_the_bad_ones(tmp_path):
    path = people_file(tmp_path, GOOD + BAD)
    errors_file = tmp_path / "bad-rows.csv"

    out, err, error = run("people", path, "--partial", "--errors-file", errors_file)

    assert error is None
    assert reported_cells(err) == BAD_CELLS
    assert sorted(Person.objects.values_list("last_name", flat=True)) == ["Amrani", "Benali"]
    with errors_file.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["row"]) for r in rows] == [4, 5, 6, 7, 8, 9]
    assert [r["first_name"] for r in rows] == [b[0] for b in BAD]
    assert rows[0]["errors"].startswith("sex:")
    assert rows[5]["errors"].startswith("last_name:")
    entry = AuditEntry.objects.get(action="import.people")
    assert entry.changes["created"] == 2
    assert entry.changes["error_rows"] == 6


def test_partial_writes_the_errors_file_beside_the_import_by_default(tmp_path):
    path = people_file(tmp_path, GOOD + BAD)

    run("people", path, "--partial")

    assert (tmp_path / "people.csv.errors.csv").is_file()


def test_partial_dry_run_writes_nothing(tmp_path):
    path = people_file(tmp_path, GOOD + BAD)

    _out, _err, error = run("people", path, "--partial", "--dry-run")

    assert error is not None
    assert Person.objects.count() == 0
    assert not (tmp_path / "people.csv.errors.csv").exists()


def test_the_errors_file_escapes_formulas(tmp_path):
    path = people_file(tmp_path, [["=HYPERLINK(\"http://evil\")", "X", "X", "", "MA-06", "",
                                   "", ""]])

    run("people", path, "--partial", "--errors-file", tmp_path / "errors.csv")

    rows = list(csv.DictReader((tmp_path / "errors.csv").open(encoding="utf-8-sig")))
    assert rows[0]["first_name"].startswith("'=")


# -- idempotence and duplicates ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_the_same_file_twice_creates_nothing_new(tmp_path, fmt):
    path = people_file(tmp_path, GOOD, fmt)
    run("people", path)
    people = Person.objects.count()
    audit = AuditEntry.objects.exclude(action="import.people").count()

    out, err, error = run("people", path)

    assert error is None, err
    assert "0 created" in out
    assert Person.objects.count() == people == 2
    assert AuditEntry.objects.exclude(action="import.people").count() == audit


def test_reimporting_a_person_without_national_id_or_phone_creates_nothing_new(tmp_path):
    path = people_file(tmp_path, [["Khadija", "Tazi", "F", "1990", "MA-06", "", "", ""]])
    run("people", path)

    run("people", path)

    assert Person.objects.count() == 1


def test_one_person_three_times_in_one_file_is_one_person(tmp_path):
    path = people_file(tmp_path, [
        ["Fatima Zahra", "Benali", "F", "1994", "MA-02", "", "", "AB123456"],
        ["FATIMA-ZAHRA", "BENALI", "F", "", "MA-02", "MA-OUJ", "", "ab 123456"],
        ["Fatima", "Benali", "F", "1994", "MA-02", "", "0661234567", "Ab-123456"],
    ])

    out, err, error = run("people", path)

    assert error is None, err
    person = Person.objects.get()
    assert person.national_id == "AB123456"
    assert person.first_name == "Fatima Zahra"  # the first spelling is kept
    assert person.province.code == "MA-OUJ"  # blanks filled by later rows
    assert person.phone == "06 61 23 45 67"  # stored in its canonical form
    assert "1 created" in out


def test_people_without_national_id_are_matched_on_name_and_phone_variants(tmp_path):
    path = people_file(tmp_path, [
        ["Fatima Zahra", "Benali", "F", "", "MA-02", "", "0661234567", ""],
        ["fatima-zahra", "BENALI", "F", "1994", "MA-02", "", "+212 6 61 23 45 67", ""],
    ])

    run("people", path)

    person = Person.objects.get()
    assert person.birth_year == 1994


def test_xlsx_numbers_are_read_as_text(tmp_path):
    # Spreadsheets store years and phones typed without a leading 0 as numbers.
    path = write_xlsx(tmp_path / "people.xlsx", PEOPLE,
                      [["Fatima", "Benali", "F", 1994, "MA-02", "MA-OUJ", 661234567, "F123456"]])

    _out, err, error = run("people", path)

    assert error is None, err
    person = Person.objects.get()
    assert person.birth_year == 1994
    assert person.phone_key == "212661234567"


def test_a_semicolon_separated_csv_is_read(tmp_path):
    path = write_csv(tmp_path / "people.csv", PEOPLE, GOOD, delimiter=";")

    _out, err, error = run("people", path)

    assert error is None, err
    assert Person.objects.count() == 2
    assert Person.objects.get(last_name="Amrani").region.code == "MA-06"


def test_a_csv_saved_by_excel_in_windows_latin_is_read(tmp_path):
    path = write_csv(tmp_path / "people.csv", PEOPLE,
                     [["Hélène", "Béni", "F", "1990", "MA-06", "", "", ""]], encoding="cp1252")

    _out, err, error = run("people", path)

    assert error is None, err
    assert Person.objects.get().first_name == "Hélène"


def test_a_windows_latin_csv_with_a_c_cedilla_is_read(tmp_path):
    path = write_csv(tmp_path / "people.csv", PEOPLE,
                     [["FRANÇOISE", "BÉNI", "F", "1990", "MA-06", "", "", ""]],
                     encoding="cp1252")

    run("people", path)

    assert Person.objects.get().first_name == "FRANÇOISE"


def test_header_names_ignore_case_and_spaces(tmp_path):
    path = write_csv(tmp_path / "people.csv", [f" {c.upper()} " for c in PEOPLE], GOOD)

    _out, err, error = run("people", path)

    assert error is None, err
    assert Person.objects.count() == 2


# -- organisations ----------------------------------------------------------------------------

ORGS = ["name", "kind", "region", "province", "sector", "founding_year", "members_women",
        "members_men", "ice"]


def test_organisations_import_and_reimport(tmp_path):
    path = write_csv(tmp_path / "orgs.csv", ORGS, [
        ["Coopérative Tifawine", "cooperative", "MA-09", "MA-TIZ", "argan", "2014", "23", "2",
         ""],
        ["Association Nour", "association", "MA-06", "MA-CAS", "", "", "", "", ""],
    ])

    _out, err, error = run("organisations", path)
    assert error is None, err
    assert Organisation.objects.count() == 2
    coop = Organisation.objects.get(name="Coopérative Tifawine")
    assert (coop.members_women, coop.members_men, coop.sector) == (23, 2, "argan")

    out, _err, _error = run("organisations", path)
    assert "0 created" in out
    assert Organisation.objects.count() == 2


def test_organisations_with_bad_rows_write_nothing(tmp_path):
    path = write_csv(tmp_path / "orgs.csv", ORGS, [
        ["Coopérative Tifawine", "cooperative", "MA-09", "MA-TIZ", "argan", "", "", "", ""],
        ["Coopérative X", "bakery", "MA-09", "", "", "", "", "", ""],
        ["Coopérative Y", "cooperative", "MA-09", "MA-CAS", "", "", "", "", ""],
        ["Coopérative Z", "cooperative", "MA-09", "", "", "", "-3", "", "12AB"],
    ])

    _out, err, error = run("organisations", path)

    assert error is not None
    assert reported_cells(err) >= {(3, "kind"), (4, "province"), (5, "members_women")}
    assert Organisation.objects.count() == 0


# -- scope ------------------------------------------------------------------------------------


def test_an_officer_cannot_import_into_another_region_from_the_command(tmp_path,
                                                                        oriental_officer):
    path = people_file(tmp_path, [GOOD[0], GOOD[1]])  # row 3 is in MA-06

    _out, err, error = run("people", path, "--as", oriental_officer.username)

    assert error is not None
    assert reported_cells(err) == {(3, "region")}
    assert "outside your scope" in err
    assert Person.objects.count() == 0


# -- the web page -----------------------------------------------------------------------------


def _upload(client, rows, mode, fmt="csv", kind="people", header=PEOPLE):
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        content = buffer.getvalue().encode()
    else:
        workbook = Workbook()
        workbook.active.append(header)
        for row in rows:
            workbook.active.append(row)
        stream = io.BytesIO()
        workbook.save(stream)
        content = stream.getvalue()
    upload = SimpleUploadedFile(f"{kind}.{fmt}", content)
    return client.post(f"/imports/{kind}/", {"file": upload, "mode": mode})


def _page_cells(response):
    html = response.content.decode()
    table = html[html.index('id="import-errors"'):]
    return {(int(row), column) for row, column in
            re.findall(r"<tr><td>(\d+)</td><td><code>([^<]+)</code></td>", table)}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_web_dry_run_lists_the_errors_and_writes_nothing(client_as, national_admin, fmt):
    response = _upload(client_as(national_admin), GOOD + BAD, "dry_run", fmt)

    assert response.status_code == 200
    assert _page_cells(response) == BAD_CELLS
    assert {(e.row, e.column) for e in response.context["result"].errors} == BAD_CELLS
    assert Person.objects.count() == 0


def test_web_all_or_nothing_writes_a_valid_file(client_as, national_admin):
    response = _upload(client_as(national_admin), GOOD, "all", "xlsx")

    assert response.status_code == 200
    assert response.context["result"].written
    assert Person.objects.count() == 2
    assert AuditEntry.objects.get(action="import.people").actor == national_admin


def test_web_all_or_nothing_writes_nothing_when_a_row_is_bad(client_as, national_admin):
    response = _upload(client_as(national_admin), GOOD + BAD, "all")

    assert _page_cells(response) == BAD_CELLS
    assert not response.context["result"].written
    assert Person.objects.count() == 0


def test_web_partial_writes_the_good_rows_and_offers_the_bad_ones(client_as, national_admin):
    import base64

    response = _upload(client_as(national_admin), GOOD + BAD, "partial")

    assert Person.objects.count() == 2
    errors_csv = base64.b64decode(response.context["errors_file"]).decode("utf-8-sig")
    assert [int(r["row"]) for r in csv.DictReader(io.StringIO(errors_csv))] == [4, 5, 6, 7,
                                                                               8, 9]


def test_web_upload_of_a_file_missing_a_column_shows_a_form_error(client_as, national_admin):
    response = _upload(client_as(national_admin), [["Fatima"]], "all",
                       header=["first_name"])

    assert response.status_code == 200
    assert response.context["result"] is None
    assert "file" in response.context["form"].errors
    assert Person.objects.count() == 0


def test_web_upload_refuses_a_fake_xlsx(client_as, national_admin):
    upload = SimpleUploadedFile("people.xlsx", b"first_name,last_name\n")
    response = client_as(national_admin).post("/imports/people/",
                                              {"file": upload, "mode": "all"})

    assert "file" in response.context["form"].errors


def test_an_oriental_officer_gets_a_row_error_for_a_casablanca_row_and_nothing_is_written(
        client_as, oriental_officer):
    rows = [GOOD[0], ["Youssef", "Amrani", "M", "1988", "MA-06", "", "", ""]]

    response = _upload(client_as(oriental_officer), rows, "all")

    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(3, "region")]
    assert Person.objects.count() == 0


def test_trainers_cannot_import(client_as, trainer):
    response = _upload(client_as(trainer), GOOD, "all")

    assert response.status_code == 403
    assert Person.objects.count() == 0


# -- templates --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["people", "organisations"])
def test_templates_download_as_csv_and_xlsx_with_the_importers_columns(
        client_as, casablanca_officer, kind):
    load_importers()
    columns = REGISTRY[kind].columns
    client = client_as(casablanca_officer)

    response = client.get(f"/imports/{kind}/template.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == columns
    assert len(rows) == 2  # header and one example

    response = client.get(f"/imports/{kind}/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == columns
    assert len(values) == 2


@pytest.mark.parametrize("kind", ["people", "organisations"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_templates_example_imports_cleanly(client_as, national_admin, tmp_path, kind, fmt):
    content = client_as(national_admin).get(f"/imports/{kind}/template.{fmt}").content
    path = tmp_path / f"template.{fmt}"
    path.write_bytes(content)

    out, err, error = run(kind, path)

    assert error is None, err
    assert "1 created" in out
