"""Imports of incubated projects, their holders and their coaching sessions: files as staff
save them (CSV with commas or semicolons, Windows encodings, XLSX with date and number
cells), bad rows refused with their row, column and the refused value, nothing
half-written, --dry-run and --partial, re-imports that create nothing, the state
machine's rules on a phase that changes, the duplicate rules on holders, scope (an
officer reaches no other region's incubator, project or coach) and the coaching notes,
written only by who may read them."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from essor.audit.models import AuditEntry
from essor.core.imports import REGISTRY, load_importers, run_import
from essor.incubation import services
from essor.incubation.models import (
    CoachingSession,
    Holder,
    Milestone,
    Phase,
    PhaseChange,
    Project,
)
from essor.registry.models import Person
from essor.registry.tests.factories import PersonFactory

from .factories import CohortFactory, IncubatorFactory, ProjectFactory, SessionFactory

pytestmark = pytest.mark.django_db

PROJECTS = ["code", "title", "incubator_code", "cohort_code", "sector", "region", "province",
            "joined_on", "phase", "phase_date", "reason"]
HOLDERS = ["project_code", "first_name", "last_name", "first_name_ar", "last_name_ar", "sex",
           "birth_year", "disability", "phone", "national_id"]
SESSIONS = ["project_code", "coach_username", "date", "duration_hours", "mode", "topics",
            "notes"]


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (French is the default language)."""
    with translation.override("en"):
        yield


def csv_bytes(header, rows, *, delimiter=",", encoding="utf-8", above=()) -> io.BytesIO:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows(above)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(buffer.getvalue().encode(encoding))


def xlsx_bytes(header, rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def run(kind, header, rows, by=None, **options):
    load_importers()
    return run_import(REGISTRY[kind](by=by), csv_bytes(header, rows), f"{kind}.csv", **options)


def messages(result) -> dict:
    return {(e.row, e.column): e.message for e in result.errors}


def cells(result) -> set:
    return set(messages(result))


@pytest.fixture
def cira(casablanca_settat, coach):
    return IncubatorFactory(code="cira-ess", name="CIRA-ESS Casablanca",
                            region=casablanca_settat, coaches=[coach])


@pytest.fixture
def oujda(oriental):
    return IncubatorFactory(code="incubateur-ump", name="Incubateur de l'UMP Oujda",
                            region=oriental)


@pytest.fixture
def cohort(cira):
    return CohortFactory(code="cira-2025", incubator=cira, name="Cohorte 2025")


# -- projects -------------------------------------------------------------------------------

NOUR = ["INC-CAS-2025-001", "Coopérative Nour Argane", "cira-ess", "cira-2025", "argan",
        "MA-06", "MA-SET", "2025-03-03", "pre_creation", "", ""]
TISSAGE = ["INC-CAS-2024-007", "Atelier Tissage Chaouia", "cira-ess", "", "crafts", "", "",
           "2024-10-07", "development", "2025-06-02", "Statuts déposés avant l'incubation"]


def test_projects_are_imported_in_their_phase(cira, cohort, casablanca_officer):
    result = run("incubation_projects", PROJECTS, [NOUR, TISSAGE], by=casablanca_officer)
    assert not result.errors, result.errors
    assert result.created == 2
    nour = Project.objects.get(code="INC-CAS-2025-001")
    assert (nour.phase, nour.phase_since, nour.cohort, nour.province.code) == (
        Phase.PRE_CREATION, datetime.date(2025, 3, 3), cohort, "MA-SET")
    tissage = Project.objects.get(code="INC-CAS-2024-007")
    # A blank region is the incubator's; the phase is the history's first step, dated.
    assert tissage.region == cira.region and tissage.phase == Phase.DEVELOPMENT
    assert tissage.phase_since == datetime.date(2025, 6, 2)
    assert list(tissage.phase_changes.values_list("from_phase", "to_phase", "date")) == [
        ("", "development", datetime.date(2025, 6, 2))]
    assert AuditEntry.objects.filter(action="incubation.project.created").count() == 2
    entry = AuditEntry.objects.get(action="import.incubation_projects")
    assert entry.changes["created"] == 2


def test_reimporting_projects_creates_nothing(cira, cohort):
    run("incubation_projects", PROJECTS, [NOUR, TISSAGE])
    result = run("incubation_projects", PROJECTS, [NOUR, TISSAGE])
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Project.objects.count() == 2 and PhaseChange.objects.count() == 2


def test_a_dropped_project_arrives_having_left(cira):
    row = ["INC-CAS-2023-004", "Coopérative Lalla Mimouna", "cira-ess", "", "agriculture",
           "", "", "2023-10-02", "dropped", "2024-05-20", ""]
    result = run("incubation_projects", PROJECTS, [row])
    assert not result.errors, result.errors
    assert Project.objects.get().left_on == datetime.date(2024, 5, 20)


def test_a_changed_phase_is_a_move_of_the_state_machine(cira, cohort, national_admin):
    run("incubation_projects", PROJECTS, [NOUR])
    nour = Project.objects.get(code=NOUR[0])
    creation = [*NOUR[:8], "creation", "2025-05-02", ""]

    # The business plan is required before creation.
    result = run("incubation_projects", PROJECTS, [creation], by=national_admin)
    assert cells(result) == {(2, "phase")}
    assert "Plan d'affaires validé" in messages(result)[(2, "phase")]
    services.milestone_reach(project=nour, milestone=Milestone.objects.get(code="business_plan"),
                             by=national_admin, date=datetime.date(2025, 4, 28))
    result = run("incubation_projects", PROJECTS, [creation], by=national_admin)
    assert not result.errors and result.updated == 1
    nour.refresh_from_db()
    assert (nour.phase, nour.phase_since) == (Phase.CREATION, datetime.date(2025, 5, 2))
    assert AuditEntry.objects.filter(action="incubation.project.phase").count() == 1

    # Going back needs the reason column; the date cannot precede the current phase.
    back = [*NOUR[:8], "pre_creation", "", ""]
    result = run("incubation_projects", PROJECTS, [back], by=national_admin)
    assert cells(result) == {(2, "reason")}
    assert "needs a reason" in messages(result)[(2, "reason")]
    early = [*NOUR[:8], "pre_creation", "2025-04-01", "Plan d'affaires à revoir"]
    result = run("incubation_projects", PROJECTS, [early], by=national_admin)
    assert cells(result) == {(2, "phase_date")}
    back[-1] = "Plan d'affaires à revoir"
    result = run("incubation_projects", PROJECTS, [back], by=national_admin)
    assert not result.errors and result.updated == 1
    nour.refresh_from_db()
    assert nour.phase == Phase.PRE_CREATION
    assert nour.phase_changes.last().reason == "Plan d'affaires à revoir"


def test_a_refused_move_leaves_the_rows_other_changes_unwritten(cira, cohort):
    run("incubation_projects", PROJECTS, [NOUR])
    renamed = [NOUR[0], "Coopérative Nour Argane Settat", *NOUR[2:8], "extension", "", ""]
    result = run("incubation_projects", PROJECTS, [renamed], partial=True)
    assert result.error_rows == 1
    assert Project.objects.get().title == "Coopérative Nour Argane"


def test_a_blank_cell_changes_nothing_on_a_stored_project(cira, casablanca_settat):
    ProjectFactory(code="INC-CAS-2025-001", incubator=cira, title="Coopérative Nour Argane",
                   sector="argan", region=casablanca_settat, joined_on=datetime.date(2025, 3, 3))
    project = Project.objects.get()
    Project.objects.filter(pk=project.pk).update(
        region=cira.region, province_id=_province("MA-SET").pk)
    row = ["INC-CAS-2025-001", "Coopérative Nour Argane", "cira-ess", "", "argan", "", "",
           "2025-03-03", "", "", ""]
    result = run("incubation_projects", PROJECTS, [row])
    assert (result.unchanged, result.errors) == (1, [])
    project.refresh_from_db()
    assert project.province.code == "MA-SET" and project.cohort is None


def _province(code):
    from essor.territory.models import Province

    return Province.objects.get(code=code)


BAD_PROJECTS = [
    ["INC-X1", "Projet", "no-such-incubator", "", "crafts", "", "", "2025-03-03", "", "", ""],
    ["INC-X2", "Projet", "cira-ess", "", "astrology", "", "", "2025-03-03", "", "", ""],
    ["INC-X3", "Projet", "cira-ess", "", "crafts", "MA-99", "", "2025-03-03", "", "", ""],
    ["INC-X4", "Projet", "cira-ess", "", "crafts", "", "", "3 mars 2025", "", "", ""],
    ["INC-X5", "Projet", "cira-ess", "", "crafts", "MA-06", "MA-OUJ", "2025-03-03", "", "",
     ""],
    ["INC-X6", "Projet", "cira-ess", "oujda-2025", "crafts", "", "", "2025-03-03", "", "",
     ""],
    ["INC-X7", "Projet", "cira-ess", "", "crafts", "", "", "2025-03-03", "incubated", "",
     ""],
    ["INC X8", "Projet", "cira-ess", "", "crafts", "", "", "2025-03-03", "", "", ""],
    ["INC-X9", "Projet", "cira-ess", "", "crafts", "", "", "2025-03-03", "creation",
     "2025-01-01", ""],
]
# The header is row 1, the good rows 2 and 3.
BAD_PROJECT_CELLS = {(4, "incubator_code"), (5, "sector"), (6, "region"), (7, "joined_on"),
                     (8, "province"), (9, "cohort_code"), (10, "phase"), (11, "code"),
                     (12, "phase_date")}


def test_bad_project_rows_write_nothing_and_name_row_column_and_value(cira, cohort, oujda):
    CohortFactory(code="oujda-2025", incubator=oujda)
    result = run("incubation_projects", PROJECTS, [NOUR, TISSAGE, *BAD_PROJECTS])
    assert cells(result) == BAD_PROJECT_CELLS
    assert not result.written and Project.objects.count() == 0
    found = messages(result)
    assert found[(4, "incubator_code")] == '"no-such-incubator": unknown incubator code.'
    assert found[(6, "region")].startswith('"MA-99"')
    assert "oujda-2025" in found[(9, "cohort_code")]
    # The file of refused rows, to fix and import again, names each value.
    errors = result.errors_csv().decode("utf-8-sig")
    assert errors.splitlines()[0].startswith("row,")
    assert '"MA-99"' in errors.replace('""', '"') and "astrology" in errors


def test_projects_dry_run_and_partial(cira, cohort):
    result = run("incubation_projects", PROJECTS, [NOUR, TISSAGE], dry_run=True)
    assert result.created == 2 and not result.written and Project.objects.count() == 0
    result = run("incubation_projects", PROJECTS, [NOUR, TISSAGE, *BAD_PROJECTS],
                 partial=True)
    assert result.created == 2 and result.error_rows == len(BAD_PROJECTS)
    assert set(Project.objects.values_list("code", flat=True)) == {NOUR[0], TISSAGE[0]}


def test_an_officer_imports_only_into_the_incubators_and_regions_they_run(
        cira, oujda, oriental_officer, casablanca_officer):
    result = run("incubation_projects", PROJECTS, [NOUR], by=oriental_officer)
    assert cells(result) == {(2, "incubator_code"), (2, "cohort_code"), (2, "region")}
    # Casablanca-Settat's officer runs the incubator, not a project placed in the Oriental.
    oriental_row = [*NOUR[:5], "MA-02", "", *NOUR[7:]]
    oriental_row[3] = ""
    result = run("incubation_projects", PROJECTS, [oriental_row], by=casablanca_officer)
    assert messages(result) == {(2, "region"): "This region is outside your scope."}
    assert Project.objects.count() == 0
    # A code taken by another region's project is not overwritten.
    ProjectFactory(code="INC-ORI-2024-001", incubator=oujda)
    taken = ["INC-ORI-2024-001", "Projet", "cira-ess", "", "crafts", "", "", "2025-03-03",
             "", "", ""]
    result = run("incubation_projects", PROJECTS, [taken], by=casablanca_officer)
    assert cells(result) == {(2, "code")}


def test_a_project_keeps_its_incubator(cira, oujda):
    ProjectFactory(code="INC-ORI-2024-001", incubator=oujda)
    row = ["INC-ORI-2024-001", "Projet", "cira-ess", "", "crafts", "", "", "2025-03-03", "",
           "", ""]
    result = run("incubation_projects", PROJECTS, [row])
    assert cells(result) == {(2, "incubator_code")}
    assert "keeps its incubator" in messages(result)[(2, "incubator_code")]


def test_a_project_file_saved_by_excel_in_french(cira, cohort):
    """Semicolons, Windows Latin, a title row above the header, accents in the sector's
    label: as Excel saves a sheet in French."""
    load_importers()
    stream = csv_bytes(PROJECTS, [["INC-CAS-2025-002", "Coopérative Féminine Tiwizi",
                                   "cira-ess", "", "Artisanat", "Casablanca-Settat", "",
                                   "03/03/2025", "pré-création", "", ""]],
                       delimiter=";", encoding="cp1252",
                       above=[["Projets incubés — CIRA-ESS"]])
    with translation.override("fr"):
        result = run_import(REGISTRY["incubation_projects"](by=None), stream, "projets.csv")
    assert not result.errors, result.errors
    project = Project.objects.get()
    assert project.title == "Coopérative Féminine Tiwizi" and project.sector == "crafts"
    assert project.joined_on == datetime.date(2025, 3, 3)


# -- holders --------------------------------------------------------------------------------

@pytest.fixture
def nour(cira):
    return ProjectFactory(code="INC-CAS-2025-001", incubator=cira, title="Coopérative Nour",
                          joined_on=datetime.date(2025, 3, 3))


@pytest.fixture
def tiwizi(cira):
    return ProjectFactory(code="INC-CAS-2025-002", incubator=cira, title="Tiwizi",
                          joined_on=datetime.date(2025, 3, 3))


def test_one_holder_under_several_spellings_is_one_person(nour, tiwizi):
    rows = [
        ["INC-CAS-2025-001", "Salma", "Bennis", "سلمى", "بنيس", "F", "1999", "no", "",
         "BE456123"],
        ["INC-CAS-2025-002", "SALMA", "BENNIS", "", "", "femme", "", "", "", "be 456123"],
        ["INC-CAS-2025-001", "Hamza", "Ouazzani", "", "", "M", "1980", "oui", "0612345678",
         ""],
        ["INC-CAS-2025-002", "hamza", "ouazzani", "", "", "M", "", "", "+212 6 12 34 56 78",
         ""],
    ]
    result = run("incubation_holders", HOLDERS, rows)
    assert not result.errors, result.errors
    assert result.created == 4 and Person.objects.count() == 2
    salma = Person.objects.get(national_id="BE456123")
    assert (salma.first_name_ar, salma.region) == ("سلمى", nour.region)
    assert set(salma.held_projects.values_list("project__code", flat=True)) == {
        "INC-CAS-2025-001", "INC-CAS-2025-002"}
    # The first holder of a project leads it; the target groups follow the holders.
    assert Holder.objects.get(project=nour, lead=True).person == salma
    nour.refresh_from_db()
    assert (nour.targets_women, nour.targets_young, nour.targets_disability) == (
        True, True, True)


def test_reimporting_holders_creates_nothing(nour):
    rows = [["INC-CAS-2025-001", "Salma", "Bennis", "", "", "F", "1999", "", "", "BE456123"],
            ["INC-CAS-2025-001", "Hamza", "Ouazzani", "", "", "M", "1994", "", "", ""]]
    run("incubation_holders", HOLDERS, rows)
    result = run("incubation_holders", HOLDERS, rows)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Person.objects.count() == 2 and Holder.objects.count() == 2


def test_a_registered_person_is_matched_not_duplicated(nour, casablanca_settat):
    PersonFactory(first_name="Salma", last_name="Bennis", national_id="BE456123",
                  region=casablanca_settat)
    result = run("incubation_holders", HOLDERS,
                 [["INC-CAS-2025-001", "Salma", "Bennis", "", "", "F", "", "", "",
                   "be-456123"]])
    assert result.created == 1 and Person.objects.count() == 1


BAD_HOLDERS = [
    ["INC-9999-NOPE", "Aicha", "Bennis", "", "", "F", "1990", "", "", ""],
    ["INC-CAS-2025-001", "Aicha", "Bennis", "", "", "X", "1990", "", "", ""],
    ["INC-CAS-2025-001", "Aicha", "Bennis", "", "", "F", "1990", "", "", "123"],
    ["INC-CAS-2025-001", "Aicha", "Bennis", "", "", "F", "1990", "", "12", ""],
    ["INC-CAS-2025-001", "Aicha", "Bennis", "", "", "F", "3000", "", "", ""],
    ["INC-CAS-2025-001", "Aicha", "Bennis", "", "", "F", "1990", "peut-être", "", ""],
    ["INC-CAS-2025-001", "", "Bennis", "", "", "F", "1990", "", "", ""],
]
BAD_HOLDER_CELLS = {(3, "project_code"), (4, "sex"), (5, "national_id"), (6, "phone"),
                    (7, "birth_year"), (8, "disability"), (9, "first_name")}


def test_bad_holder_rows_write_nothing(nour):
    good = ["INC-CAS-2025-001", "Salma", "Bennis", "", "", "F", "1999", "", "", "BE456123"]
    result = run("incubation_holders", HOLDERS, [good, *BAD_HOLDERS])
    assert cells(result) == BAD_HOLDER_CELLS
    assert not result.written and Person.objects.count() == 0
    assert messages(result)[(5, "national_id")].startswith('"123"')


def test_holders_of_a_project_out_of_scope_are_refused(nour, oriental_officer):
    result = run("incubation_holders", HOLDERS,
                 [["INC-CAS-2025-001", "Salma", "Bennis", "", "", "F", "", "", "", ""]],
                 by=oriental_officer)
    assert messages(result) == {(2, "project_code"):
                                '"INC-CAS-2025-001": unknown project code.'}


def test_a_holder_registered_in_another_region_is_not_shown(nour, oriental, casablanca_officer):
    PersonFactory(first_name="Naima", last_name="Berrada", national_id="F654321",
                  region=oriental)
    result = run("incubation_holders", HOLDERS,
                 [["INC-CAS-2025-001", "Naima", "Berrada", "", "", "F", "", "", "", "F654321"]],
                 by=casablanca_officer)
    assert list(messages(result)) == [(2, "national_id")]
    assert "another region" in messages(result)[(2, "national_id")]
    assert not Holder.objects.exists()


def test_holders_saved_as_windows_arabic_with_semicolons(nour):
    load_importers()
    stream = csv_bytes(HOLDERS, [["INC-CAS-2025-001", "Fatima Zahra", "Alaoui", "فاطمة الزهراء",
                                  "العلوي", "F", "1997", "لا", "0661234567", ""]],
                       delimiter=";", encoding="cp1256")
    result = run_import(REGISTRY["incubation_holders"](by=None), stream, "porteurs.csv")
    assert not result.errors, result.errors
    person = Person.objects.get()
    assert (person.last_name_ar, person.phone) == ("العلوي", "06 61 23 45 67")


# -- coaching sessions ----------------------------------------------------------------------

def test_sessions_are_imported_and_reimporting_changes_nothing(nour, coach):
    rows = [["INC-CAS-2025-001", "salma_coach", "2025-04-14", "1,5", "on_site",
             "Plan d'affaires", ""],
            ["INC-CAS-2025-001", "salma_coach", "2025-05-12", "2", "remote", "Statuts", ""]]
    result = run("coaching_sessions", SESSIONS, rows)
    assert not result.errors and result.created == 2
    first = CoachingSession.objects.get(date=datetime.date(2025, 4, 14))
    assert (str(first.duration_hours), first.mode, first.coach) == ("1.5", "on_site", coach)
    result = run("coaching_sessions", SESSIONS, rows)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    rows[0][3] = "3"
    result = run("coaching_sessions", SESSIONS, rows)
    assert (result.updated, result.unchanged) == (1, 1)
    assert CoachingSession.objects.count() == 2


def test_a_session_sheet_from_excel_with_date_and_number_cells(nour, coach):
    load_importers()
    day = datetime.datetime(2025, 4, 14)  # noqa: DTZ001 (a spreadsheet's date cell)
    stream = xlsx_bytes(SESSIONS, [["INC-CAS-2025-001", "salma_coach", day, 1.5, "remote",
                                    "Prix de revient", None]])
    result = run_import(REGISTRY["coaching_sessions"](by=None), stream, "seances.xlsx")
    assert not result.errors, result.errors
    session = CoachingSession.objects.get()
    assert session.date == datetime.date(2025, 4, 14) and str(session.duration_hours) == "1.5"


def test_bad_session_rows_name_the_refused_value(nour, coach, oujda):
    from essor.accounts.models import User

    User.objects.create_user(username="younes_oujda", role="coach").incubators.add(oujda)
    base = ["INC-CAS-2025-001", "salma_coach", "2025-04-14", "1.5", "on_site", "", ""]
    bad = [
        ["INC-CAS-2025-001", "nobody", *base[2:]],
        ["INC-CAS-2025-001", "younes_oujda", *base[2:]],
        [*base[:3], "1.25", *base[4:]],
        [*base[:3], "13", *base[4:]],
        [*base[:3], "nan", *base[4:]],
        [*base[:3], "deux heures", *base[4:]],
        [*base[:4], "by phone", *base[5:]],
        [*base[:2], "2025-01-10", *base[3:]],
    ]
    result = run("coaching_sessions", SESSIONS, bad)
    assert cells(result) == {(2, "coach_username"), (3, "coach_username"),
                             (4, "duration_hours"), (5, "duration_hours"),
                             (6, "duration_hours"), (7, "duration_hours"), (8, "mode"),
                             (9, "date")}
    found = messages(result)
    assert found[(2, "coach_username")] == '"nobody": unknown coach username.'
    assert found[(4, "duration_hours")].startswith('"1.25"')
    assert "before the project joined" in found[(9, "date")]
    assert not CoachingSession.objects.exists()


def test_an_officer_imports_no_notes_and_keeps_the_coaches_notes(nour, coach,
                                                                 casablanca_officer):
    session = SessionFactory(project=nour, coach=coach, date=datetime.date(2025, 4, 14),
                             notes="Les porteuses hésitent sur la forme juridique")
    row = ["INC-CAS-2025-001", "salma_coach", "2025-04-14", "3", "on_site", "Statuts",
           "Notes écrites par l'agent"]
    result = run("coaching_sessions", SESSIONS, [row], by=casablanca_officer)
    assert cells(result) == {(2, "notes")}
    assert "coaches of the project's incubator" in messages(result)[(2, "notes")]
    row[-1] = ""
    result = run("coaching_sessions", SESSIONS, [row], by=casablanca_officer)
    assert result.updated == 1
    session.refresh_from_db()
    assert session.notes == "Les porteuses hésitent sur la forme juridique"
    assert str(session.duration_hours) == "3.0"
    # The audit log says the import happened, never what a note says.
    assert "hésitent" not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_sessions_of_another_regions_project_or_coach_are_unknown(nour, coach, oujda,
                                                                  oriental_officer):
    result = run("coaching_sessions", SESSIONS,
                 [["INC-CAS-2025-001", "salma_coach", "2025-04-14", "", "", "", ""]],
                 by=oriental_officer)
    assert cells(result) == {(2, "project_code"), (2, "coach_username")}


def test_the_command_line_all_or_nothing_and_partial(tmp_path, nour, coach):
    path = tmp_path / "seances.csv"
    rows = [["INC-CAS-2025-001", "salma_coach", "2025-04-14", "1.5", "", "", ""],
            ["INC-CAS-2025-001", "salma_coach", "2025-04-21", "1.25", "", "", ""]]
    path.write_bytes(csv_bytes(SESSIONS, rows).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "coaching_sessions", str(path), stdout=io.StringIO(),
                     stderr=err)
    assert "row 3, column duration_hours" in err.getvalue()
    assert not CoachingSession.objects.exists()
    call_command("import", "coaching_sessions", str(path), "--partial",
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert CoachingSession.objects.count() == 1
    refused = (tmp_path / "seances.csv.errors.csv").read_text(encoding="utf-8-sig")
    assert "1.25" in refused and "2025-04-21" in refused


def test_queries_of_a_session_import_are_pinned_per_row(
        nour, tiwizi, coach, django_assert_max_num_queries):
    """Sessions are written one by one through the services (an incubator's sessions are
    hundreds a year, not the attendance sheets' hundreds of thousands): 10 queries for a
    new session, 3 for one already there, lookups once per chunk."""
    start = datetime.date(2025, 3, 10)
    rows = [[("INC-CAS-2025-001", "INC-CAS-2025-002")[i % 2], "salma_coach",
             (start + datetime.timedelta(days=i)).isoformat(), "1.5", "", "", ""]
            for i in range(20)]
    load_importers()
    with django_assert_max_num_queries(10 + 10 * 20):
        run("coaching_sessions", SESSIONS, rows)
    with django_assert_max_num_queries(10 + 3 * 20):
        result = run("coaching_sessions", SESSIONS, rows)
    assert result.unchanged == 20


# -- the imports page -----------------------------------------------------------------------

def test_the_imports_page_offers_the_incubation_imports_and_their_templates(
        client_as, casablanca_officer):
    client = client_as(casablanca_officer)
    page = client.get(reverse("core:import_index")).content.decode()
    for kind in ("incubation_projects", "incubation_holders", "coaching_sessions"):
        assert reverse("core:import_upload", args=[kind]) in page
    template = client.get(reverse("core:import_template",
                                  args=["incubation_projects", "csv"]))
    header = template.content.decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == REGISTRY["incubation_projects"].columns


def test_every_template_imports_as_it_is(national_admin, casablanca_settat, oriental):
    """The templates' examples are a file that imports: their incubators, cohort and
    coach made first."""
    from essor.accounts.models import User

    cira = IncubatorFactory(code="cira-ess-casablanca", region=casablanca_settat)
    IncubatorFactory(code="incubateur-ump-oujda", region=oriental)
    CohortFactory(code="cira-cas-2025", incubator=cira)
    User.objects.create_user(username="r.elidrissi", role="coach").incubators.add(cira)
    load_importers()
    for kind in ("incubation_projects", "incubation_holders", "coaching_sessions"):
        importer = REGISTRY[kind](by=national_admin)
        result = run_import(importer, io.BytesIO(importer.template_csv()), f"{kind}.csv")
        assert not result.errors, (kind, result.errors)
        assert result.created == len(importer.example), kind
