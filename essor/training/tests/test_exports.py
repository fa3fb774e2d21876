"""Exports of workshops and enrolments, read back as CSV and XLSX; no phone or ID."""

import csv
import io

import pytest
from openpyxl import load_workbook

from essor.promotion.tests.factories import EventFactory
from essor.registry.tests.factories import PersonFactory
from essor.training.exports import EnrolmentExporter, WorkshopExporter
from essor.training.models import Enrolment, Workshop

from .factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(casablanca_settat):
    event = EventFactory(code="MI-2025-SET-01", region=casablanca_settat)
    workshop = WorkshopFactory(code="AT-2025-SET-01", title="=Gouvernance", event=event,
                               region=casablanca_settat, city="Settat", capacity=20,
                               status=Workshop.Status.HELD)
    zineb = PersonFactory(first_name="Zineb", last_name="Kabbaj", sex="F", birth_year=1987,
                          phone="0661234567", national_id="BK654321",
                          region=casablanca_settat)
    EnrolmentFactory(workshop=workshop, person=zineb, attended=True)
    EnrolmentFactory(workshop=workshop, attended=False)
    EnrolmentFactory(workshop=workshop, status=Enrolment.Status.WAITLISTED)
    return workshop


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_workshops_export(workshop):
    rows = read_csv(WorkshopExporter(Workshop.objects.all()).to_csv())
    assert len(rows) == 2 and len(rows[0]) == 15
    assert rows[1] == ["AT-2025-SET-01", "'=Gouvernance", "governance", "2025-05-11", "MA-06",
                       "", "Settat", "", "", "", "MI-2025-SET-01", str(Workshop.Status.HELD.label), "20",
                       "2", "1"]


def test_workshops_export_as_xlsx(workshop):
    sheet = load_workbook(io.BytesIO(WorkshopExporter(Workshop.objects.all()).to_xlsx()),
                          read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "AT-2025-SET-01" and values[1][-2:] == (2, 1)


def test_enrolments_export_has_no_phone_or_id(workshop):
    content = EnrolmentExporter(Enrolment.objects.filter(workshop=workshop)).to_csv()
    rows = read_csv(content)
    assert len(rows) == 4 and len(rows[0]) == 7
    zineb = next(r for r in rows if r[1] == "Zineb Kabbaj")
    assert zineb[0] == "AT-2025-SET-01"
    assert zineb[2:5] == ["F", "1987", "MA-06"]
    text = content.decode("utf-8-sig")
    assert "0661234567" not in text and "BK654321" not in text
    assert sum(1 for r in rows[1:] if r[6] == "") == 1  # the waiting list: not ticked yet


def test_a_workshops_enrolments_export_from_its_page(client_as, casablanca_officer):
    import io

    from openpyxl import load_workbook

    from essor.training.tests.factories import EnrolmentFactory, WorkshopFactory

    workshop = WorkshopFactory()
    EnrolmentFactory(workshop=workshop, person__first_name="Salma", attended=True)
    EnrolmentFactory(workshop=workshop, person__first_name="Imane")
    client = client_as(casablanca_officer)
    url = f"/training/workshops/{workshop.pk}/enrolments/"

    page = client.get(url)
    assert b"format=xlsx" in page.content
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    assert len(list(sheet.iter_rows(values_only=True))) == 3
