"""The programme's shared definitions of who is counted how, written once.

Every figure that speaks of young people or of a share uses these, so that a selection
page, an event's summary and the activity report cannot disagree. (The observatory's
indicator catalogue will be built over them.)
"""

from __future__ import annotations

from django.db.models import F, Q
from django.db.models.functions import ExtractYear

# Young: under 35 in the year of the activity (people are recorded by birth year only).
YOUNG_AGE = 35


def is_young(birth_year: int | None, activity_year: int) -> bool:
    """Under 35 in ``activity_year``; unknown birth years are not counted as young."""
    return birth_year is not None and activity_year - birth_year < YOUNG_AGE


def young_q(birth_year: str, *, activity_date: str | None = None,
            activity_year: int | None = None) -> Q:
    """A filter for people under 35 in the year of the activity.

    ``birth_year`` is the lookup path to the person's birth year (``"holder__birth_year"``);
    the activity's year comes either from a date field of each row (``activity_date``,
    ``"event__start_date"``), so that a period spanning several years counts each
    activity in its own year, or from one known year (``activity_year``).
    """
    if (activity_date is None) == (activity_year is None):
        raise TypeError("Give activity_date or activity_year, not both.")
    if activity_date is not None:
        return Q(**{f"{birth_year}__gt": ExtractYear(F(activity_date)) - YOUNG_AGE})
    assert activity_year is not None
    return Q(**{f"{birth_year}__gt": activity_year - YOUNG_AGE})


def share(part: int | None, whole: int | None) -> float | None:
    """``part`` among ``whole`` as an unrounded fraction; None when there is no whole.

    The women's share of exhibitors is ``share(women exhibitors, exhibitors)``, the women's
    participation rate ``share(women beneficiaries, beneficiaries)``: rounding belongs to
    the typography of the page or report that shows it.
    """
    if not whole:
        return None
    return (part or 0) / whole
