"""`essor report --format json [--from] [--to] [--region]` on small hand-made records."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from essor.promotion.models import Event, Participation
from essor.promotion.tests.factories import EventFactory, ParticipationFactory
from essor.registry.tests.factories import PersonFactory
from essor.reports.management.commands.report import Command

pytestmark = pytest.mark.django_db

KINDS = ["national_fair", "regional_fair", "itinerant_market"]
FIGURES = {"events", "exhibitors", "women_exhibitors", "women_share"}
ATTENDED, ABSENT, CANCELLED = (Participation.Status.ATTENDED, Participation.Status.ABSENT,
                               Participation.Status.CANCELLED)


def report(*args) -> dict:
    out = StringIO()
    call_command("report", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def exhibitors(event, *sexes, status=ATTENDED):
    for sex in sexes:
        ParticipationFactory(event=event, status=status,
                             holder=PersonFactory(sex=sex, region=event.region))


def held(kind, start, region, **extra):
    return EventFactory(kind=kind, start_date=start,
                        end_date=start + datetime.timedelta(days=4), region=region,
                        status=extra.pop("status", Event.Status.HELD), **extra)


@pytest.fixture
def records(oriental, casablanca_settat):
    """Held events in two regions and three years, and what must not count."""
    national = held(Event.Kind.NATIONAL_FAIR, datetime.date(2024, 5, 1), casablanca_settat,
                    code="SN-2024-01", status=Event.Status.CLOSED)
    exhibitors(national, "F", "F", "M")
    exhibitors(national, "F", status=ABSENT)
    exhibitors(national, "F", "M", status=CANCELLED)
    exhibitors(national, "F", status=Participation.Status.REGISTERED)

    regional = held(Event.Kind.REGIONAL_FAIR, datetime.date(2023, 3, 10), oriental,
                    code="SR-MA02-2023-1")
    exhibitors(regional, "F", "M")

    # Starts in 2023, ends in 2024: it belongs to 2023.
    straddling = held(Event.Kind.ITINERANT_MARKET, datetime.date(2023, 12, 29), oriental,
                      code="MI-MA02-2023-01")
    exhibitors(straddling, "M")
    # Starts on the last day of 2024, ends in 2025: it belongs to 2024.
    new_year = held(Event.Kind.ITINERANT_MARKET, datetime.date(2024, 12, 31),
                    casablanca_settat, code="MI-MA06-2024-01")
    exhibitors(new_year, "F", "F", "F")

    # Not held (yet): never counted, whatever their participations say.
    for status in (Event.Status.PLANNED, Event.Status.OPEN, Event.Status.SELECTION):
        upcoming = held(Event.Kind.ITINERANT_MARKET, datetime.date(2024, 6, 1), oriental,
                        status=status, code=f"MI-MA02-2024-{status}")
        exhibitors(upcoming, "F")


def test_the_json_has_exactly_the_documented_shape(records):
    printed = report()

    assert {"period", "scope", "promotion", "training"} <= set(printed)
    assert printed["period"] == {"from": None, "to": None}
    assert printed["scope"] == "national"
    assert set(printed["promotion"]) == set(KINDS)
    for kind in KINDS:
        assert set(printed["promotion"][kind]) == FIGURES
    assert printed["promotion"] == {
        "national_fair": {"events": 1, "exhibitors": 3, "women_exhibitors": 2,
                          "women_share": 2 / 3},
        "regional_fair": {"events": 1, "exhibitors": 2, "women_exhibitors": 1,
                          "women_share": 0.5},
        "itinerant_market": {"events": 2, "exhibitors": 4, "women_exhibitors": 3,
                             "women_share": 0.75},
    }


def test_the_period_is_printed_as_given(records):
    printed = report("--from", "2024-01-01", "--to", "2024-12-31")

    assert printed["period"] == {"from": "2024-01-01", "to": "2024-12-31"}


def test_shares_are_unrounded_fractions(records):
    share = report()["promotion"]["national_fair"]["women_share"]

    assert share == 2 / 3
    assert share != round(share, 4)
    assert isinstance(share, float)


def test_a_kind_without_exhibitors_has_no_share(oriental):
    held(Event.Kind.REGIONAL_FAIR, datetime.date(2024, 3, 1), oriental)

    figures = report()["promotion"]

    assert figures["regional_fair"] == {"events": 1, "exhibitors": 0, "women_exhibitors": 0,
                                        "women_share": None}
    assert figures["national_fair"] == {"events": 0, "exhibitors": 0, "women_exhibitors": 0,
                                        "women_share": None}


def test_planned_events_and_absent_or_cancelled_participations_do_not_count(records):
    markets = report()["promotion"]["itinerant_market"]
    national = report()["promotion"]["national_fair"]

    # Three upcoming markets with an "attended" participation each: none of them counts.
    assert Event.objects.filter(kind=Event.Kind.ITINERANT_MARKET).count() == 5
    assert markets["events"] == 2 and markets["exhibitors"] == 4
    # Seven participations at the national fair, three of them attended.
    assert Participation.objects.filter(event__code="SN-2024-01").count() == 7
    assert national["exhibitors"] == 3 and national["women_exhibitors"] == 2


def test_from_and_to_filter_on_the_events_start_date(records):
    year_2024 = report("--from", "2024-01-01", "--to", "2024-12-31")["promotion"]
    year_2023 = report("--from", "2023-01-01", "--to", "2023-12-31")["promotion"]
    since_2024 = report("--from", "2024-01-01")["promotion"]
    until_2023 = report("--to", "2023-12-31")["promotion"]

    assert year_2024["national_fair"]["events"] == 1
    assert year_2024["regional_fair"] == {"events": 0, "exhibitors": 0,
                                          "women_exhibitors": 0, "women_share": None}
    assert year_2024["itinerant_market"] == {"events": 1, "exhibitors": 3,
                                             "women_exhibitors": 3, "women_share": 1.0}
    assert year_2023["itinerant_market"] == {"events": 1, "exhibitors": 1,
                                             "women_exhibitors": 0, "women_share": 0.0}
    assert year_2023["regional_fair"]["events"] == 1
    assert year_2023["national_fair"]["events"] == 0
    assert since_2024 == year_2024
    assert until_2023 == year_2023
    # A one-day period catches the event starting that day.
    one_day = report("--from", "2024-12-31", "--to", "2024-12-31")["promotion"]
    assert one_day["itinerant_market"]["events"] == 1
    assert one_day["national_fair"]["events"] == 0


def test_region_filters_and_names_the_scope(records):
    printed = report("--region", "MA-02")

    assert printed["scope"] == "MA-02"
    assert printed["promotion"] == {
        "national_fair": {"events": 0, "exhibitors": 0, "women_exhibitors": 0,
                          "women_share": None},
        "regional_fair": {"events": 1, "exhibitors": 2, "women_exhibitors": 1,
                          "women_share": 0.5},
        "itinerant_market": {"events": 1, "exhibitors": 1, "women_exhibitors": 0,
                             "women_share": 0.0},
    }
    casablanca = report("--region", " ma-06 ", "--from", "2024-01-01")
    assert casablanca["scope"] == "MA-06"
    assert casablanca["promotion"]["national_fair"]["exhibitors"] == 3
    assert casablanca["promotion"]["itinerant_market"]["exhibitors"] == 3
    assert casablanca["promotion"]["regional_fair"]["events"] == 0


@pytest.mark.parametrize("args, message", [
    (["--from", "2024-13-01"], "YYYY-MM-DD: 2024-13-01"),
    (["--to", "31/12/2024"], "YYYY-MM-DD: 31/12/2024"),
    (["--from", "yesterday"], "YYYY-MM-DD: yesterday"),
    (["--region", "MA-99"], "MA-99"),
    (["--region", "Oriental"], "Oriental"),
    (["--from", "2025-01-01", "--to", "2024-12-31"], "--to"),
])
def test_bad_input_is_a_clear_command_error(records, args, message):
    with translation.override("en"), pytest.raises(CommandError, match=message):
        report(*args)


@pytest.mark.parametrize("args, message", [
    (["--from", "2024-02-30"], "YYYY-MM-DD: 2024-02-30"),
    (["--region", "MA-99"], "MA-99"),
    (["--from", "2025-01-01", "--to", "2024-12-31"], "--to"),
])
def test_on_the_command_line_bad_input_prints_one_line_without_a_traceback(
        oriental, args, message, capsys, monkeypatch):
    # run_from_argv closes the connections when it is done; keep the test's open.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    command = Command()

    with translation.override("en"), pytest.raises(SystemExit) as exit_:
        command.run_from_argv(["essor", "report", "--skip-checks", "--format", "json",
                               *args])

    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("CommandError: ") and message in captured.err
    assert "Traceback" not in captured.err
    assert captured.err.strip().count("\n") == 0


@pytest.fixture
def incubated(records, casablanca_settat, oriental):
    """CIRA-ESS (Casablanca) with a project in each phase in 2024, one dropped; the Oujda
    incubator with none. A woman who exhibited at the 2024 national fair holds a project."""
    from essor.incubation.models import PhaseChange
    from essor.incubation.tests.factories import (
        HolderFactory,
        IncubatorFactory,
        ProjectFactory,
    )

    cira = IncubatorFactory(code="cira-ess", name="CIRA-ESS", region=casablanca_settat)
    IncubatorFactory(code="oujda", region=oriental)
    exhibitor = Participation.objects.filter(event__code="SN-2024-01", status=ATTENDED,
                                             holder__sex="F").first().holder
    phases = ["pre_creation", "creation", "creation", "development", "extension", "dropped"]
    for index, phase in enumerate(phases):
        project = ProjectFactory(incubator=cira, code=f"projet-{index}",
                                 joined_on=datetime.date(2024, 2, 5))
        if phase != "pre_creation":
            PhaseChange.objects.create(project=project, from_phase="pre_creation",
                                       to_phase=phase, date=datetime.date(2024, 9, 2))
            project.phase = phase
            project.save()
        if index == 0:
            HolderFactory(project=project, person=exhibitor)
        else:
            HolderFactory(project=project)


def test_the_json_has_incubation_and_the_people_reached(incubated):
    printed = report("--from", "2024-01-01", "--to", "2024-12-31")
    assert {"period", "scope", "promotion", "training", "incubation", "programme"} <= set(
        printed)
    assert printed["incubation"] == {
        "incubators": 2, "projects": 6,
        "projects_by_phase": {"pre_creation": 1, "creation": 2, "development": 1,
                              "extension": 1}}
    # 2024's exhibitors: 3 at the national fair, 3 at the new year's market; 6 holders,
    # one of them an exhibitor.
    assert printed["programme"] == {"people_reached": 11, "fair_and_workshop": 0,
                                    "workshop_and_incubator": 0, "fair_and_incubator": 1,
                                    "all_three": 0}


def test_the_incubation_figures_follow_the_region(incubated):
    oriental = report("--region", "MA-02")
    assert oriental["incubation"] == {
        "incubators": 1, "projects": 0,
        "projects_by_phase": {"pre_creation": 0, "creation": 0, "development": 0,
                              "extension": 0}}
    assert report("--region", "MA-06")["incubation"]["projects"] == 6
    # Before the projects joined, none was in the incubator.
    assert report("--to", "2024-01-31")["incubation"]["projects"] == 0


def test_the_report_reads_the_catalogue(incubated):
    from essor.incubation.figures import incubation_figures
    from essor.observatory.compute import values

    figures = incubation_figures()
    assert figures["projects"] == values("incubation.projects").total
    assert figures["projects_by_phase"]["creation"] == next(
        row["value"] for row in values("incubation.projects", by=("phase",)).rows
        if row["phase"] == "creation")
