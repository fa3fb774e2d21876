"""Demo fairs and itinerant markets, calibrated to the programme's seed report.

``essor demo`` calls :func:`load` after the registry demo. It adds the events the seed
report counts ("Mesures d'appui — Promotion et valorisation"):

* 8 national fairs with 3,231 exhibitors, 1,680 of them women (52 %);
* 26 regional fairs with 3,871 exhibitors, 2,245 of them women (58 %);
* 50 itinerant markets with 3,321 exhibitors, 2,159 of them women (65 %);

where an exhibitor is an *attended* participation of a held (or closed) event and a woman
exhibitor one whose stand holder is a woman. The generator decides who holds each stand,
so the figures computed from the records are exactly those. On top of them come a few
absent and cancelled participations (which the figures leave out) and a few upcoming events
of 2027 with applications, for the selection pages (which the figures leave out too).

Everything is drawn from the ``rng`` passed in, over querysets ordered by primary key, so
the same seed gives the same records. With a registry too small for the seed's event sizes
(one participation per organisation per event), organisations and people are reused
across events and, only where an event cannot be that big, a kind's totals are scaled down
proportionally.
"""

from __future__ import annotations

import datetime
import math
import random
from decimal import Decimal

from django.utils import timezone

from essor.core.codes import CODE_ALPHABET
from essor.registry.models import Membership, Organisation, Person
from essor.territory.models import Province, Region

from .models import BADGE_CODE_LENGTH, Application, Event, Participation, Satisfaction, Stand

# -- the seed's figures ------------------------------------------------------------------------

# kind: (events, attended participations, of which a woman holds the stand)
TARGETS = {
    Event.Kind.NATIONAL_FAIR: (8, 3231, 1680),
    Event.Kind.REGIONAL_FAIR: (26, 3871, 2245),
    Event.Kind.ITINERANT_MARKET: (50, 3321, 2159),
}
FIRST_DAY, LAST_DAY = datetime.date(2022, 1, 1), datetime.date(2025, 12, 31)
YEARS = [2022, 2023, 2024, 2025]
CLOSED_BEFORE = datetime.date(2025, 7, 1)  # older events have their accounts closed

EXHIBITING_KINDS = ["cooperative", "association", "mutual", "foundation", "ess_enterprise"]
# Absent and cancelled participations, as a share of an event's attended ones.
ABSENT_RATE, CANCELLED_RATE = (0.015, 0.04), (0.01, 0.03)
EXTRA_MAX = 1.08

# -- places ------------------------------------------------------------------------------------

MINISTRY = "Ministère du Tourisme, de l'Artisanat et de l'Économie sociale et solidaire"
MINISTRY_AR = "وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني"
REGION_SEATS = {"MA-01": "MA-TNG", "MA-02": "MA-OUJ", "MA-03": "MA-FES", "MA-04": "MA-RAB",
                "MA-05": "MA-BEM", "MA-06": "MA-CAS", "MA-07": "MA-MAR", "MA-08": "MA-ERR",
                "MA-09": "MA-AGD", "MA-10": "MA-GUE", "MA-11": "MA-LAA", "MA-12": "MA-OUD"}
# The town that gives a prefecture or province its seat, where it is not its name.
SEAT_TOWNS = {"MA-TNG": ("Tanger", "طنجة"), "MA-OUJ": ("Oujda", "وجدة"),
              "MA-AGD": ("Agadir", "أكادير"), "MA-INE": ("Inezgane", "إنزكان"),
              "MA-SKH": ("Témara", "تمارة"), "MA-MDF": ("M'diq", "المضيق"),
              "MA-FAH": ("Ksar Sghir", "القصر الصغير"), "MA-OUD": ("Dakhla", "الداخلة"),
              "MA-CHT": ("Biougra", "بيوكرى"), "MA-ASZ": ("Assa", "آسا"),
              "MA-HAO": ("Tahannaout", "تحناوت"), "MA-REH": ("Ben Guerir", "ابن جرير"),
              "MA-KES": ("El Kelâa des Sraghna", "قلعة السراغنة"),
              "MA-BOM": ("Missour", "ميسور"), "MA-ESM": ("Smara", "السمارة")}
# National fairs go to the big cities, each with its exhibition ground.
NATIONAL_HOSTS = [
    ("MA-CAS", "Office des foires et expositions de Casablanca (OFEC)"),
    ("MA-RAB", "Esplanade Bab El Had"),
    ("MA-MAR", "Place Bab Jdid"),
    ("MA-AGD", "Place Al Amal"),
    ("MA-FES", "Parc des expositions Bab El Makina"),
    ("MA-TNG", "Palais des expositions de Tanger"),
    ("MA-OUJ", "Esplanade de la Technopole d'Oujda"),
    ("MA-MEK", "Esplanade Sahrij Souani"),
]
NATIONAL_HOSTS_AR = {
    "MA-CAS": "مكتب المعارض والتظاهرات بالدار البيضاء",
    "MA-RAB": "ساحة باب الحد",
    "MA-MAR": "ساحة باب الجديد",
    "MA-AGD": "ساحة الأمل",
    "MA-FES": "فضاء المعارض باب الماكينة",
    "MA-TNG": "قصر المعارض بطنجة",
    "MA-OUJ": "ساحة التكنوبول بوجدة",
    "MA-MEK": "ساحة صهريج السواني",
}
# "{of_city}" is "de Settat" or "d'Oujda".
FAIR_VENUES = ["Parc des expositions {of_city}", "Esplanade de la wilaya, {city}",
               "Complexe culturel {of_city}", "Place de la municipalité, {city}"]
MARKET_VENUES = ["Place centrale {of_city}", "Esplanade municipale {of_city}",
                 "Jardin public {of_city}", "Place de la Marche verte, {city}",
                 "Parking du complexe sportif, {city}"]
# The same venues in Arabic ("{city}" the Arabic name; "ب" is "in").
VENUES_AR = {
    "Parc des expositions {of_city}": "فضاء المعارض ب{city}",
    "Esplanade de la wilaya, {city}": "ساحة الولاية، {city}",
    "Complexe culturel {of_city}": "المركب الثقافي ب{city}",
    "Place de la municipalité, {city}": "ساحة البلدية، {city}",
    "Place centrale {of_city}": "الساحة المركزية ب{city}",
    "Esplanade municipale {of_city}": "الساحة البلدية ب{city}",
    "Jardin public {of_city}": "الحديقة العمومية ب{city}",
    "Place de la Marche verte, {city}": "ساحة المسيرة الخضراء، {city}",
    "Parking du complexe sportif, {city}": "موقف المركب الرياضي، {city}",
}

ORDINALS_AR = ["الأولى", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة",
               "الثامنة", "التاسعة", "العاشرة", "الحادية عشرة", "الثانية عشرة"]
ESS_AR = "للاقتصاد الاجتماعي والتضامني"

# -- what exhibitors bring and say ---------------------------------------------------------------

PRODUCTS = {
    "agriculture": "Couscous roulé main, miel, dattes, amlou",
    "crafts": "Poterie, tapis tissés, vannerie en doum",
    "textile": "Caftans, broderie de Fès, djellabas",
    "argan": "Huile d'argan, amlou, plantes aromatiques et médicinales",
    "fisheries": "Conserves de sardines, algues séchées, poulpe séché",
    "tourism": "Circuits de tourisme solidaire, gîtes ruraux",
    "services": "Traiteur, couture sur mesure",
    "housing": "Briques de terre crue, enduits au tadelakt",
    "education": "Jeux éducatifs, livres pour enfants en amazigh et en arabe",
    "health": "Savon beldi, eau de rose, produits d'hygiène naturels",
    "other": "Produits du terroir",
}
STAND_NEEDS = ["", "", "Une table et deux chaises", "Accès à l'électricité",
               "Un point d'eau pour les dégustations", "Un stand d'angle, produits volumineux",
               "Étagères pour l'exposition des produits"]
COMMENTS = ["", "", "", "", "Très bonne organisation, beaucoup de visiteurs.",
            "Le stand était trop petit pour nos produits.",
            "Nous reviendrons à la prochaine édition.",
            "Manque de signalisation à l'entrée du salon.",
            "Les ventes ont dépassé nos attentes.",
            "تنظيم جيد وإقبال كبير من الزوار",
            "نطلب تحسين الإشهار قبل المعرض",
            "فرصة مهمة للتعريف بمنتجات التعاونية"]

# kind: (median sales in MAD, median visitors to the stand)
SALES_VISITORS = {Event.Kind.NATIONAL_FAIR: (14000, 420),
                  Event.Kind.REGIONAL_FAIR: (7000, 210),
                  Event.Kind.ITINERANT_MARKET: (3500, 95)}


# -- helpers -----------------------------------------------------------------------------------

def apportion(total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights``, none above its cap
    (largest remainders; ties to the first). The parts always add up to ``total``."""
    n = len(weights)
    caps = caps if caps is not None else [total] * n
    if total > sum(caps):
        raise ValueError("The caps are too small for the total.")
    parts = [0] * n
    fixed = [False] * n
    remaining = total
    while True:  # give capped parts their cap, share the rest among the others
        free = [i for i in range(n) if not fixed[i]]
        weight = sum(weights[i] for i in free)
        quotas = {i: remaining * weights[i] / weight if weight else remaining / len(free)
                  for i in free}
        over = [i for i in free if quotas[i] > caps[i]]
        if not over:
            break
        for i in over:
            fixed[i], parts[i] = True, caps[i]
            remaining -= caps[i]
    for i, quota in quotas.items():
        parts[i] = math.floor(quota)
    left = remaining - sum(parts[i] for i in quotas)
    order = sorted(quotas, key=lambda i: (-(quotas[i] - parts[i]), i))
    while left:
        for i in order:
            if left and parts[i] < caps[i]:
                parts[i] += 1
                left -= 1
    return parts


def _date_in(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _weighted_order(rng: random.Random, items: list, weights: list[float]) -> list:
    """A random order where heavier items tend to come first (weighted shuffle)."""
    keyed = [(rng.random() ** (1 / max(w, 1e-9)), n) for n, w in enumerate(weights)]
    return [items[n] for _key, n in sorted(keyed, reverse=True)]


def _edition_fr(n: int) -> str:
    return "1re édition" if n == 1 else f"{n}e édition"


def _edition_ar(n: int) -> str:
    return f"الدورة {ORDINALS_AR[n - 1] if n <= len(ORDINALS_AR) else n}"


def _of(name: str) -> str:
    """French "de" before a place name, elided before a vowel: "de Settat", "d'Oujda"."""
    return f"d'{name}" if name[:1] in "AEIOUÉ" else f"de {name}"


def _of_region(region: Region) -> str:
    """The Oriental is "l'Oriental"; the other regions go without an article."""
    return "de l'Oriental" if region.code == "MA-02" else _of(region.name_fr)


def _venue(rng: random.Random, venues: list[str], city: str, city_ar: str) -> dict[str, str]:
    """A venue of ``venues`` in the town, in French and in Arabic (one draw)."""
    venue = rng.choice(venues)
    return {"venue": venue.format(city=city, of_city=_of(city)),
            "venue_ar": VENUES_AR[venue].format(city=city_ar)}


def _organisers(region: Region, *, market: bool = False) -> dict[str, str]:
    """Who organises a regional fair (the ministry and the region's council) or an
    itinerant market (the regional delegation and the council), in French and Arabic."""
    if market:
        return {"organiser": f"Délégation régionale de l'ESS et Conseil de la Région "
                             f"{_of_region(region)}",
                "organiser_ar": f"المندوبية الجهوية {ESS_AR} ومجلس جهة {region.name_ar}"}
    return {"organiser": f"{MINISTRY} et Conseil de la Région {_of_region(region)}",
            "organiser_ar": f"{MINISTRY_AR} ومجلس جهة {region.name_ar}"}


def _town(province: Province) -> tuple[str, str]:
    return SEAT_TOWNS.get(province.code, (province.name_fr, province.name_ar))


def _lognormal(rng: random.Random, median: float, sigma: float, low: float, high: float):
    return min(max(median * math.exp(rng.gauss(0, sigma)), low), high)


class _Badges:
    """Badge codes shaped like the model's default (readable, ``essor.core.codes``), but
    drawn from the seeded rng."""

    def __init__(self, rng: random.Random):
        self.rng, self.taken = rng, set(
            Participation.objects.values_list("badge_code", flat=True))

    def __call__(self) -> str:
        while True:
            code = "".join(self.rng.choices(CODE_ALPHABET, k=BADGE_CODE_LENGTH))
            if code not in self.taken:
                self.taken.add(code)
                return code


class _Holders:
    """Who holds an organisation's stand: one of its members of the wanted sex, else a
    person of its region (who then becomes a member), else anyone of that sex. An
    organisation keeps the same holder from one event to the next where it can."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pool: dict[tuple[int | None, str], list[int]] = {}
        sex_of: dict[int, str] = {}
        for pk, region_id, sex in Person.objects.order_by("pk").values_list(
                "pk", "region_id", "sex"):
            self.pool.setdefault((region_id, sex), []).append(pk)
            self.pool.setdefault((None, sex), []).append(pk)
            sex_of[pk] = sex
        self.members: dict[tuple[int, str], list[int]] = {}
        self.memberships: set[tuple[int, int]] = set()
        for person_id, org_id in Membership.objects.order_by("pk").values_list(
                "person_id", "organisation_id"):
            self.members.setdefault((org_id, sex_of[person_id]), []).append(person_id)
            self.memberships.add((person_id, org_id))
        self.chosen: dict[tuple[int, str], int] = {}
        self.holding: set[int] = set()
        self.new_memberships: list[Membership] = []

    def any_person(self) -> bool:
        return bool(self.pool.get((None, "F")) or self.pool.get((None, "M")))

    def pick(self, org: Organisation, sex: str, busy: set[int]) -> int:
        if not self.pool.get((None, sex)):  # nobody of that sex at all: anyone will do
            sex = "M" if sex == "F" else "F"
        key = (org.pk, sex)
        person = self.chosen.get(key)
        if person is None or person in busy:
            person = self._new(org, sex, busy)
            self.chosen[key] = person
            self.holding.add(person)
        if (person, org.pk) not in self.memberships:
            self.memberships.add((person, org.pk))
            role = "manager" if self.rng.random() < 0.3 else "member"
            self.new_memberships.append(Membership(person_id=person, organisation_id=org.pk,
                                                   role=role))
        busy.add(person)
        return person

    def _new(self, org: Organisation, sex: str, busy: set[int]) -> int:
        members = [p for p in self.members.get((org.pk, sex), []) if p not in busy]
        if members:
            return self.rng.choice(members)
        for pool in (self.pool.get((org.region_id, sex)), self.pool[(None, sex)]):
            if not pool:
                continue
            for _try in range(12):  # someone who holds no other organisation's stand
                person = self.rng.choice(pool)
                if person not in busy and person not in self.holding:
                    return person
        pool = self.pool.get((org.region_id, sex)) or self.pool[(None, sex)]
        for _try in range(12):  # someone not already at this event
            person = self.rng.choice(pool)
            if person not in busy:
                return person
        return self.rng.choice(self.pool[(None, sex)])


# -- the generator -----------------------------------------------------------------------------

def load(rng: random.Random) -> dict[str, int]:
    regions = list(Region.objects.order_by("code"))
    provinces = list(Province.objects.select_related("region").order_by("code"))
    by_code = {p.code: p for p in provinces}
    region_provinces = {r.pk: [p for p in provinces if p.region_id == r.pk] for r in regions}
    region_provinces = {k: v for k, v in region_provinces.items() if v}
    regions = [r for r in regions if r.pk in region_provinces]
    if not regions:
        return {"events": 0}

    orgs = list(Organisation.objects.filter(kind__in=EXHIBITING_KINDS).order_by("pk"))
    orgs_by_region: dict[int, list[Organisation]] = {}
    for org in orgs:
        orgs_by_region.setdefault(org.region_id, []).append(org)

    def seat(region: Region) -> Province:
        code = REGION_SEATS.get(region.code)
        if code in by_code and by_code[code].region_id == region.pk:
            return by_code[code]
        return max(region_provinces[region.pk], key=lambda p: (p.population, p.code))

    plans = (_national_fairs(rng, by_code, seat)
             + _regional_fairs(rng, regions, region_provinces, orgs_by_region, seat)
             + _markets(rng, regions, region_provinces, orgs_by_region))
    upcoming = _upcoming(rng, regions, by_code, region_provinces, seat, plans)

    holders = _Holders(rng)
    exhibiting = bool(orgs) and holders.any_person()
    if exhibiting:
        _sizes(rng, plans, len(orgs), orgs_by_region)

    events = [plan["event"] for plan in plans] + [plan["event"] for plan in upcoming]
    Event.objects.bulk_create(events)
    pks = dict(Event.objects.filter(code__in=[e.code for e in events])
               .values_list("code", "pk"))
    for event in events:
        event.pk = pks[event.code]

    # The upcoming events have their stands numbered, none given yet.
    upcoming_stands = [stand for plan in upcoming for stand in _stand_rows(plan["event"])]
    Stand.objects.bulk_create(upcoming_stands)
    counts = {"events": len(events), "stands": len(upcoming_stands), "participations": 0}
    if exhibiting:
        held = _participations(rng, plans, orgs, orgs_by_region, holders)
        counts.update(held, stands=held["stands"] + len(upcoming_stands))
        counts["applications"] = _applications(rng, upcoming, orgs, orgs_by_region, holders)
        Membership.objects.bulk_create(holders.new_memberships, batch_size=5000)
        counts["stand holders' memberships"] = len(holders.new_memberships)
    return counts


def _event(rng: random.Random, *, kind, code, title, title_ar, edition, start, days,
           province: Province, city: str, venue: str, organiser: str, status=None,
           city_ar: str = "", venue_ar: str = "", organiser_ar: str = "") -> Event:
    end = start + datetime.timedelta(days=days - 1)
    if status is None:
        status = (Event.Status.CLOSED if end < CLOSED_BEFORE and rng.random() < 0.85
                  else Event.Status.HELD)
    return Event(kind=kind, code=code, title=title, title_ar=title_ar, edition=edition,
                 start_date=start, end_date=end, region=province.region, province=province,
                 city=city, venue=venue, organiser=organiser, city_ar=city_ar,
                 venue_ar=venue_ar, organiser_ar=organiser_ar, status=status,
                 application_deadline=start - datetime.timedelta(days=rng.randint(25, 50)))


def _national_fairs(rng, by_code, seat) -> list[dict]:
    hosts = [(by_code[code], venue) for code, venue in NATIONAL_HOSTS if code in by_code]
    if not hosts:
        hosts = [(seat(region), "") for region in {p.region.pk: p.region
                                                   for p in by_code.values()}.values()]
    rng.shuffle(hosts)
    n, _total, _women = TARGETS[Event.Kind.NATIONAL_FAIR]
    plans = []
    for i in range(n):
        year = YEARS[i * len(YEARS) // n]
        spring = i % 2 == 0
        start = _date_in(rng, datetime.date(year, 3, 1) if spring else datetime.date(year, 9, 15),
                         datetime.date(year, 6, 10) if spring else datetime.date(year, 12, 10))
        province, venue = hosts[i % len(hosts)]
        city, city_ar = _town(province)
        edition = i + 1
        code = f"SN-{year}-{sum(1 for p in plans if p['event'].start_date.year == year) + 1:02d}"
        event = _event(
            rng, kind=Event.Kind.NATIONAL_FAIR, code=code, edition=edition, start=start,
            days=rng.randint(4, 10), province=province, city=city, venue=venue,
            city_ar=city_ar, venue_ar=NATIONAL_HOSTS_AR.get(province.code, ""),
            title=f"Salon national de l'économie sociale et solidaire, {_edition_fr(edition)}",
            title_ar=f"المعرض الوطني {ESS_AR}، {_edition_ar(edition)}", organiser=MINISTRY,
            organiser_ar=MINISTRY_AR)
        plans.append({"event": event, "weight": (1 + 0.04 * i) * rng.uniform(0.85, 1.15),
                      "home": None})
    return plans


def _regional_fairs(rng, regions, region_provinces, orgs_by_region, seat) -> list[dict]:
    n, _total, _women = TARGETS[Event.Kind.REGIONAL_FAIR]
    # Every region has its fair every other year or so; the most populous ones one more.
    base, extra = divmod(n, len(regions))
    per_region = [base] * len(regions)
    for i in sorted(range(len(regions)), key=lambda i: (-regions[i].population, i))[:extra]:
        per_region[i] += 1
    plans = []
    for region, count in zip(regions, per_region, strict=True):
        years = sorted(rng.sample(YEARS, count)) if count <= len(YEARS) else sorted(
            rng.choices(YEARS, k=count))
        others = [p for p in region_provinces[region.pk] if p != seat(region)]
        weight = math.sqrt(len(orgs_by_region.get(region.pk, [])) + 1)
        for edition, year in enumerate(years, start=1):
            province = seat(region)
            if edition > 1 and others and rng.random() < 0.4:
                province = rng.choices(others, weights=[max(p.population, 1)
                                                        for p in others])[0]
            city, city_ar = _town(province)
            start = _date_in(rng, datetime.date(year, 2, 1), datetime.date(year, 12, 10))
            seq = sum(1 for p in plans if p["event"].region_id == region.pk
                      and p["event"].start_date.year == year) + 1
            event = _event(
                rng, kind=Event.Kind.REGIONAL_FAIR, edition=edition, start=start,
                code=f"SR-{region.code.replace('-', '')}-{year}-{seq}",
                days=rng.randint(4, 10), province=province, city=city, city_ar=city_ar,
                **_venue(rng, FAIR_VENUES, city, city_ar),
                title=f"Salon régional de l'ESS {_of_region(region)}, {_edition_fr(edition)}",
                title_ar=(f"المعرض الجهوي {ESS_AR} لجهة {region.name_ar}، "
                          f"{_edition_ar(edition)}"),
                **_organisers(region))
            plans.append({"event": event, "weight": weight * rng.uniform(0.8, 1.2),
                          "home": region.pk})
    return plans


def _markets(rng, regions, region_provinces, orgs_by_region) -> list[dict]:
    n, _total, _women = TARGETS[Event.Kind.ITINERANT_MARKET]
    # At least two markets a region where there is room, the rest by population.
    floor = min(2, n // len(regions))
    per_region = [floor + extra for extra in apportion(
        n - floor * len(regions), [max(r.population, 1) for r in regions])]
    drafts = []
    for region, count in zip(regions, per_region, strict=True):
        provinces = region_provinces[region.pk]
        order = _weighted_order(rng, provinces, [max(p.population, 1) for p in provinces])
        weight = math.sqrt(len(orgs_by_region.get(region.pk, [])) + 1)
        for i in range(count):
            province = order[i % len(order)]
            start = _date_in(rng, datetime.date(2022, 1, 10), datetime.date(2025, 12, 20))
            drafts.append((region, province, start, weight * rng.uniform(0.7, 1.3)))
    plans = []
    for region, province, start, weight in sorted(
            drafts, key=lambda d: (d[0].code, d[2], d[1].code)):
        city, city_ar = _town(province)
        seq = sum(1 for p in plans if p["event"].region_id == region.pk
                  and p["event"].start_date.year == start.year) + 1
        days = min(rng.randint(3, 7), (LAST_DAY - start).days + 1)
        event = _event(
            rng, kind=Event.Kind.ITINERANT_MARKET, edition=None, start=start, days=days,
            code=f"MI-{region.code.replace('-', '')}-{start.year}-{seq:02d}",
            province=province, city=city, city_ar=city_ar,
            **_venue(rng, MARKET_VENUES, city, city_ar),
            title=f"Marché itinérant de l'ESS — {city}",
            title_ar=f"السوق المتجول {ESS_AR} — {city_ar}",
            **_organisers(region, market=True))
        plans.append({"event": event, "weight": weight, "home": region.pk})
    return plans


def _upcoming(rng, regions, by_code, region_provinces, seat, plans) -> list[dict]:
    """Events of 2027: some open for applications (with applications), some planned."""
    wanted = [("national_fair", "MA-06", Event.Status.OPEN),
              ("regional_fair", "MA-02", Event.Status.OPEN),
              ("itinerant_market", "MA-06", Event.Status.OPEN),
              ("regional_fair", "MA-07", Event.Status.PLANNED),
              ("itinerant_market", "MA-09", Event.Status.PLANNED)]
    region_of = {r.code: r for r in regions}
    upcoming = []
    for kind, region_code, status in wanted:
        region = region_of.get(region_code) or regions[0]
        start = _date_in(rng, datetime.date(2027, 3, 1), datetime.date(2027, 11, 30))
        same = [p["event"] for p in plans + upcoming if p["event"].kind == kind]
        if kind == Event.Kind.NATIONAL_FAIR:
            province = seat(region)
            city, city_ar = _town(province)
            edition = len(same) + 1
            fields = {
                "code": f"SN-2027-{sum(1 for e in same if e.start_date.year == 2027) + 1:02d}",
                "edition": edition, "days": rng.randint(5, 9),
                "venue": dict(NATIONAL_HOSTS).get(province.code, ""),
                "venue_ar": NATIONAL_HOSTS_AR.get(province.code, ""),
                "title": f"Salon national de l'économie sociale et solidaire, "
                         f"{_edition_fr(edition)}",
                "title_ar": f"المعرض الوطني {ESS_AR}، {_edition_ar(edition)}",
                "organiser": MINISTRY, "organiser_ar": MINISTRY_AR}
        elif kind == Event.Kind.REGIONAL_FAIR:
            province = seat(region)
            city, city_ar = _town(province)
            edition = sum(1 for e in same if e.region_id == region.pk) + 1
            fields = {
                "code": f"SR-{region.code.replace('-', '')}-2027-1", "edition": edition,
                "days": rng.randint(4, 8), **_venue(rng, FAIR_VENUES, city, city_ar),
                "title": f"Salon régional de l'ESS {_of_region(region)}, "
                         f"{_edition_fr(edition)}",
                "title_ar": f"المعرض الجهوي {ESS_AR} لجهة {region.name_ar}، "
                            f"{_edition_ar(edition)}",
                **_organisers(region)}
        else:
            others = [p for p in region_provinces[region.pk] if p != seat(region)]
            province = rng.choice(others or region_provinces[region.pk])
            city, city_ar = _town(province)
            fields = {
                "code": f"MI-{region.code.replace('-', '')}-2027-01", "edition": None,
                "days": rng.randint(3, 6), **_venue(rng, MARKET_VENUES, city, city_ar),
                "title": f"Marché itinérant de l'ESS — {city}",
                "title_ar": f"السوق المتجول {ESS_AR} — {city_ar}",
                **_organisers(region, market=True)}
        event = _event(rng, kind=kind, start=start, province=province, city=city,
                       city_ar=city_ar, status=status, **fields)
        event.application_deadline = start - datetime.timedelta(days=rng.randint(40, 70))
        stands = {"national_fair": 300, "regional_fair": 120, "itinerant_market": 50}[kind]
        event.stands = stands
        upcoming.append({"event": event, "applications": (
            rng.randint(stands // 4, stands // 2) if status == Event.Status.OPEN else 0),
            "home": None if kind == Event.Kind.NATIONAL_FAIR else region.pk})
    return upcoming


def _sizes(rng: random.Random, plans: list[dict], available: int,
           orgs_by_region: dict[int, list[Organisation]]) -> None:
    """Each held event's attended, absent and cancelled participations, the attended (and
    women) adding up exactly to the seed's figures, unless the registry is too small.
    A regional fair or market takes the organisations of its region only (the link rule
    of the services): its size is capped by them."""

    def room(plan) -> int:
        home = plan["home"]
        return available if home is None else len(orgs_by_region.get(home, []))

    for kind, (_n, total, women) in TARGETS.items():
        kind_plans = [p for p in plans if p["event"].kind == kind]
        if not kind_plans:
            continue
        caps = [max(int(room(p) / EXTRA_MAX), 1 if p["home"] is None else 0)
                for p in kind_plans]
        if total > sum(caps):  # too few organisations: scale the kind down
            scaled = sum(caps)
            total, women = scaled, round(women * scaled / total)
        sizes = apportion(total, [p["weight"] for p in kind_plans], caps)
        share = women / total if total else 0
        women_sizes = apportion(women, [s * rng.uniform(0.9, 1.1) for s in sizes], sizes)
        for plan, size, women_size in zip(kind_plans, sizes, women_sizes, strict=True):
            absent = round(size * rng.uniform(*ABSENT_RATE))
            cancelled = round(size * rng.uniform(*CANCELLED_RATE))
            extra = min(absent + cancelled, room(plan) - size)
            absent = min(absent, extra)
            plan.update(attended=size, women=women_size, absent=absent,
                        cancelled=extra - absent, share=share)
            event = plan["event"]
            event.stands = size + absent + plan["cancelled"] + rng.randint(0, max(size // 20, 2))


def _stand_rows(event: Event) -> list[Stand]:
    """The event's stands, numbered from 1, by pavilion, hall or alley of 80, 60 or 20."""
    area, size = {"national_fair": ("Pavillon", 80), "regional_fair": ("Hall", 60),
                  "itinerant_market": ("Allée", 20)}[event.kind]
    return [Stand(event_id=event.pk, number=number,
                  area=f"{area} {chr(ord('A') + (number - 1) // size)}")
            for number in range(1, event.stands + 1)]


def _exhibitors(rng, count: int, home: int | None, orgs, orgs_by_region) -> list[Organisation]:
    """``count`` distinct organisations, from the home region first where there is one."""
    local = orgs_by_region.get(home, []) if home is not None else []
    if count <= len(local):
        return rng.sample(local, count)
    chosen = rng.sample(local, len(local))
    local_ids = {o.pk for o in local}
    others = [o for o in orgs if o.pk not in local_ids]
    return chosen + rng.sample(others, count - len(chosen))


def _participations(rng, plans, orgs, orgs_by_region, holders: _Holders) -> dict[str, int]:
    tz = timezone.get_current_timezone()
    badge = _Badges(rng)
    stands: list[Stand] = []
    rows: list[tuple[Participation, int | None]] = []
    for plan in plans:
        event = plan["event"]
        stands += _stand_rows(event)
        attended, women = plan["attended"], plan["women"]
        absent, cancelled = plan["absent"], plan["cancelled"]
        exhibitors = _exhibitors(rng, attended + absent + cancelled, plan["home"], orgs,
                                 orgs_by_region)
        is_woman = [True] * women + [False] * (attended - women)
        rng.shuffle(is_woman)
        is_woman += [rng.random() < plan["share"] for _n in range(absent + cancelled)]
        numbers = rng.sample(range(1, event.stands + 1), attended + absent)
        median_sales, median_visitors = SALES_VISITORS[event.kind]
        busy: set[int] = set()
        for n, org in enumerate(exhibitors):
            status = (Participation.Status.ATTENDED if n < attended
                      else Participation.Status.ABSENT if n < attended + absent
                      else Participation.Status.CANCELLED)
            participation = Participation(
                event_id=event.pk, organisation_id=org.pk, status=status,
                holder_id=holders.pick(org, "F" if is_woman[n] else "M", busy),
                badge_code=badge())
            if status == Participation.Status.ATTENDED:
                if rng.random() < 0.9:
                    day = event.start_date
                    participation.checked_in_at = datetime.datetime.combine(
                        day, datetime.time(rng.randint(8, 10), rng.randint(0, 59)), tzinfo=tz)
                if rng.random() < 0.85:
                    sales = _lognormal(rng, median_sales, 0.8, 500, 60000)
                    participation.sales_mad = Decimal(int(round(sales, -1)))
                if rng.random() < 0.8:
                    participation.visitors = int(_lognormal(rng, median_visitors, 0.6, 10, 3000))
            rows.append((participation, numbers[n] if n < len(numbers) else None))
    Stand.objects.bulk_create(stands, batch_size=5000)
    stand_pk = {(e, n): pk for pk, e, n in Stand.objects.filter(
        event_id__in=[p["event"].pk for p in plans]).values_list("pk", "event_id", "number")}
    for participation, number in rows:
        if number is not None:
            participation.stand_id = stand_pk[(participation.event_id, number)]
    Participation.objects.bulk_create([p for p, _number in rows], batch_size=2000)

    # A few exhibitors answered the satisfaction form (it came with the 2024 events).
    recent = (Participation.objects.filter(
        event__in=[p["event"].pk for p in plans], status=Participation.Status.ATTENDED,
        event__start_date__gte=datetime.date(2024, 1, 1)).order_by("pk")
        .values_list("pk", flat=True))
    answers = []
    for pk in recent:
        if rng.random() < 0.07:
            rating = rng.choices([1, 2, 3, 4, 5], weights=[2, 5, 15, 45, 33])[0]
            answers.append(Satisfaction(
                participation_id=pk, rating=rating,
                organisation_rating=min(5, max(1, rating + rng.choice([-1, 0, 0, 1]))),
                would_return=rating >= 3 or rng.random() < 0.3,
                comment=rng.choice(COMMENTS)))
    Satisfaction.objects.bulk_create(answers, batch_size=2000)
    return {"stands": len(stands), "participations": len(rows),
            "satisfaction answers": len(answers)}


def _applications(rng, upcoming, orgs, orgs_by_region, holders: _Holders) -> int:
    """Applications to the events open for them: submitted, some already shortlisted."""
    exhibited = set(Participation.objects.order_by().values_list("organisation_id", flat=True)
                    .distinct())
    applications = []
    for plan in upcoming:
        local = orgs_by_region.get(plan["home"], []) if plan["home"] is not None else orgs
        count = min(plan["applications"], len(local))
        busy: set[int] = set()
        for org in _exhibitors(rng, count, plan["home"], orgs, orgs_by_region):
            sex = "F" if rng.random() < 0.6 else "M"
            applications.append(Application(
                event_id=plan["event"].pk, organisation_id=org.pk,
                holder_id=holders.pick(org, sex, busy),
                products=PRODUCTS.get(org.sector, PRODUCTS["other"]),
                stand_needs=rng.choice(STAND_NEEDS),
                first_time=org.pk not in exhibited,
                status=(Application.Status.SHORTLISTED if rng.random() < 0.3
                        else Application.Status.SUBMITTED)))
    Application.objects.bulk_create(applications, batch_size=2000)
    return len(applications)


# -- the day the demo is loaded ----------------------------------------------------------------

TODAY_REGION = "MA-02"  # the demo's regional officer ("oriental") runs it
TODAY_EXHIBITORS = 24
ORGANISATION_ACCOUNT = "cooperative"


def today_codes(today: datetime.date) -> dict[str, str]:
    """The codes of the events made relative to the day of loading (see load_today)."""
    return {"market": f"MI-{TODAY_REGION.replace('-', '')}-{today:%Y%m%d}"}


def load_today(rng: random.Random, today: datetime.date) -> dict[str, int]:
    """What happens on the day the demo is loaded, on top of the calibrated past:

    * an itinerant market of the Oriental under way (it began yesterday, ends the day after
      tomorrow), its exhibitors registered with their stands and badges, none checked in:
      the check-in page has work to do;
    * the organisation account's own story: accepted applications for the events it
      exhibited at, a rejected one, one waiting for a decision.

    None of it moves a figure of the report: the market is not held yet (status
    *selection*), nobody is checked in, and applications count in no figure."""
    region = Region.objects.filter(code=TODAY_REGION).first()
    orgs = list(Organisation.objects.filter(region=region, kind__in=EXHIBITING_KINDS)
                .order_by("pk")) if region else []
    counts = {"events under way": 0}
    if orgs:
        counts.update(_market_today(rng, today, region, orgs))
    counts["organisation account's applications"] = _account_applications(rng)
    return counts


def _market_today(rng, today, region, orgs) -> dict[str, int]:
    provinces = list(Province.objects.filter(region=region).order_by("code"))
    province = next((p for p in provinces if p.code == "MA-BER"), provinces[0])
    city, city_ar = _town(province)
    event = Event(
        kind=Event.Kind.ITINERANT_MARKET, code=today_codes(today)["market"], edition=None,
        title=f"Marché itinérant de l'ESS — {city}",
        title_ar=f"السوق المتجول {ESS_AR} — {city_ar}",
        start_date=today - datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=2), region=region, province=province,
        city=city, city_ar=city_ar, venue=f"Place centrale {_of(city)}",
        venue_ar=VENUES_AR["Place centrale {of_city}"].format(city=city_ar),
        **_organisers(region, market=True),
        status=Event.Status.SELECTION, stands=TODAY_EXHIBITORS + 6,
        application_deadline=today - datetime.timedelta(days=30))
    event.save()
    Stand.objects.bulk_create(_stand_rows(event))
    stands = list(Stand.objects.filter(event=event).order_by("number"))
    members: dict[int, list[int]] = {}
    for person_id, org_id in (Membership.objects.filter(organisation__in=orgs)
                              .order_by("pk").values_list("person_id", "organisation_id")):
        members.setdefault(org_id, []).append(person_id)
    badge = _Badges(rng)
    chosen = [o for o in rng.sample(orgs, min(len(orgs), 4 * TODAY_EXHIBITORS))
              if members.get(o.pk)][:TODAY_EXHIBITORS]
    busy: set[int] = set()
    participations = []
    for n, org in enumerate(chosen):
        holder = next((p for p in members[org.pk] if p not in busy), None)
        if holder is None:
            continue
        busy.add(holder)
        application = Application.objects.create(
            event=event, organisation=org, holder_id=holder,
            products=PRODUCTS.get(org.sector, PRODUCTS["other"]),
            first_time=rng.random() < 0.3, status=Application.Status.ACCEPTED,
            decided_at=timezone.now() - datetime.timedelta(days=20))
        participations.append(Participation(
            event=event, organisation=org, holder_id=holder, application=application,
            stand=stands[n], status=Participation.Status.REGISTERED, badge_code=badge()))
    Participation.objects.bulk_create(participations)
    return {"events under way": 1, "exhibitors to check in": len(participations)}


def _account_applications(rng) -> int:
    """The organisation account's applications: accepted where it exhibited, rejected at
    a national fair it did not go to, one waiting for a decision at the open one."""
    from essor.accounts.models import User

    user = (User.objects.filter(username=ORGANISATION_ACCOUNT).select_related("organisation")
            .first())
    org = user.organisation if user else None
    if org is None:
        return 0
    made = 0
    member = (Membership.objects.filter(organisation=org).order_by("pk")
              .values_list("person_id", flat=True).first())
    exhibited = (Participation.objects.filter(organisation=org, application__isnull=True)
                 .exclude(status=Participation.Status.CANCELLED)
                 .select_related("event").order_by("event__start_date", "pk"))
    for participation in exhibited:
        event = participation.event
        application = Application.objects.create(
            event=event, organisation=org, holder_id=participation.holder_id,
            products=PRODUCTS.get(org.sector, PRODUCTS["other"]),
            status=Application.Status.ACCEPTED,
            decided_at=datetime.datetime.combine(
                event.application_deadline or event.start_date, datetime.time(10),
                tzinfo=timezone.get_current_timezone()))
        participation.application = application
        participation.save(update_fields=["application"])
        made += 1
    if member is None:
        return made
    taken = Application.objects.filter(organisation=org).values("event")
    national = Event.objects.filter(kind=Event.Kind.NATIONAL_FAIR).exclude(pk__in=taken)
    past = national.filter(status__in=Event.HELD_STATUSES).exclude(
        participations__organisation=org).order_by("-start_date").first()
    if past is not None:
        Application.objects.create(
            event=past, organisation=org, holder_id=member,
            products=PRODUCTS.get(org.sector, PRODUCTS["other"]),
            status=Application.Status.REJECTED,
            decided_at=datetime.datetime.combine(
                past.application_deadline or past.start_date, datetime.time(10),
                tzinfo=timezone.get_current_timezone()))
        made += 1
    waiting = national.filter(status=Event.Status.OPEN).order_by("start_date").first()
    if waiting is not None:
        Application.objects.create(
            event=waiting, organisation=org, holder_id=member,
            products=PRODUCTS.get(org.sector, PRODUCTS["other"]),
            stand_needs=rng.choice(STAND_NEEDS), status=Application.Status.SUBMITTED)
        made += 1
    return made
