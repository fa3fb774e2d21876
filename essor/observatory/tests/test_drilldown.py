"""The drill-down: every value links to the records it counts, their number the value;
scoped to the reader; an analyst sees counts down to the last breakdown, never names."""

import datetime
import re

import pytest
from django.urls import reverse

from essor.observatory.compute import values
from essor.observatory.drilldown import drilldown
from essor.observatory.links import drilldown_url, result_url
from essor.promotion.models import Event, Participation
from essor.promotion.tests.factories import EventFactory, ParticipationFactory
from essor.registry.tests.factories import PersonFactory
from essor.training.models import Workshop
from essor.training.tests.factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

HELD = Workshop.Status.HELD


@pytest.fixture
def training(oriental, casablanca_settat):
    """Two workshops in Casablanca-Settat and one in the Oriental: Fatima came to two
    (counted once among the beneficiaries), Khadija and Ahmed to one each, Samira enrolled
    but did not come."""
    fatima = PersonFactory(first_name="Fatima", last_name="Alaoui", sex="F", birth_year=1999,
                           phone="0661234567", national_id="BK123456")
    khadija = PersonFactory(first_name="Khadija", last_name="Bennani", sex="F",
                            birth_year=1970)
    ahmed = PersonFactory(first_name="Ahmed", last_name="Tazi", sex="M", birth_year=None,
                          region=oriental)
    samira = PersonFactory(first_name="Samira", last_name="Idrissi", sex="F")
    first = WorkshopFactory(status=HELD, region=casablanca_settat,
                            date=datetime.date(2025, 3, 2))
    second = WorkshopFactory(status=HELD, region=casablanca_settat,
                             date=datetime.date(2025, 6, 9))
    oujda = WorkshopFactory(status=HELD, region=oriental, date=datetime.date(2025, 4, 4))
    for workshop, person in ((first, fatima), (second, fatima), (first, khadija),
                             (oujda, ahmed)):
        EnrolmentFactory(workshop=workshop, person=person, attended=True)
    EnrolmentFactory(workshop=second, person=samira, attended=False)
    return {"fatima": fatima, "khadija": khadija, "ahmed": ahmed, "samira": samira}


def listed_names(response):
    return set(re.findall(r'<td><a href="/registry/people/\d+/">([^<]+)</a></td>',
                          response.content.decode()))


def shown_value(response):
    found = re.search(r'id="drilldown-value">(.*?)</div>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>|\s", "", found.group(1))


def test_the_records_listed_are_the_value_counted(training, national_admin):
    found = drilldown("training.beneficiaries", user=national_admin)
    assert found.result.total == 3
    assert found.counted == "distinct"
    assert found.records.count() == 3
    assert set(found.records) == {training["fatima"], training["khadija"], training["ahmed"]}

    women = drilldown("training.beneficiaries", user=national_admin, cells={"sex": "F"})
    assert women.result.total == women.records.count() == 2

    attendances = drilldown("training.attendances", user=national_admin)
    assert attendances.result.total == attendances.records.count() == 4


def test_every_breakdown_cell_drills_down_to_its_count(training, national_admin):
    for by in ("sex", "age_band", "region", "theme"):
        result = values("training.beneficiaries", by=(by,))
        for row in result.rows:
            found = drilldown("training.beneficiaries", user=national_admin,
                              cells={by: row[by]})
            assert found.records.count() == row["value"], (by, row)


def test_the_unknown_row_drills_down_to_its_people(training, national_admin):
    found = drilldown("training.beneficiaries", user=national_admin,
                      cells={"age_band": "unknown"})
    assert list(found.records) == [training["ahmed"]]


def test_the_page_lists_names_for_managers_and_the_count_matches(training, client_as,
                                                                 national_admin):
    response = client_as(national_admin).get(
        drilldown_url("training.beneficiaries", cells={"sex": "F"}))
    assert response.status_code == 200
    assert listed_names(response) == {"Fatima Alaoui", "Khadija Bennani"}
    assert shown_value(response) == "2"


def test_a_regional_officer_sees_only_their_regions_records(training, client_as,
                                                            oriental_officer):
    client = client_as(oriental_officer)
    response = client.get(drilldown_url("training.beneficiaries"))
    assert listed_names(response) == {"Ahmed Tazi"}
    # Another region's figure is not there for them.
    assert client.get(drilldown_url("training.beneficiaries",
                                    region="MA-06")).status_code == 404
    assert client.get(drilldown_url("training.beneficiaries",
                                    province="MA-CAS")).status_code == 404


def test_an_analyst_gets_counts_down_to_the_last_breakdown_never_names(
        training, client_as, analyst, casablanca_settat):
    analyst.regions.add(casablanca_settat)
    found = drilldown("training.beneficiaries", user=analyst)
    assert found.records is None
    assert {split.by[0] for split in found.splits} == set(found.indicator.breakdowns)
    by_sex = next(s for s in found.splits if s.by == ("sex",))
    assert {r["sex"]: r["value"] for r in by_sex.rows} == {"F": 2, "M": 1}

    response = client_as(analyst).get(drilldown_url("training.beneficiaries"))
    text = response.content.decode()
    assert response.status_code == 200
    for secret in ("Fatima", "Alaoui", "Khadija", "Ahmed", "0661234567", "BK123456",
                   "/registry/people/"):
        assert secret not in text
    # Each count is itself a drill-down, one breakdown further.
    assert drilldown_url("training.beneficiaries", cells={"sex": "F"}).replace(
        "&", "&amp;") in text


def test_a_share_drills_down_to_its_numerator_and_denominator(training, client_as,
                                                              national_admin):
    response = client_as(national_admin).get(
        drilldown_url("training.women_beneficiaries_share"))
    text = response.content.decode()
    assert response.status_code == 200
    assert drilldown_url("training.women_beneficiaries") in text
    assert drilldown_url("training.beneficiaries") in text


def test_exhibitors_drill_down_to_attended_participations_of_held_events(
        national_admin, casablanca_settat):
    held = EventFactory(status=Event.Status.HELD, region=casablanca_settat,
                        kind=Event.Kind.REGIONAL_FAIR)
    still_open = EventFactory(status=Event.Status.OPEN, region=casablanca_settat)
    counted = ParticipationFactory(event=held, status=Participation.Status.ATTENDED)
    ParticipationFactory(event=held, status=Participation.Status.ABSENT)
    ParticipationFactory(event=still_open, status=Participation.Status.ATTENDED)
    found = drilldown("promotion.exhibitors", user=national_admin,
                      cells={"event_kind": "regional_fair"})
    assert list(found.records) == [counted]
    assert found.result.total == 1


def test_bad_input_is_named_and_an_unknown_indicator_is_not_found(client_as, national_admin):
    client = client_as(national_admin)
    response = client.get(reverse("observatory:drilldown", args=["training.beneficiaries"]),
                          {"from": "2025-13-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "2025-13-01" in response.content.decode()
    response = client.get(drilldown_url("training.beneficiaries", cells={"colour": "blue"}),
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "colour" in response.content.decode()
    assert client.get(reverse("observatory:drilldown", args=["training.nothing"])
                      ).status_code == 404


def test_result_url_carries_the_period_scope_and_cell(training):
    result = values("training.beneficiaries", by=("sex",), region="MA-06",
                    date_from=datetime.date(2025, 1, 1), date_to=datetime.date(2025, 12, 31))
    url = result_url(result, result.rows[0])
    assert url.startswith(reverse("observatory:drilldown", args=["training.beneficiaries"]))
    for part in ("from=2025-01-01", "to=2025-12-31", "region=MA-06", "sex=F"):
        assert part in url


def test_the_listing_costs_few_queries(training, client_as, national_admin,
                                       django_assert_max_num_queries):
    client = client_as(national_admin)
    client.get(drilldown_url("training.attendances"))
    with django_assert_max_num_queries(12):
        response = client.get(drilldown_url("training.attendances"))
    assert response.status_code == 200
