"""The Arabic forms of places through every path that writes or reads them: the API, the
imports (optional columns), the forms, the exports and the audit log, for events and
workshops alike; and the staff lists in Arabic."""

import csv
import io

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from essor.audit.models import AuditEntry
from essor.core.imports import REGISTRY, load_importers, run_import
from essor.promotion.exports import EventExporter
from essor.promotion.models import Event
from essor.promotion.tests.factories import EventFactory
from essor.territory.models import Province
from essor.training.exports import WorkshopExporter
from essor.training.models import Workshop
from essor.training.tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

PLACES_AR = {"city_ar": "الدار البيضاء", "venue_ar": "مكتب المعارض بالدار البيضاء"}


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _csv(header, rows) -> io.BytesIO:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(buffer.getvalue().encode("utf-8"))


def _import(kind, header, rows, by):
    load_importers()
    return run_import(REGISTRY[kind](by=by), _csv(header, rows), f"{kind}.csv")


# -- API ------------------------------------------------------------------------------------------

def test_the_event_api_accepts_and_returns_the_arabic_places(casablanca_officer):
    client = _api(casablanca_officer)
    payload = {"code": "MI-NEXT-CAS", "kind": "itinerant_market",
               "title": "Marché itinérant de Casablanca", "start_date": "2099-04-01",
               "end_date": "2099-04-05", "region": "MA-06", "province": "MA-CAS",
               "city": "Casablanca", "venue": "OFEC", "organiser": "Délégation régionale",
               "organiser_ar": "المندوبية الجهوية", **PLACES_AR}

    created = client.post("/api/events/", payload, format="json")

    assert created.status_code == 201, created.content
    event = Event.objects.get(code="MI-NEXT-CAS")
    assert (event.city_ar, event.venue_ar, event.organiser_ar) == (
        "الدار البيضاء", "مكتب المعارض بالدار البيضاء", "المندوبية الجهوية")
    data = client.get(f"/api/events/{event.pk}/").json()
    assert data["city_ar"] == "الدار البيضاء" and data["organiser_ar"] == "المندوبية الجهوية"
    assert data["venue_ar"] == "مكتب المعارض بالدار البيضاء"
    created_entry = AuditEntry.objects.get(action="promotion.event.created")
    assert "city_ar" in str(created_entry.changes)

    patched = client.patch(f"/api/events/{event.pk}/", {"city_ar": "البيضاء"}, format="json")

    assert patched.status_code == 200 and patched.json()["city_ar"] == "البيضاء"
    updated = AuditEntry.objects.get(action="promotion.event.updated")
    assert "city_ar" in str(updated.changes)


def test_the_workshop_api_accepts_and_returns_the_arabic_places(casablanca_officer):
    client = _api(casablanca_officer)
    payload = {"code": "AT-NEW-01", "title": "Vendre en ligne", "theme": "marketing",
               "date": "2099-04-01", "region": "MA-06", "city": "Settat",
               "venue": "Maison des jeunes", "city_ar": "سطات", "venue_ar": "دار الشباب"}

    created = client.post("/api/workshops/", payload, format="json")

    assert created.status_code == 201, created.content
    workshop = Workshop.objects.get(code="AT-NEW-01")
    assert (workshop.city_ar, workshop.venue_ar) == ("سطات", "دار الشباب")
    data = client.get(f"/api/workshops/{workshop.pk}/").json()
    assert (data["city_ar"], data["venue_ar"]) == ("سطات", "دار الشباب")


# -- imports --------------------------------------------------------------------------------------

EVENT_COLUMNS = ["code", "kind", "title", "start_date", "end_date", "region", "province",
                 "city", "city_ar", "venue", "venue_ar", "organiser", "organiser_ar"]


def test_events_import_with_the_arabic_place_columns(national_admin):
    row = ["MI-2099-SET-01", "itinerant_market", "Marché itinérant de Settat", "2099-05-10",
           "2099-05-14", "MA-06", "MA-SET", "Settat", "سطات", "Place Hassan II",
           "ساحة الحسن الثاني", "Délégation régionale", "المندوبية الجهوية"]

    result = _import("events", EVENT_COLUMNS, [row], national_admin)

    assert not result.errors and result.created == 1
    event = Event.objects.get(code="MI-2099-SET-01")
    assert (event.city_ar, event.venue_ar, event.organiser, event.organiser_ar) == (
        "سطات", "ساحة الحسن الثاني", "Délégation régionale", "المندوبية الجهوية")

    changed = [*row[:10], "الساحة الكبرى", *row[11:]]
    again = _import("events", EVENT_COLUMNS, [changed], national_admin)

    assert not again.errors and again.updated == 1
    event.refresh_from_db()
    assert event.venue_ar == "الساحة الكبرى"


def test_events_import_without_the_arabic_columns_still_works(national_admin):
    header = ["code", "kind", "title", "start_date", "end_date", "region", "province", "city"]
    row = ["MI-2099-SET-02", "itinerant_market", "Marché", "2099-05-10", "2099-05-14",
           "MA-06", "MA-SET", "Settat"]

    result = _import("events", header, [row], national_admin)

    assert not result.errors and result.created == 1
    assert Event.objects.get(code="MI-2099-SET-02").city_ar == ""


def test_workshops_import_with_the_place_columns(national_admin):
    header = ["code", "title", "theme", "date", "region", "province", "city", "city_ar",
              "venue", "venue_ar"]
    row = ["AT-2099-SET-01", "Gouvernance", "governance", "2099-05-11", "MA-06", "MA-SET",
           "Settat", "سطات", "Centre de formation", "مركز التكوين"]

    result = _import("workshops", header, [row], national_admin)

    assert not result.errors and result.created == 1
    workshop = Workshop.objects.get(code="AT-2099-SET-01")
    assert (workshop.city, workshop.city_ar, workshop.venue, workshop.venue_ar) == (
        "Settat", "سطات", "Centre de formation", "مركز التكوين")


def test_the_import_templates_carry_the_arabic_columns():
    load_importers()
    for kind, columns in (("events", ["city_ar", "venue_ar", "organiser", "organiser_ar"]),
                          ("workshops", ["city", "city_ar", "venue", "venue_ar"])):
        importer = REGISTRY[kind]
        assert set(columns) <= set(importer.columns)
        assert not set(columns) & set(importer.required)  # optional


# -- forms, exports -------------------------------------------------------------------------------

def test_the_event_form_writes_the_arabic_places(client_as, casablanca_officer,
                                                casablanca_settat):
    response = client_as(casablanca_officer).post("/promotion/events/new/", {
        "kind": "itinerant_market", "title": "Marché itinérant de Berrechid",
        "start_date": "2099-03-10", "end_date": "2099-03-14", "region": casablanca_settat.pk,
        "province": Province.objects.get(code="MA-BRR").pk, "city": "Berrechid",
        "city_ar": "برشيد", "venue": "Place centrale", "venue_ar": "الساحة المركزية",
        "organiser_ar": "المندوبية الجهوية", "stands": "12"})

    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get(title="Marché itinérant de Berrechid")
    assert (event.city_ar, event.venue_ar, event.organiser_ar) == (
        "برشيد", "الساحة المركزية", "المندوبية الجهوية")


def test_the_event_form_types_arabic_right_to_left(client_as, casablanca_officer):
    html = client_as(casablanca_officer).get("/promotion/events/new/").content.decode()

    for name in ("city_ar", "venue_ar", "organiser_ar"):
        assert f'name="{name}"' in html
        field = html.split(f'name="{name}"')[0].rsplit("<input", 1)[1] + html.split(
            f'name="{name}"')[1].split(">", 1)[0]
        assert 'dir="rtl"' in field and 'lang="ar"' in field


def test_the_workshop_form_has_the_arabic_places(client_as, casablanca_officer):
    html = client_as(casablanca_officer).get("/training/workshops/new/").content.decode()

    assert 'name="city_ar"' in html and 'name="venue_ar"' in html


def test_the_exports_carry_the_arabic_places(casablanca_settat):
    EventFactory(region=casablanca_settat, city="Settat", **PLACES_AR)
    WorkshopFactory(region=casablanca_settat, city="Settat", **PLACES_AR)

    with translation.override("en"):
        events = list(csv.reader(io.StringIO(
            EventExporter(Event.objects.all()).to_csv().decode("utf-8-sig"))))
        workshops = list(csv.reader(io.StringIO(
            WorkshopExporter(Workshop.objects.all()).to_csv().decode("utf-8-sig"))))

    for rows in (events, workshops):
        row = dict(zip(rows[0], rows[1], strict=True))
        assert row["city (Arabic)"] == "الدار البيضاء"
        assert row["venue (Arabic)"] == "مكتب المعارض بالدار البيضاء"


# -- staff lists in Arabic ------------------------------------------------------------------------

def test_the_staff_lists_show_the_arabic_city_in_arabic(client_as, casablanca_officer,
                                                        casablanca_settat):
    settat = Province.objects.get(code="MA-SET")
    EventFactory(region=casablanca_settat, province=settat, city="Settat",
                 title="Marché de Settat")
    WorkshopFactory(region=casablanca_settat, province=settat, city="Settat", city_ar="")
    client = client_as(casablanca_officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ar"
    client.cookies["django_language"] = "ar"

    events = client.get("/promotion/events/").content.decode()
    workshops = client.get("/training/workshops/").content.decode()

    for html in (events, workshops):
        assert "سطات" in html
        assert ">Settat<" not in html
