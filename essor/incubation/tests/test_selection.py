"""The selection's ranking on hand-made applications: each criterion's points, the sector
balance one place at a time, the top N proposed; and the board of one call (only
confirmed applications ranked, the selected ones taking places)."""

import datetime

import pytest
from django.utils import timezone

from essor.incubation import selection
from essor.incubation.models import Application, ApplicationHolder
from essor.incubation.selection import Entry, Holder, Rules, rank
from essor.registry.tests.factories import PersonFactory

from .factories import CallFactory, IncubatorFactory

WOMAN_30 = Holder(sex="F", birth_year=1995)
WOMAN_50 = Holder(sex="F", birth_year=1975)
MAN_30 = Holder(sex="M", birth_year=1995)
MAN_50 = Holder(sex="M", birth_year=1975)
MAN_50_DISABLED = Holder(sex="M", birth_year=1975, disability=True)
YEAR = 2025


def test_rules_fall_back_to_their_defaults():
    assert Rules.from_json({}) == Rules()
    rules = Rules.from_json({"women": "4.5", "young": "x", "disability": -1, "home_region": 0})
    assert (rules.women, rules.young, rules.disability, rules.home_region) == (4.5, 3, 2, 0)
    assert Rules.from_json(None) == Rules()
    assert Rules(women=4.5).to_json() == {"women": 4.5, "young": 3, "disability": 2,
                                          "home_region": 1, "sector_balance": 2}


def test_each_criterion_gives_its_points():
    rules = Rules(women=3, young=4, disability=2, home_region=1, sector_balance=0)
    entry = Entry(key=1, holders=(WOMAN_30, MAN_50_DISABLED, WOMAN_50, MAN_30),
                  region="MA-06", sector="crafts")

    points = selection.fixed_points(entry, rules, year=YEAR, home_region="MA-06")

    # 2 women of 4 holders; 2 of 4 under 35 in 2025; a disability; the incubator's region.
    assert points == {"women": 1.5, "young": 2.0, "disability": 2, "home_region": 1}
    assert selection.fixed_points(entry, rules, year=YEAR, home_region="MA-02")[
        "home_region"] == 0


def test_a_holder_turning_35_in_the_year_of_the_call_is_not_young():
    entry = Entry(key=1, holders=(Holder(sex="M", birth_year=1990),))
    assert entry.young(2024) == 1 and entry.young(2025) == 0


def test_the_ranking_orders_by_score_and_shows_each_criterion():
    rules = Rules(women=3, young=2, disability=2, home_region=1, sector_balance=0)
    entries = [
        Entry(key=1, order=1, holders=(MAN_50,), region="MA-02", sector="crafts"),
        Entry(key=2, order=2, holders=(WOMAN_30,), region="MA-06", sector="crafts"),
        Entry(key=3, order=3, holders=(WOMAN_50, MAN_50_DISABLED), region="MA-06",
              sector="crafts"),
    ]

    ranked = rank(entries, rules=rules, year=YEAR, places=2, home_region="MA-06")

    assert [(r.entry.key, r.total) for r in ranked] == [(2, 6.0), (3, 4.5), (1, 0.0)]
    assert ranked[1].points == {"women": 1.5, "young": 0.0, "disability": 2.0,
                                "home_region": 1.0, "sector_balance": 0.0}
    assert [r.proposed for r in ranked] == [True, True, False]
    assert [r.position for r in ranked] == [1, 2, 3]


def test_the_sector_balance_lifts_an_under_represented_sector():
    """Two crafts projects score 3 each, an agriculture project 2 (two women of three
    holders): with the sector balance, once a crafts project is ranked first the
    agriculture one (no project of its sector yet) comes before the second crafts one."""
    rules = Rules(women=3, young=0, disability=0, home_region=0, sector_balance=2)
    entries = [
        Entry(key=1, order=1, holders=(WOMAN_50,), sector="crafts"),
        Entry(key=2, order=2, holders=(WOMAN_50,), sector="crafts"),
        Entry(key=3, order=3, holders=(WOMAN_50, WOMAN_50, MAN_50), sector="agriculture"),
    ]

    ranked = rank(entries, rules=rules, year=YEAR, places=2)

    assert [r.entry.key for r in ranked] == [1, 3, 2]
    assert [r.points["sector_balance"] for r in ranked] == [2.0, 2.0, 1.0]
    assert [r.total for r in ranked] == [5.0, 4.0, 4.0]
    assert [r.proposed for r in ranked] == [True, True, False]


def test_the_projects_already_selected_count_in_the_sector_balance():
    rules = Rules(women=0, young=0, disability=0, home_region=0, sector_balance=2)
    selected = [Entry(key=10, sector="crafts"), Entry(key=11, sector="crafts")]
    entries = [Entry(key=1, order=1, sector="crafts"), Entry(key=2, order=2, sector="argan")]

    ranked = rank(entries, selected=selected, rules=rules, year=YEAR, places=1)

    assert [(r.entry.key, r.total, r.proposed) for r in ranked] == [(2, 2.0, True),
                                                                     (1, 0.67, False)]


def test_ties_go_to_the_earlier_application():
    rules = Rules()
    entries = [Entry(key=5, order=9, holders=(WOMAN_30,), sector="crafts"),
               Entry(key=6, order=4, holders=(WOMAN_30,), sector="crafts")]
    assert [r.entry.key for r in rank(entries, rules=rules, year=YEAR, places=1)] == [6, 5]


def test_no_place_left_proposes_nothing():
    ranked = rank([Entry(key=1, sector="crafts")], rules=Rules(), year=YEAR, places=0)
    assert len(ranked) == 1 and not ranked[0].proposed


def test_the_shares_of_the_cohort():
    entries = [Entry(key=1, holders=(WOMAN_30, MAN_50)),
               Entry(key=2, holders=(WOMAN_50, MAN_50_DISABLED), sector="argan")]
    found = selection.shares(entries, year=YEAR)
    assert (found.projects, found.holders, found.women, found.young, found.disability) == (
        2, 4, 2, 1, 1)
    assert found.women_share == 0.5 and found.young_share == 0.25


@pytest.mark.django_db
def test_the_board_ranks_the_confirmed_applications_only(casablanca_settat, oriental):
    today = timezone.localdate()
    call = CallFactory(incubator=IncubatorFactory(region=casablanca_settat), places=3,
                       opens_on=today - datetime.timedelta(days=3),
                       closes_on=today + datetime.timedelta(days=3))
    now = timezone.now()

    def application(title, region, people, *, confirmed=True, status="submitted"):
        made = Application.objects.create(
            call=call, title=title, summary="…", sector="crafts", region=region,
            email="porteur@essor.invalid", status=status,
            email_confirmed_at=now if confirmed else None)
        for index, (sex, born) in enumerate(people):
            ApplicationHolder.objects.create(
                application=made, lead=index == 0,
                person=PersonFactory(sex=sex, birth_year=born, region=region))
        return made

    first = application("Coopérative Argan Settat", casablanca_settat,
                        [("F", today.year - 25)])
    second = application("Atelier Oujda", oriental, [("M", today.year - 50)])
    application("Non confirmé", casablanca_settat, [("F", today.year - 25)], confirmed=False)
    application("Déjà retenu", casablanca_settat, [("M", today.year - 40)],
                status="selected")

    board = selection.board(call)

    assert [r.entry.key for r in board.ranking] == [first.pk, second.pk]
    assert board.taken == 1 and board.places == 2 and board.unconfirmed == 1
    assert [r.entry.key for r in board.proposed] == [first.pk, second.pk]
    assert board.ranking[0].points["women"] == 3 and board.ranking[0].points["young"] == 3
    assert board.ranking[0].points["home_region"] == 1
    assert board.ranking[1].points["home_region"] == 0
    assert board.before.holders == 1 and board.after.holders == 3
    assert selection.points_of(call, first) == (board.ranking[0].points,
                                                board.ranking[0].total)
