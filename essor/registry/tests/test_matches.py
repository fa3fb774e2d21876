"""The possible duplicates page: every candidate pair counted, filtered by region,
paginated, in a constant number of queries."""

import itertools
import random
import re

import pytest

from essor.core import normalise
from essor.registry import selectors
from essor.registry.tests.factories import PersonFactory
from essor.territory.models import Region

pytestmark = pytest.mark.django_db

CONSONANTS = "bcdfgjklmnpqrstvwz"
# Each consonant three times: two of these names are at least three letters apart.
NAMES = [f"{a}a{a}i{a}o{b}u{b}e{b}".capitalize()
         for a, b in itertools.product(CONSONANTS, repeat=2)]


def make_pairs(n, region="MA-06", start=0):
    """``n`` pairs of records of one person each (same name, same phone), no pair near
    another."""
    region = Region.objects.get(code=region)
    for i in range(start, start + n):
        phone = normalise.phone_canonical(f"07{i:08d}")
        for _ in range(2):
            PersonFactory(first_name="Touda", last_name=NAMES[i], phone=phone, region=region,
                          birth_year=1950 + i % 50)


def matches(client, query=""):
    response = client.get(f"/registry/people/matches/{query}")
    assert response.status_code == 200
    return response


def test_every_pair_is_counted_and_pages_of_50_are_shown(client_as, national_admin):
    make_pairs(60)

    first = matches(client_as(national_admin))
    second = matches(client_as(national_admin), "?page=2")

    assert first.context["page"].paginator.count == 60
    assert re.search(r'id="match-count">(<[^>]+>)*60<', first.content.decode())
    assert len(first.context["candidates"]) == 50
    assert len(second.context["candidates"]) == 10
    shown = {(c.a.pk, c.b.pk) for r in (first, second) for c in r.context["candidates"]}
    assert len(shown) == 60  # no pair on both pages
    assert all({"same_name", "same_phone"} <= set(c.reasons)
               for c in first.context["candidates"])


def test_more_than_the_old_limit_of_200_are_counted(national_admin):
    make_pairs(210)

    assert len(selectors.person_match_pairs(user=national_admin)) == 210


def test_a_national_role_filters_by_region(client_as, national_admin):
    make_pairs(3, "MA-06")
    make_pairs(2, "MA-02", start=3)
    client = client_as(national_admin)

    assert matches(client).context["page"].paginator.count == 5
    oriental = matches(client, "?region=MA-02")
    assert oriental.context["page"].paginator.count == 2
    assert {c.a.region.code for c in oriental.context["candidates"]} == {"MA-02"}
    html = oriental.content.decode()
    assert 'id="match-filter"' in html
    assert '<option value="MA-02" selected>' in html


def test_a_regional_officer_sees_only_their_region(client_as, casablanca_officer):
    make_pairs(3, "MA-06")
    make_pairs(2, "MA-02", start=3)
    client = client_as(casablanca_officer)

    response = matches(client)
    assert response.context["page"].paginator.count == 3
    assert 'id="match-filter"' not in response.content.decode()  # one region: no select
    # another region asked for in the address is not theirs: ignored
    assert matches(client, "?region=MA-02").context["page"].paginator.count == 3


@pytest.mark.parametrize("pairs", [5, 60])
def test_the_page_s_queries_do_not_grow_with_the_pairs(client_as, national_admin,
                                                       django_assert_num_queries, pairs):
    make_pairs(pairs)
    client = client_as(national_admin)
    matches(client)
    # session, user, regions of the select, 2 block queries (phone, name sound), the
    # pairs set aside, the page's people
    with django_assert_num_queries(7):
        matches(client)


def test_the_banded_distance_agrees_with_the_full_one():
    rng = random.Random(8)
    words = ["benali", "benaly", "bennali", "zerouali", "zeroali", "ouali", "", "a", "ab"]
    words += ["".join(rng.choice("abn") for _ in range(rng.randint(0, 9))) for _ in range(300)]
    for a in words:
        for b in words[:60]:
            assert selectors._within_two_edits(a, b) == (
                normalise.levenshtein(a, b, limit=2) <= 2), (a, b)


def test_the_quick_decision_agrees_with_the_reasons(national_admin):
    people = [PersonFactory(first_name=first, last_name=last, birth_year=y, phone=p)
              for first, last, y, p in [("Fatima", "Benali", 1990, "0611111111"),
                                 ("Fatima", "Benaly", 1990, "0622222222"),
                                 ("Fatima", "Bennali", 1980, "0633333333"),
                                 ("فاطمة", "بنعلي", 1970, "0611111111"),
                                 ("Fatima", "Benali", 1971, "0644444444"),
                                 ("Youssef", "Amrani", 1990, "0611111111")]]
    for a, b in itertools.combinations(people, 2):
        keys = [selectors._Keys(p.pk, p.phone_key, p.name_skeleton, p.name_key,
                                p.birth_year) for p in (a, b)]
        assert selectors._near(*keys) == selectors._is_near(selectors._reasons(a, b)), (
            a, b)
