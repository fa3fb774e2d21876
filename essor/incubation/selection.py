"""Selection into a cohort: a transparent, configurable ranking of a call's applications,
in the way of the exhibitors' selection (``essor.promotion.selection``).

Each confirmed application earns points on named criteria, with weights stored on the
call (``Call.selection_rules``) and editable by the staff who run it:

- *women holders*: weight × the share of the project's holders who are women;
- *young holders*: weight × the share of its holders under 35 in the year of the call
  (``essor.core.definitions``);
- *holders with disabilities*: the weight when at least one holder has a disability;
- *incubator's region*: the weight when the project is in the incubator's region;
- *sector balance*: weight × (1 − share of the project's sector among the projects
  selected so far, or ranked above), so that under-represented sectors come first.

The ranking is built one place at a time: each place goes to the highest score, counting
as selected the projects already selected and those ranked above. The top N (N = the
call's places not taken yet) are what "select the top N" selects. Only applications
whose e-mail is confirmed are ranked.

The functions of the first part are pure (plain data in, plain data out) so that tests
rank hand-made applications; ``board`` at the end reads one call's records.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from essor.core.definitions import YOUNG_AGE, is_young, share

# criterion → (label, how its points are computed)
CRITERIA = {
    "women": (_("Women holders"),
              _("Weight × the share of the project's holders who are women.")),
    "young": (_("Young holders"),
              _("Weight × the share of the project's holders under 35 in the year of the "
                "call.")),
    "disability": (_("Holders with disabilities"),
                   _("The weight when at least one holder has a disability.")),
    "home_region": (_("Incubator's region"),
                    _("The weight when the project is in the incubator's region.")),
    "sector_balance": (_("Sector balance"),
                       _("Weight × (1 − share of the project's sector among the projects "
                         "selected so far, or ranked above).")),
}
WEIGHTS = tuple(CRITERIA)
FIXED = ("women", "young", "disability", "home_region")
YOUTH_AGE = YOUNG_AGE  # shown on the selection page


@dataclass(frozen=True)
class Rules:
    """The weights of the criteria (points)."""

    women: float = 3
    young: float = 3
    disability: float = 2
    home_region: float = 1
    sector_balance: float = 2

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Rules:
        """Stored weights over the defaults; a malformed or negative value falls back to
        its default."""
        base = cls()
        data = data if isinstance(data, dict) else {}
        values: dict[str, float] = {}
        for name in WEIGHTS:
            try:
                value = float(data[name])
            except (KeyError, TypeError, ValueError):
                value = getattr(base, name)
            values[name] = value if value >= 0 else getattr(base, name)
        return cls(**values)

    def to_json(self) -> dict[str, float | int]:
        return {name: _plain(getattr(self, name)) for name in WEIGHTS}

    def weight(self, criterion: str) -> float:
        return getattr(self, criterion)


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class Holder:
    """What the criteria look at in one holder."""

    sex: str = ""
    birth_year: int | None = None
    disability: bool = False


@dataclass(frozen=True)
class Entry:
    """What the criteria look at in one application (or one selected project)."""

    key: int
    order: int = 0  # tie-break: the earlier application first
    holders: tuple[Holder, ...] = ()
    sector: str = ""
    region: str = ""

    @property
    def count(self) -> int:
        return len(self.holders)

    @property
    def women(self) -> int:
        return sum(h.sex == "F" for h in self.holders)

    def young(self, year: int) -> int:
        return sum(is_young(h.birth_year, year) for h in self.holders)

    @property
    def disability(self) -> bool:
        return any(h.disability for h in self.holders)


def fixed_points(entry: Entry, rules: Rules, *, year: int, home_region: str) -> dict[str, float]:
    """The points that do not depend on the other applications."""
    return {
        "women": rules.women * (share(entry.women, entry.count) or 0.0),
        "young": rules.young * (share(entry.young(year), entry.count) or 0.0),
        "disability": rules.disability if entry.disability else 0.0,
        "home_region": rules.home_region if entry.region and entry.region == home_region
        else 0.0,
    }


def sector_points(sector: str, counts: Counter, total: int, rules: Rules) -> float:
    """Weight × (1 − the sector's share among those selected so far)."""
    if not total:
        return float(rules.sector_balance)
    return rules.sector_balance * (1 - counts[sector] / total)


@dataclass
class Ranked:
    entry: Entry
    position: int
    points: dict[str, float]
    total: float
    proposed: bool = False  # among the top N that "select the top N" would select


def _rounded(points: dict[str, float]) -> tuple[dict[str, float], float]:
    points = {k: round(v, 2) for k, v in points.items()}
    return points, round(sum(points.values()), 2)


def rank(candidates: Iterable[Entry], *, selected: Sequence[Entry] = (), rules: Rules,
         year: int, places: int, home_region: str = "") -> list[Ranked]:
    """Candidates in ranking order, each with its points per criterion.

    ``selected`` are the projects already holding a place; ``places`` how many more can
    be selected (the top ``places`` candidates are marked ``proposed``); ``home_region``
    the incubator's region code.
    """
    sectors = Counter(e.sector for e in selected)
    total = len(selected)
    candidates = list({e.key: e for e in candidates}.values())
    fixed = {e.key: fixed_points(e, rules, year=year, home_region=home_region)
             for e in candidates}
    pool = sorted(candidates, key=lambda e: (-round(sum(fixed[e.key].values()), 6),
                                             e.order, e.key))
    queues: dict[str, deque[Entry]] = {}
    for entry in pool:
        queues.setdefault(entry.sector, deque()).append(entry)

    ranked: list[Ranked] = []
    while True:
        best: tuple[tuple, Entry, float] | None = None
        for sector, queue in queues.items():
            if not queue:
                continue
            head = queue[0]
            bonus = sector_points(sector, sectors, total, rules)
            key = (-round(sum(fixed[head.key].values()) + bonus, 6), head.order, head.key)
            if best is None or key < best[0]:
                best = (key, head, bonus)
        if best is None:
            break
        _key, entry, bonus = best
        queues[entry.sector].popleft()
        points, score = _rounded({**fixed[entry.key], "sector_balance": bonus})
        ranked.append(Ranked(entry, len(ranked) + 1, points, score,
                             proposed=len(ranked) < places))
        sectors[entry.sector] += 1
        total += 1
    return ranked


@dataclass
class Shares:
    """Who the cohort's holders would be: counts and shares."""

    projects: int = 0
    holders: int = 0
    women: int = 0
    young: int = 0
    disability: int = 0
    sectors: list[tuple[str, int]] = field(default_factory=list)

    @property
    def women_share(self) -> float | None:
        return share(self.women, self.holders)

    @property
    def young_share(self) -> float | None:
        return share(self.young, self.holders)


def shares(entries: Iterable[Entry], *, year: int) -> Shares:
    entries = list(entries)
    sectors = Counter(e.sector for e in entries)
    return Shares(projects=len(entries), holders=sum(e.count for e in entries),
                  women=sum(e.women for e in entries),
                  young=sum(e.young(year) for e in entries),
                  disability=sum(e.disability for e in entries),
                  sectors=sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0])))


# -- from the database ------------------------------------------------------------------------

def entry_from_application(application) -> Entry:
    """An application (its region and its holders' people prefetched) as an Entry."""
    return Entry(
        key=application.pk, order=application.pk,
        holders=tuple(Holder(sex=h.person.sex, birth_year=h.person.birth_year,
                             disability=h.person.disability)
                      for h in application.holders.all()),
        sector=application.sector, region=application.region.code)


def rules_for(call) -> Rules:
    return Rules.from_json(call.selection_rules)


@dataclass
class Board:
    """Everything the selection page shows, for one call."""

    rules: Rules
    ranking: list[Ranked]
    applications: dict[int, Any]
    places: int
    taken: int
    unconfirmed: int
    before: Shares
    after: Shares

    @property
    def proposed(self) -> list[Ranked]:
        return [r for r in self.ranking if r.proposed]


def board(call) -> Board:
    """Rank the call's confirmed, undecided applications against its selected ones."""
    from .models import Application

    applications = list(Application.objects.filter(call=call).select_related("region")
                        .prefetch_related("holders__person"))
    waiting = {a.pk: a for a in applications if a.status == Application.Status.SUBMITTED
               and a.email_confirmed_at is not None}
    selected = [entry_from_application(a) for a in applications
                if a.status == Application.Status.SELECTED]
    unconfirmed = sum(1 for a in applications if a.status == Application.Status.SUBMITTED
                      and a.email_confirmed_at is None)
    rules = rules_for(call)
    year = call.opens_on.year
    places = max(0, call.places - len(selected))
    ranking = rank([entry_from_application(a) for a in waiting.values()], selected=selected,
                   rules=rules, year=year, places=places,
                   home_region=call.incubator.region.code)
    return Board(rules=rules, ranking=ranking, applications=waiting, places=places,
                 taken=len(selected), unconfirmed=unconfirmed,
                 before=shares(selected, year=year),
                 after=shares([*selected, *(r.entry for r in ranking if r.proposed)],
                              year=year))


def points_of(call, application) -> tuple[dict[str, float], float] | None:
    """The points and score the current ranking gives ``application`` (None when it is
    not ranked: unconfirmed or decided)."""
    for ranked in board(call).ranking:
        if ranked.entry.key == application.pk:
            return ranked.points, ranked.total
    return None
