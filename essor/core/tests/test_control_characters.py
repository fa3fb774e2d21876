"""Control characters never reach a record (forms, API, services, imports alike), and what
is already stored with one still exports: XLSX cannot hold them, so the writer drops them."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from openpyxl import load_workbook
from rest_framework.test import APIClient

from essor.core import text
from essor.core.exports import Exporter
from essor.promotion import services as promotion_services
from essor.promotion.models import Application, Event
from essor.promotion.tests.factories import EventFactory
from essor.registry import services
from essor.registry.models import Organisation, Person
from essor.registry.tests.factories import OrganisationFactory, PersonFactory
from essor.training.models import Workshop
from essor.training.tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

# NUL, the tester's three, the rest of C0's range ends, DEL, and C1.
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f"]


@pytest.mark.parametrize("char", CONTROLS)
def test_the_service_refuses_a_control_character_in_a_name(casablanca_officer,
                                                           casablanca_settat, char):
    with pytest.raises(ValidationError) as refused:
        services.person_create(by=casablanca_officer, first_name=f"Fa{char}tima",
                               last_name="Benali", sex="F", region=casablanca_settat)

    assert set(refused.value.message_dict) == {"first_name"}
    assert refused.value.error_dict["first_name"][0].code in ("control_character",
                                                              "null_characters_not_allowed")
    assert not Person.objects.exists()


@pytest.mark.parametrize("char", CONTROLS)
def test_an_update_is_refused_too(casablanca_officer, char):
    organisation = OrganisationFactory(name="Coopérative Nour")

    with pytest.raises(ValidationError):
        services.organisation_update(organisation=organisation, by=casablanca_officer,
                                     city=f"Settat{char}")

    assert Organisation.objects.get(pk=organisation.pk).city == ""


@pytest.mark.parametrize("char", CONTROLS)
def test_the_form_refuses_it_on_the_field(client, casablanca_officer, char):
    client.force_login(casablanca_officer)

    response = client.post("/registry/people/new/", {
        "first_name": "Fatima", "last_name": f"Ben{char}ali", "sex": "F",
        "region": casablanca_officer.regions.get().pk})

    assert response.status_code == 200
    assert "last_name" in response.context["form"].errors
    assert not Person.objects.exists()


@pytest.mark.parametrize("char", CONTROLS)
def test_the_api_refuses_it_on_the_field(casablanca_officer, char):
    client = APIClient()
    client.force_authenticate(casablanca_officer)

    response = client.post("/api/people/", {"first_name": f"Fa{char}tima",
                                            "last_name": "Benali", "sex": "F",
                                            "region": "MA-06"}, format="json")

    assert response.status_code == 400
    assert "first_name" in response.json()
    assert not Person.objects.exists()


@pytest.mark.parametrize("char", ["\x01", "\x08", "\x0b", "\x7f", "\x9f"])
def test_an_import_refuses_it_with_the_row(tmp_path, casablanca_officer, char):
    path = tmp_path / "people.csv"
    path.write_text(f"first_name,last_name,sex,region\nFatima,Ben{char}ali,F,MA-06\n",
                    encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("import", "people", str(path), "--as", casablanca_officer.username,
                     stdout=io.StringIO(), stderr=io.StringIO())

    assert not Person.objects.exists()


def test_tabs_and_line_breaks_become_spaces_in_a_one_line_field(casablanca_officer,
                                                                casablanca_settat):
    person = services.person_create(by=casablanca_officer, first_name="Fatima\tZahra",
                                    last_name="Ben\r\nAli", sex="F", region=casablanca_settat)

    assert (person.first_name, person.last_name) == ("Fatima Zahra", "Ben Ali")


def test_line_breaks_stay_in_a_multi_line_field(casablanca_officer):
    event = EventFactory(status=Event.Status.OPEN)
    organisation = OrganisationFactory()

    application = promotion_services.application_submit(
        event=event, organisation=organisation, by=casablanca_officer,
        products="Huile d'argan\nAmlou\tmiel")

    assert Application.objects.get(pk=application.pk).products == "Huile d'argan\nAmlou\tmiel"


def test_every_text_field_of_the_main_records_is_checked(casablanca_officer):
    workshop = WorkshopFactory()
    workshop.venue = "Salle\x01 1"

    with pytest.raises(ValidationError) as refused:
        workshop.full_clean()

    assert set(refused.value.message_dict) == {"venue"}
    assert Workshop.objects.get(pk=workshop.pk).venue == ""


def test_the_message_shows_the_character():
    with pytest.raises(ValidationError) as refused:
        text.check_text("Fa\x01tima")

    assert "\\x01" in refused.value.messages[0]


# -- what is already stored -------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x01", "\x08", "\x0b", "\x00", "\x1f"])
def test_a_stored_control_character_still_exports_to_xlsx(client, casablanca_officer, char):
    if char == "\x00" and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL cannot store a NUL byte in text: nothing to export")
    person = PersonFactory(first_name="Fatima", last_name="Benali")
    Person.objects.filter(pk=person.pk).update(last_name=f"Ben{char}ali")
    client.force_login(casablanca_officer)

    response = client.get("/registry/people/?format=xlsx")

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert any("Benali" in row for row in rows[1:])


def test_the_writer_drops_what_xlsx_cannot_hold():
    class One(Exporter):
        def header(self):
            return ["name"]

        def rows(self):
            return [["Fa\x01ti\x0bma\x9f"]]

    rows = list(load_workbook(io.BytesIO(One().to_xlsx())).active.iter_rows(values_only=True))

    assert rows == [("name",), ("Fatima",)]
