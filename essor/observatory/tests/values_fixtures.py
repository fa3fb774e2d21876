"""Observatories and collected values for the tests of essor.observatory.collected."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from essor.observatory import collected
from essor.observatory.models import CollectedValue, Observatory

YEAR_START, YEAR_END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
COOPERATIVES = "observatory.census_cooperatives"
MEMBERS = "observatory.census_members"


def make_observatory(code: str, region, analysts=()) -> Observatory:
    observatory = Observatory.objects.create(code=code, name_fr=f"Observatoire {code}",
                                             name_ar=f"مرصد {code}")
    observatory.regions.set([region])
    observatory.analysts.set(analysts)
    return observatory


def make_value(observatory, region, value, *, indicator=COOPERATIVES, cells=None,
               status=CollectedValue.Status.DRAFT, province=None, start=YEAR_START,
               end=YEAR_END) -> CollectedValue:
    """A value written directly (the services are tried in test_values.py)."""
    return CollectedValue.objects.create(
        observatory=observatory, indicator_code=indicator, period_start=start,
        period_end=end, region=region, province=province, cells=cells or {},
        value=Decimal(value), status=status)


@pytest.fixture
def oriental_observatory(oriental, analyst):
    return make_observatory("oriental", oriental, [analyst])


@pytest.fixture
def casablanca_analyst(casablanca_settat):
    from essor.accounts.models import User

    user = User.objects.create_user(username="leila_analyst", password="correct horse battery",
                                    role="analyst", first_name="Leila")
    user.regions.set([casablanca_settat])
    return user


@pytest.fixture
def casablanca_observatory(casablanca_settat, casablanca_analyst):
    return make_observatory("casablanca-settat", casablanca_settat, [casablanca_analyst])


def create(observatory, region, value, by, **kwargs) -> CollectedValue:
    kwargs.setdefault("indicator_code", COOPERATIVES)
    kwargs.setdefault("period_start", YEAR_START)
    kwargs.setdefault("period_end", YEAR_END)
    return collected.value_create(observatory=observatory, region=region,
                                  value=Decimal(value), by=by, **kwargs)
