"""Exports of events and participations: read back as CSV and XLSX, formulas escaped,
no phone or national ID, and a pinned query count."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from essor.promotion import selectors
from essor.promotion.exports import EventExporter, ParticipationExporter
from essor.promotion.models import Event, Participation
from essor.registry.tests.factories import OrganisationFactory, PersonFactory
from essor.territory.models import Province

from .factories import EventFactory, ParticipationFactory, StandFactory

pytestmark = pytest.mark.django_db


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows()]


@pytest.fixture
def market(casablanca_settat):
    event = EventFactory(code="MI-2024-SET", title="=HYPERLINK(\"http://evil\")",
                         region=casablanca_settat, province=None, city="Settat",
                         start_date=datetime.date(2024, 5, 10),
                         end_date=datetime.date(2024, 5, 14), status=Event.Status.HELD,
                         stands=30)
    stand = StandFactory(event=event, number=7)
    ParticipationFactory(
        event=event, status=Participation.Status.ATTENDED, stand=stand,
        organisation=OrganisationFactory(name="@SUM(1+1)", kind="association"),
        holder=PersonFactory(first_name="Khadija", last_name="Tazi", sex="F",
                             birth_year=1985, phone="0661234567", national_id="BK123456"),
        sales_mad=Decimal("1250.50"), visitors=320)
    ParticipationFactory(event=event, status=Participation.Status.ATTENDED,
                         organisation=OrganisationFactory(name="Coopérative Al Baraka"))
    ParticipationFactory(event=event, status=Participation.Status.ABSENT,
                         organisation=OrganisationFactory(name="Coopérative Tifawine"))
    return event


def test_events_export_as_csv_with_attended_exhibitors_and_escaped_formulas(market):
    with translation.override("en"):
        rows = read_csv(EventExporter(Event.objects.all()).to_csv())

    assert rows[0] == ["code", "kind", "title", "start date", "end date", "region",
                       "province", "city", "city (Arabic)", "venue", "venue (Arabic)",
                       "status", "number of stands", "exhibitors (attended)"]
    assert rows[1] == ["MI-2024-SET", "itinerant market", "'=HYPERLINK(\"http://evil\")",
                       "2024-05-10", "2024-05-14", "MA-06", "", "Settat", "", "", "", "held",
                       "30", "2"]


def test_events_export_as_xlsx_writes_text_never_formulas(market):
    with translation.override("en"):
        rows = read_xlsx(EventExporter(Event.objects.all()).to_xlsx())

    title = rows[1][2]
    assert title.value == "'=HYPERLINK(\"http://evil\")"
    assert title.data_type == "s"
    assert rows[1][13].value == 2


def test_events_export_from_the_annotated_list_counts_each_exhibitor_once(
        market, national_admin, django_assert_num_queries):
    queryset = selectors.event_list(user=national_admin)

    # The events, and the catalogue's exhibitors by event in one grouped query.
    with django_assert_num_queries(2):
        rows = read_csv(EventExporter(queryset).to_csv())

    assert [r[13] for r in rows[1:]] == ["2"]


def test_events_export_is_one_query_for_many_events(casablanca_settat,
                                                   django_assert_num_queries):
    settat = Province.objects.get(code="MA-SET")
    for _ in range(5):
        ParticipationFactory(event=EventFactory(region=casablanca_settat, province=settat,
                                                 status=Event.Status.HELD),
                             status=Participation.Status.ATTENDED)

    with django_assert_num_queries(2):  # the events; their exhibitors, grouped
        rows = read_csv(EventExporter(Event.objects.all()).to_csv())

    assert len(rows) == 6
    assert {r[13] for r in rows[1:]} == {"1"}
    assert {r[6] for r in rows[1:]} == {"MA-SET"}


def test_participations_export_as_csv_without_phone_or_national_id(market):
    queryset = selectors.participation_list(event=market)

    with translation.override("en"):
        content = ParticipationExporter(queryset).to_csv()
    rows = read_csv(content)

    assert rows[0] == ["event", "organisation", "kind", "region", "person holding the stand",
                       "sex", "birth year", "status", "stand number", "checked in",
                       "declared sales (MAD)", "visitors"]
    first = next(r for r in rows if r[4] == "Khadija Tazi")
    assert first == ["MI-2024-SET", "'@SUM(1+1)", "association", "MA-06", "Khadija Tazi", "F",
                     "1985", "attended", "7", "", "1250.50", "320"]
    assert {r[7] for r in rows[1:]} == {"attended", "absent"}
    text = content.decode("utf-8-sig")
    assert "BK123456" not in text
    assert "0661234567" not in text


def test_participations_export_as_xlsx(market):
    with translation.override("en"):
        rows = read_xlsx(ParticipationExporter(Participation.objects.all()).to_xlsx())

    assert len(rows) == 4
    escaped = next(r for r in rows if r[4].value == "Khadija Tazi")[1]
    assert escaped.value == "'@SUM(1+1)"
    assert escaped.data_type == "s"


def test_participations_export_is_one_query(market, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = read_csv(ParticipationExporter(Participation.objects.all()).to_csv())

    assert len(rows) == 4


def test_the_response_is_a_download(market):
    response = EventExporter(Event.objects.all()).response("xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="events-' in response["Content-Disposition"]
    assert ParticipationExporter(Participation.objects.all()).response("csv")[
        "Content-Type"].startswith("text/csv")


def test_the_applications_of_an_event_export_to_xlsx_and_csv(client_as, casablanca_officer):
    import csv
    import io

    from openpyxl import load_workbook

    from essor.promotion.tests.factories import ApplicationFactory, EventFactory

    event = EventFactory()
    ApplicationFactory(event=event, organisation__name="=Coopérative Argana",
                       products="Amlou", first_time=True)
    ApplicationFactory(event=event, organisation__name="Association Annour Settat")
    client = client_as(casablanca_officer)
    url = f"/promotion/events/{event.pk}/applications/"

    xlsx = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    names = {r[1] for r in rows[1:]}
    assert names == {"'=Coopérative Argana", "Association Annour Settat"}

    text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 3
