"""Selection of exhibitors: a transparent, configurable ranking of an event's applications.

Each application earns points on named criteria, with weights stored on the event
(``Event.selection_rules``) and editable by the staff who run it:

- *women-led*: the person holding the stand is a woman, or the organisation has more
  women members than men;
- *youth-led*: the person holding the stand is under 35 in the year of the event;
- *first-time exhibitor*;
- *sector balance*: weight × (1 − share of the organisation's sector among the
  organisations accepted so far), so that under-represented sectors come first;
- *region quota* (national fairs): no region may hold more than a given share of the
  stands; an application over the quota is ranked after the others and not proposed.

The ranking is built one place at a time: each place goes to the highest score, counting
as accepted the organisations already accepted and those ranked above. The top N (N =
free stands) are what "accept the top N" accepts, and what the preview of the shares
shows before anyone decides.

The functions of the first part are pure (plain data in, plain data out) so that tests
can rank hand-made applications; ``board`` at the end reads one event's records.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from essor.core.definitions import YOUNG_AGE, is_young, share

YOUTH_AGE = YOUNG_AGE  # shown on the selection page

# criterion → (label, how its points are computed)
CRITERIA = {
    "women_led": (_("Women-led"),
                  _("The person holding the stand is a woman, or the organisation has more "
                    "women members than men.")),
    "youth_led": (_("Youth-led"),
                  _("The person holding the stand is under 35 in the year of the event.")),
    "first_time": (_("First-time exhibitor"),
                   _("The organisation has never exhibited at a fair or market before.")),
    "sector_balance": (_("Sector balance"),
                       _("Weight × (1 − share of the organisation's sector among the "
                         "organisations accepted so far, or ranked above).")),
}
WEIGHTS = tuple(CRITERIA)


@dataclass(frozen=True)
class Rules:
    """The weights of the criteria, and the region quota (a percent, or None)."""

    women_led: float = 3
    youth_led: float = 2
    first_time: float = 2
    sector_balance: float = 2
    region_quota: int | None = None

    @classmethod
    def defaults(cls, *, national: bool) -> Rules:
        return cls(region_quota=20 if national else None)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None, *, national: bool) -> Rules:
        """Stored rules over the defaults; a malformed value falls back to its default."""
        base = cls.defaults(national=national)
        values: dict[str, Any] = {}
        data = data if isinstance(data, dict) else {}
        for name in WEIGHTS:
            try:
                values[name] = max(0.0, float(data[name]))
            except (KeyError, TypeError, ValueError):
                values[name] = getattr(base, name)
        quota = data.get("region_quota", base.region_quota)
        try:
            quota = int(quota) if quota not in (None, "") else None
        except (TypeError, ValueError):
            quota = base.region_quota
        if quota is not None and not 1 <= quota <= 100:
            quota = base.region_quota
        if not national:
            quota = None  # a quota between regions only makes sense where every region comes
        return cls(**values, region_quota=quota)

    def to_json(self) -> dict[str, Any]:
        return {**{name: _plain(getattr(self, name)) for name in WEIGHTS},
                "region_quota": self.region_quota}

    def weight(self, criterion: str) -> float:
        return getattr(self, criterion)


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class Entry:
    """What the criteria look at in one application (or one accepted participation)."""

    key: int
    order: int = 0  # tie-break: the earlier application first
    woman_holder: bool = False
    women_majority: bool = False
    birth_year: int | None = None
    first_time: bool = False
    sector: str = ""
    region: str = ""
    has_holder: bool = True

    @property
    def women_led(self) -> bool:
        return self.woman_holder or self.women_majority

    def young(self, year: int) -> bool:
        return is_young(self.birth_year, year)


def fixed_points(entry: Entry, rules: Rules, *, year: int) -> dict[str, float]:
    """The points that do not depend on the other applications."""
    return {
        "women_led": rules.women_led if entry.women_led else 0.0,
        "youth_led": rules.youth_led if entry.young(year) else 0.0,
        "first_time": rules.first_time if entry.first_time else 0.0,
    }


def sector_points(sector: str, counts: Counter, total: int, rules: Rules) -> float:
    """Weight × (1 − the sector's share among those accepted so far)."""
    if not total:
        return float(rules.sector_balance)
    return rules.sector_balance * (1 - counts[sector] / total)


def region_cap(rules: Rules, capacity: int) -> int | None:
    """How many stands one region may hold at most, or None without a quota."""
    if rules.region_quota is None or capacity <= 0:
        return None
    return max(1, math.floor(rules.region_quota * capacity / 100))


@dataclass
class Ranked:
    entry: Entry
    position: int
    points: dict[str, float]
    total: float
    selected: bool = False  # among the top N that "accept the top N" would accept
    blocked: str = ""  # why it cannot be proposed: "quota" or "holder"


def _rounded(points: dict[str, float]) -> tuple[dict[str, float], float]:
    points = {k: round(v, 2) for k, v in points.items()}
    return points, round(sum(points.values()), 2)


def rank(candidates: Iterable[Entry], *, accepted: Sequence[Entry] = (), rules: Rules,
         year: int, places: int, capacity: int = 0) -> list[Ranked]:
    """Candidates in ranking order, each with its points per criterion.

    ``accepted`` are the organisations already holding a place; ``places`` how many more
    can be accepted (the top ``places`` eligible candidates are marked ``selected``);
    ``capacity`` the event's number of stands, on which the region quota is counted.
    """
    sectors = Counter(e.sector for e in accepted)
    regions = Counter(e.region for e in accepted)
    total = len(accepted)
    cap = region_cap(rules, capacity)
    fixed = {e.key: fixed_points(e, rules, year=year) for e in candidates}
    pool = sorted({e.key: e for e in candidates}.values(),
                  key=lambda e: (-round(sum(fixed[e.key].values()), 6), e.order, e.key))
    queues: dict[str, deque[Entry]] = {}
    for entry in pool:
        queues.setdefault(entry.sector, deque()).append(entry)

    ranked: list[Ranked] = []
    blocked: list[Ranked] = []

    def block(entry: Entry, reason: str) -> None:
        points, score = _rounded({**fixed[entry.key],
                                  "sector_balance": sector_points(entry.sector, sectors,
                                                                  total, rules)})
        blocked.append(Ranked(entry, 0, points, score, blocked=reason))

    while True:
        best: tuple[tuple, Entry, float] | None = None
        for sector, queue in queues.items():
            while queue and (not queue[0].has_holder
                             or (cap is not None and regions[queue[0].region] >= cap)):
                head = queue.popleft()
                block(head, "holder" if not head.has_holder else "quota")
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
                             selected=len(ranked) < places))
        sectors[entry.sector] += 1
        regions[entry.region] += 1
        total += 1

    for item in blocked:
        item.position = len(ranked) + 1
        ranked.append(item)
    return ranked


@dataclass
class Shares:
    """Who the accepted exhibitors would be: counts and shares."""

    count: int = 0
    women: int = 0
    youth: int = 0
    first_time: int = 0
    regions: list[str] = field(default_factory=list)
    sectors: list[tuple[str, int]] = field(default_factory=list)

    def _share(self, n: int) -> float | None:
        return share(n, self.count)

    @property
    def women_share(self) -> float | None:
        return self._share(self.women)

    @property
    def youth_share(self) -> float | None:
        return self._share(self.youth)

    @property
    def first_time_share(self) -> float | None:
        return self._share(self.first_time)


def shares(entries: Iterable[Entry], *, year: int) -> Shares:
    """Women (the stand holder is a woman: the report's definition), youth, first-time
    exhibitors, regions represented and sectors, among ``entries``."""
    entries = list(entries)
    sectors = Counter(e.sector for e in entries)
    return Shares(
        count=len(entries),
        women=sum(e.woman_holder for e in entries),
        youth=sum(e.young(year) for e in entries),
        first_time=sum(e.first_time for e in entries),
        regions=sorted({e.region for e in entries if e.region}),
        sectors=sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0])),
    )


# -- from the database ------------------------------------------------------------------------


def entry_from_application(application) -> Entry:
    """An application (with its organisation, region and holder loaded) as an Entry."""
    organisation, holder = application.organisation, application.holder
    return Entry(
        key=application.pk,
        order=application.pk,
        woman_holder=holder is not None and holder.sex == "F",
        women_majority=(organisation.members_women or 0) > (organisation.members_men or 0),
        birth_year=holder.birth_year if holder is not None else None,
        first_time=application.first_time,
        sector=organisation.sector,
        region=organisation.region.code,
        has_holder=holder is not None,
    )


def entry_from_participation(participation) -> Entry:
    organisation, holder = participation.organisation, participation.holder
    application = participation.application
    return Entry(
        key=participation.pk,
        woman_holder=holder.sex == "F",
        women_majority=(organisation.members_women or 0) > (organisation.members_men or 0),
        birth_year=holder.birth_year,
        first_time=bool(application and application.first_time),
        sector=organisation.sector,
        region=organisation.region.code,
    )


def rules_for(event) -> Rules:
    return Rules.from_json(event.selection_rules,
                           national=event.kind == event.Kind.NATIONAL_FAIR)


CANDIDATE_STATUSES = ("submitted", "shortlisted", "waitlisted")


@dataclass
class Board:
    """Everything the selection page shows, for one event."""

    rules: Rules
    ranking: list[Ranked]
    applications: dict[int, Any]
    places: int
    taken: int
    before: Shares
    after: Shares

    @property
    def proposed(self) -> list[Ranked]:
        return [r for r in self.ranking if r.selected]


def board(event) -> Board:
    """Rank the event's open applications against its accepted exhibitors (3 queries)."""
    from .models import Application, Participation

    applications = {a.pk: a for a in Application.objects.filter(
        event=event, status__in=CANDIDATE_STATUSES).select_related(
        "organisation", "organisation__region", "holder")}
    accepted = [entry_from_participation(p) for p in Participation.objects.filter(
        event=event).exclude(status=Participation.Status.CANCELLED).select_related(
        "organisation", "organisation__region", "holder", "application")]
    rules = rules_for(event)
    year = event.start_date.year
    places = max(0, event.stands - len(accepted))
    ranking = rank([entry_from_application(a) for a in applications.values()],
                   accepted=accepted, rules=rules, year=year, places=places,
                   capacity=event.stands)
    return Board(rules=rules, ranking=ranking, applications=applications, places=places,
                 taken=len(accepted), before=shares(accepted, year=year),
                 after=shares([*accepted, *(r.entry for r in ranking if r.selected)],
                              year=year))
