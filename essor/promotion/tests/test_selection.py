"""The selection criteria, on hand-made applications: points, ranking, quota, shares."""

import pytest

from essor.promotion import selection
from essor.promotion.selection import Entry, Rules, rank, shares

YEAR = 2025
PLAIN = Rules(women_led=3, youth_led=2, first_time=2, sector_balance=0)


def _entry(key, **values):
    values.setdefault("sector", "crafts")
    values.setdefault("region", "MA-06")
    values.setdefault("birth_year", 1970)
    return Entry(key=key, order=key, **values)


def _order(ranking):
    return [r.entry.key for r in ranking]


# -- the criteria -----------------------------------------------------------------------------

@pytest.mark.parametrize(("entry", "women_led"), [
    (_entry(1, woman_holder=True), True),
    (_entry(2, women_majority=True), True),  # a man holds the stand of a women's cooperative
    (_entry(3), False),
])
def test_women_led_is_a_woman_holder_or_a_women_majority(entry, women_led):
    points = selection.fixed_points(entry, PLAIN, year=YEAR)

    assert points["women_led"] == (3 if women_led else 0)


@pytest.mark.parametrize(("birth_year", "young"), [
    (YEAR - 20, True), (YEAR - 34, True), (YEAR - 35, False), (YEAR - 60, False), (None, False),
])
def test_youth_led_means_under_35_in_the_year_of_the_event(birth_year, young):
    points = selection.fixed_points(_entry(1, birth_year=birth_year), PLAIN, year=YEAR)

    assert points["youth_led"] == (2 if young else 0)


def test_each_application_shows_its_points_per_criterion_and_their_sum():
    entry = _entry(1, woman_holder=True, birth_year=YEAR - 25, first_time=True)

    [ranked] = rank([entry], rules=Rules(women_led=3, youth_led=2, first_time=1.5,
                                         sector_balance=1), year=YEAR, places=1)

    assert ranked.points == {"women_led": 3, "youth_led": 2, "first_time": 1.5,
                             "sector_balance": 1}
    assert ranked.total == sum(ranked.points.values()) == 7.5
    assert ranked.selected and ranked.position == 1


# -- the ranking ------------------------------------------------------------------------------

def test_higher_scores_come_first_and_ties_keep_the_order_of_application():
    entries = [_entry(1), _entry(2, first_time=True), _entry(3, woman_holder=True),
               _entry(4, woman_holder=True), _entry(5, woman_holder=True, first_time=True)]

    ranking = rank(entries, rules=PLAIN, year=YEAR, places=2)

    assert _order(ranking) == [5, 3, 4, 2, 1]
    assert [r.total for r in ranking] == [5, 3, 3, 2, 0]
    assert [r.selected for r in ranking] == [True, True, False, False, False]


def test_the_weights_change_the_ranking():
    young_man = _entry(1, birth_year=YEAR - 24)
    older_woman = _entry(2, woman_holder=True)
    entries = [young_man, older_woman]

    women_first = rank(entries, rules=Rules(women_led=3, youth_led=1, first_time=0,
                                            sector_balance=0), year=YEAR, places=1)
    youth_first = rank(entries, rules=Rules(women_led=1, youth_led=3, first_time=0,
                                            sector_balance=0), year=YEAR, places=1)

    assert _order(women_first) == [2, 1]
    assert _order(youth_first) == [1, 2]


def test_sector_balance_favours_sectors_under_represented_among_the_accepted():
    accepted = [_entry(100, sector="crafts"), _entry(101, sector="crafts"),
                _entry(102, sector="textile")]
    crafts = _entry(1, sector="crafts")
    argan = _entry(2, sector="argan")
    textile = _entry(3, sector="textile")
    rules = Rules(women_led=0, youth_led=0, first_time=0, sector_balance=3)

    ranking = rank([crafts, argan, textile], accepted=accepted, rules=rules, year=YEAR,
                   places=3)

    # argan: 0 of 3 accepted → 3 points; then textile: 1 of 4 → 2.25; crafts: 2 of 5 → 1.8
    assert _order(ranking) == [2, 3, 1]
    assert [r.points["sector_balance"] for r in ranking] == [3, 2.25, 1.8]


def test_sector_balance_counts_those_ranked_above_as_accepted():
    entries = [_entry(1, sector="crafts"), _entry(2, sector="crafts"),
               _entry(3, sector="textile")]
    rules = Rules(women_led=0, youth_led=0, first_time=0, sector_balance=2)

    ranking = rank(entries, rules=rules, year=YEAR, places=3)

    # nobody accepted yet: everyone gets 2; after crafts #1, textile (2) beats crafts (0)
    assert _order(ranking) == [1, 3, 2]
    assert [r.points["sector_balance"] for r in ranking] == [2, 2, 1]


def test_the_region_quota_keeps_a_region_under_its_share_of_the_stands():
    rules = Rules(women_led=3, youth_led=0, first_time=0, sector_balance=0, region_quota=20)
    casablanca = [_entry(k, woman_holder=True, region="MA-06") for k in (1, 2, 3)]
    oriental = [_entry(k, region="MA-02") for k in (4, 5)]

    ranking = rank([*casablanca, *oriental], rules=rules, year=YEAR, places=4, capacity=10)

    assert selection.region_cap(rules, 10) == 2
    assert _order(ranking) == [1, 2, 4, 5, 3]
    last = ranking[-1]
    assert last.blocked == "quota" and not last.selected
    assert [r.selected for r in ranking] == [True, True, True, True, False]


def test_already_accepted_exhibitors_count_in_the_quota():
    rules = Rules(region_quota=10)
    accepted = [_entry(100, region="MA-06")]

    ranking = rank([_entry(1, region="MA-06"), _entry(2, region="MA-02")], accepted=accepted,
                   rules=rules, year=YEAR, places=5, capacity=10)

    assert _order(ranking) == [2, 1]
    assert ranking[1].blocked == "quota"


def test_an_application_without_a_stand_holder_is_ranked_last_and_never_proposed():
    ranking = rank([_entry(1, woman_holder=True, has_holder=False), _entry(2)],
                   rules=PLAIN, year=YEAR, places=2)

    assert _order(ranking) == [2, 1]
    assert ranking[1].blocked == "holder" and not ranking[1].selected


def test_no_free_stand_proposes_nobody():
    ranking = rank([_entry(1), _entry(2)], rules=PLAIN, year=YEAR, places=0)

    assert not any(r.selected for r in ranking)


# -- shares -----------------------------------------------------------------------------------

def test_shares_of_women_youth_first_timers_regions_and_sectors():
    entries = [
        _entry(1, woman_holder=True, birth_year=YEAR - 30, first_time=True, region="MA-06"),
        _entry(2, woman_holder=True, region="MA-02", sector="argan"),
        _entry(3, women_majority=True, birth_year=YEAR - 20, region="MA-06"),
        _entry(4, region="MA-09", sector="argan"),
    ]

    result = shares(entries, year=YEAR)

    # Women are counted as the report counts them: the stand holder is a woman.
    assert (result.count, result.women, result.youth, result.first_time) == (4, 2, 2, 1)
    assert result.women_share == 0.5 and result.youth_share == 0.5
    assert result.first_time_share == 0.25
    assert result.regions == ["MA-02", "MA-06", "MA-09"]
    assert result.sectors == [("argan", 2), ("crafts", 2)]


def test_shares_of_nobody_are_unknown_not_zero():
    result = shares([], year=YEAR)

    assert result.count == 0 and result.women_share is None


# -- stored rules -----------------------------------------------------------------------------

def test_rules_fall_back_to_defaults_and_a_quota_is_for_national_fairs_only():
    assert Rules.from_json({}, national=True) == Rules.defaults(national=True)
    assert Rules.defaults(national=True).region_quota == 20
    assert Rules.from_json({"region_quota": 30}, national=False).region_quota is None
    odd = Rules.from_json({"women_led": "lots", "youth_led": -4, "region_quota": 400},
                          national=True)
    assert odd.women_led == Rules().women_led
    assert odd.youth_led == 0
    assert odd.region_quota == 20


def test_rules_survive_a_round_trip_through_json():
    rules = Rules(women_led=4, youth_led=1.5, first_time=0, sector_balance=2, region_quota=25)

    assert Rules.from_json(rules.to_json(), national=True) == rules
    assert rules.to_json() == {"women_led": 4, "youth_led": 1.5, "first_time": 0,
                               "sector_balance": 2, "region_quota": 25}


# -- from the records -------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_board_ranks_open_applications_against_the_accepted_exhibitors(
        django_assert_num_queries):
    from essor.promotion.tests.factories import (
        ApplicationFactory,
        EventFactory,
        ParticipationFactory,
    )
    from essor.registry.tests.factories import PersonFactory

    event = EventFactory(stands=3, selection_rules={"women_led": 5, "youth_led": 0,
                                                    "first_time": 1, "sector_balance": 0})
    ParticipationFactory(event=event)
    man = ApplicationFactory(event=event, first_time=True,
                             holder=PersonFactory(sex="M", first_name="Ahmed"))
    woman = ApplicationFactory(event=event)
    ApplicationFactory(event=event, status="rejected")
    third = ApplicationFactory(event=event, status="waitlisted",
                               holder=PersonFactory(sex="M", first_name="Said"))

    with django_assert_num_queries(2):
        board = selection.board(event)

    assert (board.places, board.taken) == (2, 1)
    assert _order(board.ranking) == [woman.pk, man.pk, third.pk]
    assert [r.entry.key for r in board.proposed] == [woman.pk, man.pk]
    assert board.after.count == 3 and board.after.women == 2
