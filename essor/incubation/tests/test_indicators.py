"""Incubation's indicators on a small hand-built dataset with known answers.

CIRA-ESS (Casablanca) coaches three projects in 2025: Argane Bio (pre-creation on
2025-03-03, creation 60 days later, development after 150 more; a woman leads it with a
man), Atlas Services (dropped after 30 days) and Nour Textile (joined in 2024, in extension
since 2025-02-01, left on 2025-06-30). The Oujda incubator's project left at the end of
2024; the Marrakech incubator opens in 2026.
"""

import datetime
from decimal import Decimal

import pytest

from essor.incubation.models import FollowUp, Milestone, MilestoneReached, PhaseChange
from essor.incubation.tests.factories import (
    CohortFactory,
    HolderFactory,
    IncubatorFactory,
    ProjectFactory,
    SessionFactory,
)
from essor.observatory.catalogue import get
from essor.observatory.compute import MEDIANS_NOT_ADDITIVE, IndicatorError, records, values
from essor.registry.models import Organisation
from essor.registry.tests.factories import OrganisationFactory, PersonFactory
from essor.territory.models import Region

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR_2025 = {"date_from": D(2025, 1, 1), "date_to": D(2025, 12, 31)}
YEAR_2024 = {"date_from": D(2024, 1, 1), "date_to": D(2024, 12, 31)}


def history(project, *steps):
    """The project's phase changes after its entry: (phase, date)…; its phase follows."""
    before = project.phase
    for phase, date in steps:
        PhaseChange.objects.create(project=project, from_phase=before, to_phase=phase,
                                   date=date)
        before = phase
    project.phase, project.phase_since = before, steps[-1][1]
    project.save()


@pytest.fixture
def data(oriental, casablanca_settat, coach):
    marrakech = Region.objects.get(code="MA-07")
    cira = IncubatorFactory(code="cira-ess", name="CIRA-ESS", region=casablanca_settat,
                            opened_on=D(2022, 10, 3))
    oujda = IncubatorFactory(code="oujda", name="Incubateur de l'Université Mohammed Premier",
                             region=oriental, opened_on=D(2021, 3, 1))
    IncubatorFactory(code="marrakech", name="Incubateur FSJES Marrakech", region=marrakech,
                     opened_on=D(2026, 1, 15))
    first = CohortFactory(incubator=cira, code="cira-2024", starts_on=D(2024, 2, 5))
    second = CohortFactory(incubator=cira, code="cira-2025", starts_on=D(2025, 3, 3))

    people = {
        "fatima": PersonFactory(first_name="Fatima", last_name="Zahraoui", sex="F",
                                birth_year=1998, region=casablanca_settat),
        "ahmed": PersonFactory(first_name="Ahmed", last_name="Bennani", sex="M",
                               birth_year=1985, region=casablanca_settat),
        "youssef": PersonFactory(first_name="Youssef", last_name="Alaoui", sex="M",
                                 birth_year=1990, region=casablanca_settat),
        "khadija": PersonFactory(first_name="Khadija", last_name="Tazi", sex="F",
                                 birth_year=1970, disability=True, region=casablanca_settat),
        "driss": PersonFactory(first_name="Driss", last_name="Berrada", sex="M",
                               birth_year=1980, region=oriental),
    }

    argane = ProjectFactory(incubator=cira, cohort=second, code="argane-bio",
                            title="Argane Bio", sector=Organisation.Sector.ARGAN,
                            joined_on=D(2025, 3, 3), jobs_women=2, jobs_men=1,
                            organisation=OrganisationFactory(region=casablanca_settat,
                                                             kind="cooperative"))
    history(argane, ("creation", D(2025, 5, 2)), ("development", D(2025, 9, 29)))
    HolderFactory(project=argane, person=people["fatima"], lead=True)
    HolderFactory(project=argane, person=people["ahmed"], lead=False)
    legal = Milestone.objects.get(code="legal_creation")
    MilestoneReached.objects.create(project=argane, milestone=legal, date=D(2025, 6, 10))

    atlas = ProjectFactory(incubator=cira, cohort=second, code="atlas-services",
                           title="Atlas Services", sector=Organisation.Sector.SERVICES,
                           joined_on=D(2025, 3, 3))
    history(atlas, ("dropped", D(2025, 4, 2)))
    atlas.left_on = D(2025, 4, 2)
    atlas.save()
    HolderFactory(project=atlas, person=people["youssef"], lead=True)

    nour = ProjectFactory(incubator=cira, cohort=first, code="nour-textile",
                          title="Nour Textile", sector=Organisation.Sector.TEXTILE,
                          joined_on=D(2024, 2, 5), jobs_women=3, jobs_men=2,
                          organisation=OrganisationFactory(region=casablanca_settat,
                                                           kind="cooperative"))
    history(nour, ("creation", D(2024, 4, 5)), ("development", D(2024, 10, 2)),
            ("extension", D(2025, 2, 1)))
    nour.left_on = D(2025, 6, 30)
    nour.save()
    HolderFactory(project=nour, person=people["khadija"], lead=True)
    HolderFactory(project=nour, person=people["fatima"], lead=False)

    oriental_project = ProjectFactory(incubator=oujda, code="zitoune", title="Zitoune",
                                      sector=Organisation.Sector.AGRICULTURE,
                                      region=oriental, joined_on=D(2023, 1, 10),
                                      jobs_women=1, jobs_men=1)
    history(oriental_project, ("creation", D(2023, 6, 1)), ("development", D(2024, 1, 15)),
            ("extension", D(2024, 6, 1)))
    oriental_project.left_on = D(2024, 12, 31)
    oriental_project.save()
    HolderFactory(project=oriental_project, person=people["driss"], lead=True)

    FollowUp.objects.create(project=oriental_project, months=12, date=D(2025, 12, 20),
                            active=False)
    FollowUp.objects.create(project=nour, months=12, date=D(2026, 6, 30), active=True)
    FollowUp.objects.create(project=nour, months=24, date=D(2026, 7, 1), active=True)

    SessionFactory(project=argane, coach=coach, date=D(2025, 4, 10), duration_hours=2,
                   mode="on_site")
    SessionFactory(project=argane, coach=coach, date=D(2025, 6, 12), duration_hours="1.5",
                   mode="remote")
    SessionFactory(project=nour, coach=coach, date=D(2025, 3, 1), duration_hours=3,
                   mode="on_site")
    SessionFactory(project=atlas, coach=coach, date=D(2024, 12, 1), duration_hours=1,
                   mode="on_site")
    SessionFactory(project=oriental_project, coach=coach, date=D(2025, 2, 1), duration_hours=4,
                   mode="remote")
    return {"people": people, "argane": argane, "atlas": atlas, "nour": nour,
            "oriental_project": oriental_project}


def rows(code, by, **asked):
    return {tuple(row[c] for c in ((by,) if isinstance(by, str) else by)): row["value"]
            for row in values(code, by=by, **asked).rows}


def test_incubators_open_by_the_end_of_the_period(data):
    assert values("incubation.incubators").total == 3
    assert values("incubation.incubators", **YEAR_2025).total == 2  # Marrakech opens in 2026
    assert rows("incubation.incubators", "region", **YEAR_2025) == {("MA-02",): 1,
                                                                    ("MA-06",): 1}
    assert values("incubation.incubators", region="MA-07").total == 1


def test_projects_in_the_incubators_during_the_period(data):
    # Zitoune left on 2024-12-31: not in the incubators in 2025.
    assert values("incubation.projects", **YEAR_2025).total == 3
    assert values("incubation.projects", **YEAR_2024).total == 2  # Nour and Zitoune
    assert values("incubation.projects").total == 4
    assert values("incubation.projects", date_from=D(2025, 7, 1)).total == 1  # Argane only


def test_projects_by_their_phase_at_the_end_of_the_period(data):
    assert rows("incubation.projects", "phase", **YEAR_2025) == {
        ("development",): 1, ("extension",): 1, ("dropped",): 1}
    # At the end of 2024 Nour was in development and Zitoune in extension.
    assert rows("incubation.projects", "phase", **YEAR_2024) == {
        ("development",): 1, ("extension",): 1}
    # Mid-2025: Argane in creation, Atlas dropped, Nour in extension.
    assert rows("incubation.projects", "phase", date_from=D(2025, 1, 1),
                date_to=D(2025, 6, 1)) == {("creation",): 1, ("extension",): 1,
                                           ("dropped",): 1}


def test_projects_by_cohort_incubator_sector_and_region(data):
    assert rows("incubation.projects", "cohort", **YEAR_2025) == {("cira-2025",): 2,
                                                                  ("cira-2024",): 1}
    assert rows("incubation.projects", "incubator") == {("cira-ess",): 3, ("oujda",): 1}
    assert rows("incubation.projects", "sector", **YEAR_2025) == {
        ("argan",): 1, ("services",): 1, ("textile",): 1}
    assert rows("incubation.projects", "region") == {("MA-02",): 1, ("MA-06",): 3}
    result = values("incubation.projects", by=("cohort",))
    assert result.additive and result.total == 4
    assert {"cohort": "unknown", "value": 1} in result.rows  # Zitoune has no cohort


def test_projects_by_the_lead_holders_sex_and_age_band(data):
    # Argane has a woman and a man among its holders: it counts once, by Fatima, its lead.
    assert rows("incubation.projects", "sex", **YEAR_2025) == {("F",): 2, ("M",): 1}
    # Fatima is 27 in 2025, Youssef 35 in 2025, Khadija 54 in 2024 (Nour joined in 2024).
    assert rows("incubation.projects", "age_band", **YEAR_2025) == {
        ("25_34",): 1, ("35_54",): 2}
    assert rows("incubation.projects", ("sex", "phase"), **YEAR_2025) == {
        ("F", "development"): 1, ("F", "extension"): 1, ("M", "dropped"): 1}


def test_holders_are_distinct_people(data):
    # Fatima holds Argane and Nour: one person.
    result = values("incubation.holders", **YEAR_2025)
    assert result.total == 4
    assert rows("incubation.holders", "sex", **YEAR_2025) == {("F",): 2, ("M",): 2}
    assert rows("incubation.holders", "disability", **YEAR_2025) == {("yes",): 1, ("no",): 3}
    # The age band at the first project: Fatima 26 in 2024 (Nour), Ahmed 40, Youssef 35,
    # Khadija 54.
    assert rows("incubation.holders", "age_band", **YEAR_2025) == {
        ("25_34",): 1, ("35_54",): 3}
    assert values("incubation.holders").total == 5
    assert rows("incubation.holders", "region") == {("MA-02",): 1, ("MA-06",): 4}
    assert values("incubation.holders", region="MA-02", **YEAR_2025).total == 0


def test_coaching_hours_of_the_sessions_dated_in_the_period(data):
    assert values("incubation.coaching_hours", **YEAR_2025).total == Decimal("10.5")
    assert rows("incubation.coaching_hours", "mode", **YEAR_2025) == {
        ("on_site",): 5, ("remote",): Decimal("5.5")}
    assert rows("incubation.coaching_hours", "region", **YEAR_2025) == {
        ("MA-02",): 4, ("MA-06",): Decimal("6.5")}
    assert rows("incubation.coaching_hours", "incubator", region="MA-06") == {
        ("cira-ess",): Decimal("7.5")}
    assert get("incubation.coaching_hours").unit == "hours"


def test_organisations_created_dated_by_legal_creation_or_the_creation_phase(data):
    # Argane: its legal creation milestone, 2025-06-10; Nour (no milestone): it entered
    # creation on 2024-04-05.
    assert values("incubation.organisations_created", **YEAR_2025).total == 1
    assert values("incubation.organisations_created", **YEAR_2024).total == 1
    assert values("incubation.organisations_created").total == 2
    assert values("incubation.organisations_created", date_from=D(2025, 6, 11)).total == 0
    assert rows("incubation.organisations_created", "sector") == {("argan",): 1,
                                                                   ("textile",): 1}


def test_jobs_created_by_sex(data):
    assert values("incubation.jobs_created", **YEAR_2025).total == 8
    assert values("incubation.jobs_created_women", **YEAR_2025).total == 5
    assert values("incubation.jobs_created_men", **YEAR_2025).total == 3
    assert values("incubation.jobs_created").total == 10
    assert rows("incubation.jobs_created", "incubator") == {("cira-ess",): 8, ("oujda",): 2}


def test_survival_at_twelve_months(data):
    # Zitoune inactive at 12 months (2025-12-20), Nour active (2026-06-30); the 24-month
    # follow-up does not count.
    assert values("incubation.follow_ups_12m").total == 2
    assert values("incubation.survival_12m").total == 0.5
    assert values("incubation.survival_12m", **YEAR_2025).total == 0.0
    assert rows("incubation.survival_12m", "incubator") == {("cira-ess",): 1.0,
                                                            ("oujda",): 0.0}


def test_median_days_in_each_phase(data):
    # Stays ended in 2025: Argane 60 days in pre-creation and 150 in creation, Atlas 30 in
    # pre-creation, Nour 122 in development (2024-10-02 to 2025-02-01). Argane's stay in
    # development and Nour's in extension have not ended.
    result = values("incubation.phase_days_median", by=("phase",), **YEAR_2025)
    assert {row["phase"]: row["value"] for row in result.rows} == {
        "pre_creation": 45, "creation": 150, "development": 122}
    assert result.total == 91  # the mean of 60 and 122, the middle of four
    assert not result.additive and result.note == MEDIANS_NOT_ADDITIVE
    assert get("incubation.phase_days_median").unit == "days"
    # In 2024, Nour 60 (pre-creation) and 180 (creation), Zitoune 228 (creation, ended on
    # 2024-01-15) and 138 (development); from February, an odd number: the middle one.
    assert values("incubation.phase_days_median", **YEAR_2024).total == 159
    assert values("incubation.phase_days_median", date_from=D(2024, 2, 1),
                  date_to=D(2024, 12, 31)).total == 138
    assert values("incubation.phase_days_median", region="MA-07").total is None


def test_the_records_of_a_median_are_the_stays(data):
    stays = records(get("incubation.phase_days_median"), where={"phase": "pre_creation"},
                    **YEAR_2025)
    assert sorted(stays.values_list("project__code", flat=True)) == ["argane-bio",
                                                                      "atlas-services"]


def test_conversion_from_phase_to_phase(data):
    # Entered in 2025: Argane pre-creation (went on), creation (went on), development (not
    # yet); Atlas pre-creation (dropped).
    conversion = rows("incubation.phase_conversion", "phase", **YEAR_2025)
    assert conversion == {("pre_creation",): 0.5, ("creation",): 1.0, ("development",): 0.0}
    assert values("incubation.phase_entries", **YEAR_2025).total == 2
    assert values("incubation.phase_entries_went_on", **YEAR_2025).total == 1
    # In 2023-2024, every phase Zitoune and Nour entered was followed by the next.
    assert values("incubation.phase_conversion", date_from=D(2023, 1, 1),
                  date_to=D(2024, 12, 31)).total == 1.0


def test_a_skip_counts_as_going_on(data):
    skipper = ProjectFactory(code="saut", joined_on=D(2025, 1, 6), incubator=data[
        "argane"].incubator)
    history(skipper, ("development", D(2025, 8, 1)))
    entries = rows("incubation.phase_entries_went_on", "phase", **YEAR_2025)
    assert entries[("pre_creation",)] == 2


def test_region_scope_and_refused_breakdowns(data):
    assert values("incubation.projects", region="MA-02").total == 1
    assert values("incubation.projects", region="MA-02", **YEAR_2025).total == 0
    assert values("incubation.projects", province="MA-CAS").total == 0
    with pytest.raises(IndicatorError, match="mode"):
        values("incubation.projects", by=("mode",))


def test_a_change_of_phase_moves_the_figures(data, national_admin):
    from essor.incubation.services import project_move

    assert rows("incubation.projects", "phase") == {
        ("development",): 1, ("extension",): 2, ("dropped",): 1}
    project_move(project=data["argane"], phase="dropped", by=national_admin,
                 date=D(2026, 2, 2), reason="Les porteuses ont trouvé un emploi.")
    assert rows("incubation.projects", "phase") == {("extension",): 2, ("dropped",): 2}


def test_each_figure_is_one_grouped_query(data, django_assert_num_queries):
    from essor.incubation.figures import incubation_figures
    from essor.observatory.compute import values_many

    with django_assert_num_queries(2):  # the incubators, the projects by phase
        figures = incubation_figures(**YEAR_2025)
    assert figures == {"incubators": 2, "projects": 3,
                       "projects_by_phase": {"pre_creation": 0, "creation": 0,
                                             "development": 1, "extension": 1}}
    with django_assert_num_queries(1):  # the projects and their jobs, together
        values_many([("incubation.projects", ("incubator",)),
                     ("incubation.jobs_created", ("incubator",)),
                     ("incubation.jobs_created_women", ("incubator",))])
    with django_assert_num_queries(2):  # a median: the rows, then the total
        values("incubation.phase_days_median", by=("phase",))


NEW = ["incubation.incubators", "incubation.projects", "incubation.holders",
       "incubation.coaching_hours", "incubation.organisations_created",
       "incubation.jobs_created", "incubation.jobs_created_women", "incubation.survival_12m",
       "incubation.phase_days_median", "incubation.phase_conversion",
       "programme.people_reached", "programme.people_reached_all_measures"]


@pytest.mark.parametrize("code", NEW)
def test_the_observatorys_pages_show_each_new_figure(data, client_as, national_admin,
                                                     analyst, code):
    from django.urls import reverse

    from essor.observatory.dashboards import chart_indicators

    item = get(code)
    first = next(iter(item.breakdowns))
    for user in (national_admin, analyst):
        client = client_as(user)
        api = client.get(reverse("indicator-values", args=[code]), {"by": first})
        assert api.status_code == 200, (code, user)
        assert api.json()["total"] == values(code, by=(first,), user=user).total
        assert client.get(reverse("observatory:drilldown", args=[code])).status_code == 200
        if item in chart_indicators():
            page = client.get(reverse("observatory:dashboard"), {"indicator": code})
            assert page.status_code == 200, (code, user)
    # The people behind a figure, for the staff who may see names; never a coaching note.
    listed = client_as(national_admin).get(reverse("observatory:drilldown", args=[code]))
    assert "Notes confidentielles" not in listed.content.decode()
