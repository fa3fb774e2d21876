"""Imports of events and participations: row errors naming the column, all-or-nothing,
--dry-run and --partial, idempotence on natural keys, the duplicate rules for stand
holders, and region scope."""

import csv
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from openpyxl import Workbook

from essor.audit.models import AuditEntry
from essor.core.imports import REGISTRY, load_importers, run_import
from essor.promotion.models import Event, Participation
from essor.registry.models import Organisation, Person

from .factories import EventFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NEXT_YEAR = TODAY.year + 1

EVENTS = ["code", "kind", "title", "start_date", "end_date", "region", "province", "city",
          "title_ar", "stands", "edition"]
PAST_MARKET = ["MI-2024-SET-01", "itinerant_market", "Marché itinérant de Settat",
               "2024-05-10", "2024-05-14", "MA-06", "MA-SET", "Settat",
               "السوق المتجول بسطات", "40", "3"]
FUTURE_FAIR = ["SR-NEXT-ORI", "regional_fair", "Salon régional de l'Oriental",
               f"{NEXT_YEAR}-10-02", f"{NEXT_YEAR}-10-08", "MA-02", "MA-OUJ", "Oujda", "",
               "120", ""]
# One fault per row; the header is row 1, the good rows 2 and 3.
BAD_EVENTS = [
    ["MI-X1", "itinerant_market", "Marché", "2024-05-10", "2024-05-14", "MA-99", "", "X",
     "", "", ""],
    ["MI-X2", "itinerant_market", "Marché", "2024-05-10", "2024-05-14", "MA-02", "MA-CAS",
     "X", "", "", ""],
    ["MI-X3", "itinerant_market", "Marché", "2024-05-14", "2024-05-10", "MA-06", "", "X",
     "", "", ""],
    ["MI-X4", "itinerant_market", "Marché", "10 mai 2024", "2024-05-14", "MA-06", "", "X",
     "", "", ""],
    ["MI-X5", "foire", "Marché", "2024-05-10", "2024-05-14", "MA-06", "", "X", "", "", ""],
]
BAD_EVENT_CELLS = {(4, "region"), (5, "province"), (6, "end_date"), (7, "start_date"),
                   (8, "kind")}

PARTICIPATIONS = ["event_code", "organisation_name", "organisation_kind",
                  "organisation_region", "holder_first_name", "holder_last_name",
                  "holder_sex", "holder_birth_year", "holder_phone", "holder_national_id",
                  "status"]


def write_csv(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
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


def events_file(tmp_path, rows, name="events"):
    return write_csv(tmp_path / f"{name}.csv", EVENTS, rows)


def participations_file(tmp_path, rows, name="participations"):
    return write_csv(tmp_path / f"{name}.csv", PARTICIPATIONS, rows)


# -- events -------------------------------------------------------------------------------------


def test_events_are_imported_a_past_one_as_held_and_audited(tmp_path, national_admin):
    path = events_file(tmp_path, [PAST_MARKET, FUTURE_FAIR])

    out, err, error = run("events", path, "--as", national_admin.username)

    assert error is None, err
    assert "2 created" in out
    market = Event.objects.get(code="MI-2024-SET-01")
    assert market.status == Event.Status.HELD
    assert market.kind == Event.Kind.ITINERANT_MARKET
    assert (market.region.code, market.province.code, market.city) == ("MA-06", "MA-SET",
                                                                       "Settat")
    assert (market.start_date, market.end_date) == (datetime.date(2024, 5, 10),
                                                    datetime.date(2024, 5, 14))
    assert (market.title_ar, market.stands, market.edition) == ("السوق المتجول بسطات", 40, 3)
    fair = Event.objects.get(code="SR-NEXT-ORI")
    assert fair.status == Event.Status.PLANNED
    assert fair.edition is None
    created = AuditEntry.objects.filter(action="promotion.event.created")
    assert created.count() == 2
    assert {e.actor for e in created} == {national_admin}
    assert AuditEntry.objects.get(action="import.events").changes["created"] == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_event_rows_write_nothing_and_name_row_and_column(tmp_path, fmt):
    rows = [PAST_MARKET, FUTURE_FAIR, *BAD_EVENTS]
    path = (write_csv if fmt == "csv" else write_xlsx)(tmp_path / f"events.{fmt}", EVENTS, rows)

    out, err, error = run("events", path)

    assert error is not None
    assert reported_cells(err) == BAD_EVENT_CELLS
    assert "Nothing written" in out
    assert not Event.objects.exists()
    assert not AuditEntry.objects.exists()


def test_event_dry_run_reports_the_same_errors_and_writes_nothing(tmp_path):
    path = events_file(tmp_path, [PAST_MARKET, *BAD_EVENTS])

    out, err, error = run("events", path, "--dry-run")

    assert error is not None
    assert "Dry run" in out
    assert reported_cells(err) == {(r - 1, c) for r, c in BAD_EVENT_CELLS}  # one good row
    assert not Event.objects.exists()


def test_event_partial_import_writes_only_the_good_rows(tmp_path):
    path = events_file(tmp_path, [PAST_MARKET, FUTURE_FAIR, *BAD_EVENTS])
    errors_file = tmp_path / "bad.csv"

    _out, err, error = run("events", path, "--partial", "--errors-file", errors_file)

    assert error is None
    assert reported_cells(err) == BAD_EVENT_CELLS
    assert set(Event.objects.values_list("code", flat=True)) == {"MI-2024-SET-01",
                                                                 "SR-NEXT-ORI"}
    with errors_file.open(encoding="utf-8-sig") as f:
        assert [r["code"] for r in csv.DictReader(f)] == [r[0] for r in BAD_EVENTS]


def test_reimporting_the_same_events_creates_and_changes_nothing(tmp_path):
    path = events_file(tmp_path, [PAST_MARKET, FUTURE_FAIR])
    run("events", path)
    entries = AuditEntry.objects.exclude(action="import.events").count()

    out, err, error = run("events", path)

    assert error is None, err
    assert "0 created, 0 updated, 2 already there" in out
    assert Event.objects.count() == 2
    assert AuditEntry.objects.exclude(action="import.events").count() == entries


def test_reimporting_a_changed_event_updates_it_through_the_audited_service(tmp_path):
    run("events", events_file(tmp_path, [FUTURE_FAIR]))
    changed = [*FUTURE_FAIR]
    changed[2] = "Salon régional de l'ESS de l'Oriental"
    changed[9] = "150"

    out, _err, error = run("events", events_file(tmp_path, [changed], "changed"))

    assert error is None
    assert "1 updated" in out
    fair = Event.objects.get()
    assert (fair.title, fair.stands) == ("Salon régional de l'ESS de l'Oriental", 150)
    entry = AuditEntry.objects.get(action="promotion.event.updated")
    assert entry.changes["stands"] == [120, 150]


def test_a_blank_cell_does_not_erase_a_stored_value(tmp_path):
    run("events", events_file(tmp_path, [PAST_MARKET]))
    blanked = [*PAST_MARKET]
    blanked[8] = blanked[9] = ""  # title_ar, stands

    out, _err, _error = run("events", events_file(tmp_path, [blanked], "blanked"))

    assert "1 already there" in out
    market = Event.objects.get()
    assert (market.title_ar, market.stands) == ("السوق المتجول بسطات", 40)


def test_a_planned_event_reimported_after_its_end_date_is_moved_to_held(tmp_path, oriental):
    EventFactory(code="SR-NEXT-ORI", kind=Event.Kind.REGIONAL_FAIR,
                 title="Salon régional de l'Oriental", region=oriental,
                 start_date=datetime.date(2024, 10, 2), end_date=datetime.date(2024, 10, 8),
                 status=Event.Status.PLANNED, stands=120, city="Oujda")
    row = [*FUTURE_FAIR]
    row[3], row[4], row[6] = "2024-10-02", "2024-10-08", ""

    out, err, error = run("events", events_file(tmp_path, [row]))

    assert error is None, err
    assert "1 updated" in out
    assert Event.objects.get().status == Event.Status.HELD
    entry = AuditEntry.objects.get(action="promotion.event.status")
    assert entry.changes == {"status": ["planned", "held"]}


def test_french_kind_names_are_understood(tmp_path):
    row = [*PAST_MARKET]
    row[1] = "Marché itinérant"

    _out, err, error = run("events", events_file(tmp_path, [row]))

    assert error is None, err
    assert Event.objects.get().kind == Event.Kind.ITINERANT_MARKET


def test_xlsx_dates_typed_as_dates_are_read(tmp_path):
    row = [*PAST_MARKET]
    row[3], row[4] = datetime.datetime(2024, 5, 10), datetime.datetime(2024, 5, 14)  # noqa: DTZ001
    row[9] = 40

    _out, err, error = run("events", write_xlsx(tmp_path / "events.xlsx", EVENTS, [row]))

    assert error is None, err
    event = Event.objects.get()
    assert (event.start_date, event.stands) == (datetime.date(2024, 5, 10), 40)


def test_an_oriental_officer_cannot_import_a_casablanca_market_or_a_national_fair(
        tmp_path, oriental_officer):
    national = [*FUTURE_FAIR]
    national[0], national[1] = "SN-NEXT", "national_fair"
    path = events_file(tmp_path, [FUTURE_FAIR, PAST_MARKET, national])

    _out, err, error = run("events", path, "--as", oriental_officer.username)

    assert error is not None
    assert reported_cells(err) == {(3, "region"), (4, "kind")}
    assert not Event.objects.exists()


def test_an_officer_cannot_overwrite_a_foreign_event_by_its_code(tmp_path, oriental_officer,
                                                                casablanca_settat):
    EventFactory(code="MI-2024-SET-01", region=casablanca_settat, title="Original")
    row = [*PAST_MARKET]
    row[5], row[6], row[2] = "MA-02", "MA-OUJ", "Hijacked"

    _out, err, error = run("events", events_file(tmp_path, [row]), "--as",
                           oriental_officer.username)

    assert error is not None
    assert reported_cells(err) == {(2, "code")}
    assert Event.objects.get().title == "Original"


# -- participations -----------------------------------------------------------------------------


@pytest.fixture
def markets(casablanca_settat, oriental):
    past = {"start_date": datetime.date(2024, 5, 10), "end_date": datetime.date(2024, 5, 14),
            "status": Event.Status.HELD}
    return {
        "settat": EventFactory(code="MI-SET", region=casablanca_settat, **past),
        "jadida": EventFactory(code="MI-JDI", region=casablanca_settat, city="El Jadida",
                               **past),
        "oujda": EventFactory(code="SR-OUJ", kind=Event.Kind.REGIONAL_FAIR, region=oriental,
                              city="Oujda", **past),
    }


KHADIJA = ["MI-SET", "Coopérative Al Baraka", "cooperative", "MA-06", "Khadija", "Tazi", "F",
           "1985", "0661234567", "BK123456", "attended"]
YOUSSEF = ["MI-SET", "Association Tamaynut", "association", "MA-06", "Youssef", "Amrani", "M",
           "1992", "", "", "présent"]
BAD_PARTICIPATIONS = [
    ["MI-NOWHERE", "Coopérative A", "cooperative", "MA-06", "Naima", "Idrissi", "F", "1990",
     "", "", "attended"],
    ["MI-SET", "Coopérative B", "cooperative", "MA-06", "Salma", "Alaoui", "X", "1990", "", "",
     "attended"],
    ["MI-SET", "Coopérative C", "cooperative", "MA-06", "Zineb", "Fassi", "F", "1990", "", "",
     "venu"],
    ["MI-SET", "Coopérative D", "cooperative", "MA-99", "Hanane", "Ouchen", "F", "1990", "", "",
     "attended"],
    ["MI-SET", "Coopérative E", "bakery", "MA-06", "Aicha", "Bennani", "F", "1990", "", "",
     "attended"],
    ["MI-SET", "Coopérative F", "cooperative", "MA-06", "Hafsa", "Kabbaj", "F", "1990", "", "12",
     "attended"],
]
BAD_PARTICIPATION_CELLS = {(4, "event_code"), (5, "holder_sex"), (6, "status"),
                           (7, "organisation_region"), (8, "organisation_kind"),
                           (9, "holder_national_id")}


def test_participations_are_imported_with_their_organisations_and_holders(
        tmp_path, markets, national_admin):
    path = participations_file(tmp_path, [KHADIJA, YOUSSEF])

    out, err, error = run("participations", path, "--as", national_admin.username)

    assert error is None, err
    assert "2 created" in out
    khadija = Participation.objects.get(holder__last_name="Tazi")
    assert khadija.event == markets["settat"]
    assert khadija.status == Participation.Status.ATTENDED
    assert khadija.organisation.name == "Coopérative Al Baraka"
    assert khadija.organisation.region.code == "MA-06"
    assert khadija.holder.region.code == "MA-06"  # the organisation's region
    assert (khadija.holder.sex, khadija.holder.birth_year) == ("F", 1985)
    assert khadija.holder.national_id == "BK123456"
    youssef = Participation.objects.get(holder__last_name="Amrani")
    assert youssef.status == Participation.Status.ATTENDED  # "présent"
    assert AuditEntry.objects.filter(action="promotion.participation.registered",
                                     actor=national_admin).count() == 2
    assert AuditEntry.objects.filter(action="registry.person.created").count() == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_participation_rows_write_nothing_and_name_row_and_column(tmp_path, markets, fmt):
    rows = [KHADIJA, YOUSSEF, *BAD_PARTICIPATIONS]
    path = (write_csv if fmt == "csv" else write_xlsx)(tmp_path / f"p.{fmt}", PARTICIPATIONS,
                                                       rows)

    out, err, error = run("participations", path)

    assert error is not None
    assert reported_cells(err) == BAD_PARTICIPATION_CELLS
    assert "Nothing written" in out
    assert not Participation.objects.exists()
    assert not Person.objects.exists()
    assert not Organisation.objects.exists()


def test_participation_dry_run_writes_nothing(tmp_path, markets):
    path = participations_file(tmp_path, [KHADIJA, YOUSSEF])

    out, err, error = run("participations", path, "--dry-run")

    assert error is None, err
    assert "Dry run" in out
    assert "2 created" in out
    assert not Participation.objects.exists()
    assert not Person.objects.exists()


def test_participation_partial_import_writes_only_the_good_rows(tmp_path, markets):
    path = participations_file(tmp_path, [KHADIJA, YOUSSEF, *BAD_PARTICIPATIONS])

    _out, err, error = run("participations", path, "--partial", "--errors-file",
                           tmp_path / "bad.csv")

    assert error is None
    assert reported_cells(err) == BAD_PARTICIPATION_CELLS
    assert set(Participation.objects.values_list("holder__last_name", flat=True)) == {
        "Tazi", "Amrani"}
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Coopérative Al Baraka", "Association Tamaynut"}
    assert Person.objects.count() == 2


def test_reimporting_the_same_participations_creates_nothing(tmp_path, markets):
    path = participations_file(tmp_path, [KHADIJA, YOUSSEF])
    run("participations", path)
    entries = AuditEntry.objects.exclude(action="import.participations").count()

    out, err, error = run("participations", path)

    assert error is None, err
    assert "0 created, 0 updated, 2 already there" in out
    assert Participation.objects.count() == 2
    assert Person.objects.count() == 2
    assert Organisation.objects.count() == 2
    assert AuditEntry.objects.exclude(action="import.participations").count() == entries


def test_one_holder_spelt_differently_across_two_events_is_one_person(tmp_path, markets):
    at_jadida = [*KHADIJA]
    at_jadida[0] = "MI-JDI"
    at_jadida[4], at_jadida[5] = "KHADIJA", "TAZI"
    at_jadida[8], at_jadida[9] = "+212 6 61 23 45 67", "bk 123-456"
    path = participations_file(tmp_path, [KHADIJA, at_jadida])

    _out, err, error = run("participations", path)

    assert error is None, err
    person = Person.objects.get()
    assert person.national_id == "BK123456"
    assert person.first_name == "Khadija"
    assert Participation.objects.filter(holder=person).count() == 2
    assert Organisation.objects.count() == 1


def test_a_holder_without_national_id_is_matched_on_name_and_phone_spellings(tmp_path,
                                                                            markets):
    first = [*YOUSSEF]
    first[8] = "06 98 76 54 32"
    second = [*first]
    second[0], second[4], second[8] = "MI-JDI", "youssef", "00212698765432"

    _out, err, error = run("participations", participations_file(tmp_path, [first, second]))

    assert error is None, err
    assert Person.objects.count() == 1
    assert Participation.objects.count() == 2


def test_a_repeated_row_updates_the_one_participation(tmp_path, markets):
    run("participations", participations_file(tmp_path, [KHADIJA]))
    cancelled = [*KHADIJA]
    cancelled[10] = "annulé"

    out, _err, error = run("participations", participations_file(tmp_path, [cancelled], "b"))

    assert error is None
    assert "1 updated" in out
    assert Participation.objects.get().status == Participation.Status.CANCELLED
    assert AuditEntry.objects.get(action="promotion.participation.updated").changes == {
        "status": ["attended", "cancelled"]}


def test_an_oriental_officer_does_not_find_a_casablanca_event(tmp_path, markets,
                                                              oriental_officer):
    _out, err, error = run("participations", participations_file(tmp_path, [KHADIJA]),
                           "--as", oriental_officer.username)

    assert error is not None
    assert reported_cells(err) == {(2, "event_code")}
    assert '"MI-SET": unknown event code' in err
    assert not Participation.objects.exists()


def test_an_officer_cannot_attach_a_foreign_organisation_to_their_fair(tmp_path, markets,
                                                                       oriental_officer):
    casablanca_coop = [*KHADIJA]
    casablanca_coop[0] = "SR-OUJ"
    oriental_coop = [*casablanca_coop]
    oriental_coop[1], oriental_coop[3], oriental_coop[9] = "Coopérative Angad", "MA-02", ""

    _out, err, error = run("participations",
                           participations_file(tmp_path, [oriental_coop, casablanca_coop]),
                           "--as", oriental_officer.username)

    assert error is not None
    assert reported_cells(err) == {(3, "organisation_region")}
    assert not Organisation.objects.exists()


# -- queries per chunk ------------------------------------------------------------------------

def _participation_rows(count):
    """One organisation per row over two markets; a third of the holders with a national
    ID, a third with a phone, a third with neither."""
    rows = []
    for i in range(count):
        kind = i % 3
        rows.append(["MI-SET" if i % 2 else "MI-JDI", f"Coopérative {i}", "cooperative",
                     "MA-06", f"Prénom{i}", f"Nom{i}", "F", "1990",
                     f"06{i:08d}" if kind == 1 else "",
                     f"AB{100000 + i}" if kind == 0 else "", "registered"])
    return rows


def _import(rows, by):
    load_importers()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(PARTICIPATIONS)
    writer.writerows(rows)
    return run_import(REGISTRY["participations"](by=by),
                      io.BytesIO(buffer.getvalue().encode()), "p.csv")


@pytest.mark.parametrize("count", [100, 200])
def test_queries_of_a_participation_import_do_not_grow_with_its_rows(
        count, markets, national_admin, django_assert_max_num_queries):
    rows = _participation_rows(count)
    _import(rows[: count // 2], national_admin)
    # Half the organisations, holders and participations known, half new; every known
    # participation changes status.
    rows = [[*r[:10], "attended"] for r in rows]
    # (45 a row, one row at a time; the few more for 200 rows are SQLite's insert batches)
    with django_assert_max_num_queries(25):
        result = _import(rows, national_admin)
    assert (result.created, result.updated, result.errors) == (count - count // 2,
                                                               count // 2, [])
    assert Participation.objects.filter(status=Participation.Status.ATTENDED).count() == count
    assert (Organisation.objects.count(), Person.objects.count()) == (count, count)
    audited = AuditEntry.objects.filter(actor=national_admin)
    assert audited.filter(action="promotion.participation.registered").count() == count
    assert audited.filter(action="promotion.participation.updated").count() == count // 2
    assert audited.filter(action="registry.organisation.created").count() == count
    assert audited.filter(action="registry.person.created").count() == count


def test_a_chunk_with_a_refused_row_is_written_row_by_row_with_the_services_words(
        markets, oriental_officer, oriental):
    """The second row names a Casablanca-Settat organisation for an Oriental fair: the
    chunk falls back to the services, which refuse that row only (--partial keeps the
    first)."""
    rows = [["SR-OUJ", "Coopérative Angad", "cooperative", "MA-02", "Naima", "Idrissi", "F",
             "1990", "", "", "attended"],
            ["SR-OUJ", "Coopérative Al Baraka", "cooperative", "MA-06", "Khadija", "Tazi",
             "F", "1985", "", "", "attended"]]
    load_importers()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(PARTICIPATIONS)
    writer.writerows(rows)
    with translation.override("en"):
        result = run_import(REGISTRY["participations"](by=oriental_officer),
                            io.BytesIO(buffer.getvalue().encode()), "p.csv", partial=True)
    assert [(e.row, e.column) for e in result.errors] == [(3, "organisation_region")]
    assert "outside your scope" in result.errors[0].message
    assert result.created == 1
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Coopérative Angad"]
    assert list(Person.objects.values_list("last_name", flat=True)) == ["Idrissi"]


# -- templates and the web page -----------------------------------------------------------------


def test_the_downloadable_templates_import_as_they_are(tmp_path, national_admin):
    load_importers()
    for kind in ("events", "participations"):
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(REGISTRY[kind](by=national_admin).template_csv())

        _out, err, error = run(kind, path, "--as", national_admin.username)

        assert error is None, err
    assert Event.objects.count() == 2
    assert Participation.objects.count() == 2


def test_the_web_upload_offers_the_event_import(client_as, casablanca_officer):
    client = client_as(casablanca_officer)
    content = io.StringIO()
    csv.writer(content).writerows([EVENTS, PAST_MARKET])
    upload = SimpleUploadedFile("events.csv", content.getvalue().encode())

    response = client.post("/imports/events/", {"file": upload, "mode": "all"})

    assert response.status_code == 200
    assert response.context["result"].written
    assert Event.objects.get().region.code == "MA-06"
