"""``programme.people_reached``: distinct people reached by any measure, with the overlaps,
on a small hand-built dataset.

In 2025: a national fair in Casablanca, workshops in Casablanca and Oujda, a CIRA-ESS
project. Amina came to the fair and a workshop; Said to a workshop and the incubator; Nadia
to the fair and the incubator; Hafsa to all three; Omar to the fair only, Laila to a
workshop only. Zineb was recorded twice (a workshop, a project) until her records were
merged. Rachid's participation was cancelled and his enrolment absent; Karim exhibited
at a 2024 market in Oriental.
"""

import datetime

import pytest

from essor.incubation.tests.factories import HolderFactory, IncubatorFactory, ProjectFactory
from essor.observatory.catalogue import get
from essor.observatory.compute import IndicatorError, records, values
from essor.observatory.programme import programme_figures
from essor.promotion.models import Event, Participation
from essor.promotion.tests.factories import EventFactory, ParticipationFactory
from essor.registry.services import person_merge
from essor.registry.tests.factories import PersonFactory
from essor.training.models import Workshop
from essor.training.tests.factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR_2025 = {"date_from": D(2025, 1, 1), "date_to": D(2025, 12, 31)}
ATTENDED = Participation.Status.ATTENDED


@pytest.fixture
def reached(oriental, casablanca_settat):
    def someone(first, last, sex, region=casablanca_settat):
        return PersonFactory(first_name=first, last_name=last, sex=sex, region=region)

    p = {
        "amina": someone("Amina", "Idrissi", "F"),
        "said": someone("Said", "Lahlou", "M", oriental),
        "nadia": someone("Nadia", "Chraibi", "F"),
        "hafsa": someone("Hafsa", "Ouazzani", "F"),
        "omar": someone("Omar", "Fassi", "M"),
        "laila": someone("Laila", "Benjelloun", "F"),
        "zineb": someone("Zineb", "Amrani", "F", oriental),
        "zineb_again": someone("Zineb", "Amrani", "F", oriental),
        "rachid": someone("Rachid", "Kettani", "M"),
        "karim": someone("Karim", "Sqalli", "M", oriental),
    }
    fair = EventFactory(kind=Event.Kind.NATIONAL_FAIR, status=Event.Status.HELD,
                        code="SN-2025-01", start_date=D(2025, 5, 10), end_date=D(2025, 5, 14),
                        region=casablanca_settat)
    for name in ("amina", "nadia", "hafsa", "omar"):
        ParticipationFactory(event=fair, holder=p[name], status=ATTENDED)
    ParticipationFactory(event=fair, holder=p["rachid"], status=Participation.Status.CANCELLED)
    market = EventFactory(kind=Event.Kind.ITINERANT_MARKET, status=Event.Status.CLOSED,
                          code="MI-MA02-2024-01", start_date=D(2024, 6, 1),
                          end_date=D(2024, 6, 3), region=oriental)
    ParticipationFactory(event=market, holder=p["karim"], status=ATTENDED)

    casablanca = WorkshopFactory(status=Workshop.Status.HELD, date=D(2025, 3, 15),
                                 region=casablanca_settat)
    oujda = WorkshopFactory(status=Workshop.Status.CLOSED, date=D(2025, 6, 1), region=oriental,
                            code="AT-MA02-2025-001")
    for workshop, names in ((casablanca, ("amina", "laila")),
                            (oujda, ("said", "hafsa", "zineb"))):
        for name in names:
            EnrolmentFactory(workshop=workshop, person=p[name], attended=True)
    EnrolmentFactory(workshop=casablanca, person=p["rachid"], attended=False)

    cira = IncubatorFactory(code="cira-ess", name="CIRA-ESS", region=casablanca_settat)
    for code, names in (("argane", ("said", "nadia")), ("nour", ("hafsa",)),
                        ("tafilalet", ("zineb_again",))):
        project = ProjectFactory(incubator=cira, code=code, joined_on=D(2025, 3, 3))
        for index, name in enumerate(names):
            HolderFactory(project=project, person=p[name], lead=index == 0)
    return p


def test_people_reached_counts_each_person_once(reached):
    # Zineb's two records are two people until they are merged.
    assert values("programme.people_reached", **YEAR_2025).total == 8
    assert values("programme.people_reached").total == 9  # Karim, in 2024


def test_a_merged_duplicate_counts_once(reached, national_admin):
    person_merge(keep=reached["zineb"], drop=reached["zineb_again"], by=national_admin)
    assert values("programme.people_reached", **YEAR_2025).total == 7
    assert {row["measures"]: row["value"] for row in values(
        "programme.people_reached", by=("measures",), **YEAR_2025).rows} == {
        "fair": 1, "workshop": 1, "fair_workshop": 1, "fair_incubator": 1,
        "workshop_incubator": 2, "fair_workshop_incubator": 1}


def test_the_overlaps(reached, national_admin):
    person_merge(keep=reached["zineb"], drop=reached["zineb_again"], by=national_admin)
    assert programme_figures(**YEAR_2025) == {
        "people_reached": 7, "fair_and_workshop": 2, "workshop_and_incubator": 3,
        "fair_and_incubator": 2, "all_three": 1}
    result = values("programme.people_reached", by=("measures",), **YEAR_2025)
    assert result.additive and sum(row["value"] for row in result.rows) == result.total


def test_a_cancelled_participation_or_an_absence_reaches_nobody(reached):
    counted = records(get("programme.people_reached"))
    assert not counted.filter(pk=reached["rachid"].pk).exists()
    assert counted.filter(pk=reached["karim"].pk).exists()


def test_by_the_persons_sex(reached):
    assert {row["sex"]: row["value"] for row in values(
        "programme.people_reached", by=("sex",), **YEAR_2025).rows} == {"F": 6, "M": 2}


def test_each_measure_in_its_own_region(reached, national_admin):
    person_merge(keep=reached["zineb"], drop=reached["zineb_again"], by=national_admin)
    # In Oriental: the Oujda workshop only (the fair and CIRA-ESS are in Casablanca-Settat).
    oriental = values("programme.people_reached", by=("measures",), region="MA-02",
                      **YEAR_2025)
    assert oriental.total == 3
    assert oriental.rows == [{"measures": "workshop", "value": 3}]
    # In Casablanca-Settat: Hafsa came to the fair and CIRA-ESS, Said and Zineb to CIRA-ESS.
    casablanca = values("programme.people_reached", by=("measures",), region="MA-06",
                        **YEAR_2025)
    assert casablanca.total == 7
    assert {row["measures"]: row["value"] for row in casablanca.rows} == {
        "fair": 1, "workshop": 1, "incubator": 2, "fair_workshop": 1, "fair_incubator": 2}
    assert programme_figures(region=oriental.scope.region, **YEAR_2025)["all_three"] == 0


def test_a_users_regions_scope_every_measure(reached, oriental_officer):
    assert values("programme.people_reached", user=oriental_officer, **YEAR_2025).total == 3
    assert values("programme.people_reached", user=oriental_officer).total == 4  # Karim


def test_the_drilldown_lists_the_people(reached, national_admin):
    from essor.observatory.drilldown import drilldown

    found = drilldown("programme.people_reached", user=national_admin,
                      cells={"measures": "fair_workshop"}, **YEAR_2025)
    assert found.result.total == 1
    assert found.records is not None
    assert [person.first_name for person in found.records] == ["Amina"]


def test_a_province_outside_the_region_is_refused(reached):
    with pytest.raises(IndicatorError, match="MA-OUJ"):
        values("programme.people_reached", region="MA-06", province="MA-OUJ")


def test_the_people_reached_and_their_overlaps_are_one_query(reached,
                                                              django_assert_num_queries):
    with django_assert_num_queries(1):
        figures = programme_figures(**YEAR_2025)
    assert figures["people_reached"] == 8
    with django_assert_num_queries(2):  # the region's code, then the grouped count
        values("programme.people_reached", by=("measures",), region="MA-06")
