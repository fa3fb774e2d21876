"""Exports of incubated projects, their holders and coaching sessions, read back as CSV
and XLSX: each reader gets what they run (another region's officer and another
incubator's coach nothing), holders' phones, IDs and disability masked as the registry
masks them, coaching notes for the incubator's coaches only, formulas escaped, each
download audited, queries pinned."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from essor.accounts.models import User
from essor.audit.models import AuditEntry
from essor.incubation.exports import ProjectExporter
from essor.incubation.models import Phase, Project
from essor.registry.tests.factories import PersonFactory

from .factories import HolderFactory, IncubatorFactory, ProjectFactory, SessionFactory

pytestmark = pytest.mark.django_db

# The holders' columns: project, names (Latin, Arabic), sex, birth year, then these.
DISABILITY, NATIONAL_ID = 7, 10
NOTE = "Les porteuses hésitent entre coopérative et association"


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def cira(casablanca_settat, coach):
    return IncubatorFactory(code="cira-ess", name="CIRA-ESS Casablanca",
                            region=casablanca_settat, coaches=[coach])


@pytest.fixture
def other_coach(oriental):
    return User.objects.create_user(username="younes_coach", role="coach",
                                    password="correct horse battery")


@pytest.fixture
def oujda(oriental, other_coach):
    return IncubatorFactory(code="incubateur-ump", name="Incubateur UMP Oujda",
                            region=oriental, coaches=[other_coach])


@pytest.fixture
def nour(cira, casablanca_settat, coach):
    project = ProjectFactory(code="INC-CAS-2025-001", incubator=cira,
                             title="=Coopérative Nour Argane", sector="argan",
                             joined_on=datetime.date(2025, 3, 3))
    salma = PersonFactory(first_name="Salma", last_name="Bennis", sex="F", birth_year=1999,
                          phone="06 62 14 58 30", national_id="BE456123", disability=True,
                          region=casablanca_settat)
    HolderFactory(project=project, person=salma)
    SessionFactory(project=project, coach=coach, date=datetime.date(2025, 4, 14),
                   notes=NOTE, topics="Forme juridique")
    return project


@pytest.fixture
def figuig(oujda, other_coach):
    project = ProjectFactory(code="INC-ORI-2024-007", incubator=oujda,
                             title="Atelier Tissage Figuig")
    HolderFactory(project=project, person__first_name="Hamza")
    SessionFactory(project=project, coach=other_coach, notes="Note d'Oujda")
    return project


def download(client, name, fmt="csv"):
    response = client.get(reverse(f"incubation:{name}", args=[fmt]))
    assert response.status_code == 200, response.status_code
    return response


def test_the_projects_export(nour):
    rows = read_csv(ProjectExporter(Project.objects.all()).to_csv())
    assert len(rows) == 2 and len(rows[0]) == 19
    row = rows[1]
    assert row[:5] == ["INC-CAS-2025-001", "'=Coopérative Nour Argane", "", "cira-ess", ""]
    assert row[6:11] == ["MA-06", "", str(Phase.PRE_CREATION.label), "2025-03-03",
                         "2025-03-03"]


def test_the_projects_export_as_xlsx_writes_text_never_a_formula(client_as, nour,
                                                                 casablanca_officer):
    response = download(client_as(casablanca_officer), "export_projects", "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "INC-CAS-2025-001"
    assert values[1][1] == "'=Coopérative Nour Argane"
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_each_reader_exports_what_they_run(client_as, nour, figuig, national_admin,
                                           casablanca_officer, oriental_officer, coach,
                                           other_coach):
    def codes(user):
        rows = read_csv(download(client_as(user), "export_projects").content)
        return {r[0] for r in rows[1:]}
    assert codes(national_admin) == {"INC-CAS-2025-001", "INC-ORI-2024-007"}
    assert codes(casablanca_officer) == {"INC-CAS-2025-001"}
    assert codes(oriental_officer) == {"INC-ORI-2024-007"}
    assert codes(coach) == {"INC-CAS-2025-001"}
    assert codes(other_coach) == {"INC-ORI-2024-007"}


@pytest.mark.parametrize("persona_name", ["trainer", "analyst", "partner",
                                          "organisation_account"])
@pytest.mark.parametrize("name", ["export_projects", "export_holders", "export_sessions"])
def test_who_does_not_run_incubation_exports_nothing(client_as, persona, nour, persona_name,
                                                     name):
    response = client_as(persona(persona_name)).get(reverse(f"incubation:{name}",
                                                            args=["csv"]))
    assert response.status_code == 403


def test_an_unknown_format_is_not_found(client_as, national_admin):
    response = client_as(national_admin).get(reverse("incubation:export_projects",
                                                     args=["pdf"]))
    assert response.status_code == 404


def test_holders_in_full_for_officers_masked_for_coaches(client_as, nour, casablanca_officer,
                                                         coach):
    rows = read_csv(download(client_as(casablanca_officer), "export_holders").content)
    salma = rows[1]
    assert len(rows) == 2 and len(rows[0]) == 12
    assert salma[:3] == ["INC-CAS-2025-001", "Salma", "Bennis"]
    assert salma[DISABILITY:NATIONAL_ID + 1] == [str(_("yes")), "MA-06", "0662 14 58 30",
                                                 "BE456123"]
    content = download(client_as(coach), "export_holders").content
    text = content.decode("utf-8-sig")
    assert "BE456123" not in text and "0662145830" not in text and "62 14 58" not in text
    masked = read_csv(content)[1]
    assert masked[1:3] == ["Salma", "Bennis"]
    assert masked[DISABILITY] == ""


def test_notes_are_exported_to_the_incubators_coaches_only(client_as, nour, figuig, coach,
                                                          other_coach, national_admin,
                                                          casablanca_officer):
    rows = read_csv(download(client_as(coach), "export_sessions").content)
    assert len(rows[0]) == 9 and len(rows) == 2
    assert rows[1][-1] == NOTE and rows[1][:3] == ["INC-CAS-2025-001", "cira-ess",
                                                   "salma_coach"]
    # The other incubator's coach gets their own sessions, never this note.
    other = download(client_as(other_coach), "export_sessions").content.decode("utf-8-sig")
    assert NOTE not in other and "INC-CAS-2025-001" not in other
    assert "Note d'Oujda" in other
    # Staff who run the incubator read the sessions, not the notes: no column at all.
    for user in (national_admin, casablanca_officer):
        content = download(client_as(user), "export_sessions").content
        rows = read_csv(content)
        assert len(rows[0]) == 8 and len(rows) >= 2  # no notes column
        assert NOTE not in content.decode("utf-8-sig")
        assert "Note d'Oujda" not in content.decode("utf-8-sig")


def test_each_download_is_audited(client_as, nour, casablanca_officer):
    client = client_as(casablanca_officer)
    download(client, "export_holders", "xlsx")
    download(client, "export_sessions")
    entries = AuditEntry.objects.filter(action__startswith="export.").order_by("pk")
    assert [(e.action, e.changes["format"]) for e in entries] == [
        ("export.incubation_holders", "xlsx"), ("export.coaching_sessions", "csv")]
    assert all(e.actor == casablanca_officer for e in entries)


@pytest.mark.parametrize("name", ["export_projects", "export_holders", "export_sessions"])
def test_queries_of_an_export_do_not_grow_with_its_rows(client_as, cira, coach, name,
                                                        django_assert_max_num_queries):
    client = client_as(coach)
    for count in (3, 30):
        for _i in range(count):
            project = ProjectFactory(incubator=cira)
            HolderFactory(project=project)
            SessionFactory(project=project, coach=coach)
        with django_assert_max_num_queries(12):
            download(client, name)
