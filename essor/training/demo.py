"""Demo training workshops, calibrated to the programme's seed report.

``essor demo`` calls :func:`load` after the registry, users and promotion demo. It adds
what the seed report counts ("Renforcement des capacités entrepreneuriales en ESS en marge
des événements de l'ESS"):

* 420 workshops held (or closed) from 2022 to 2025, most of them alongside the demo's held
  events (same place, during the event), the others on their own;
* attended by exactly 15,442 distinct people, 9,342 of them women (60.5 %), many of whom
  came to several workshops, so that the attendances are well above the beneficiaries.

The generator decides who attends each workshop, so the figures computed from the records
are exactly those. On top of them come a few enrolled-but-absent people and cancelled
enrolments (which the figures leave out) and a few evaluations.

Everything is drawn from the ``rng`` passed in, over querysets ordered by primary key or
code, so the same seed gives the same records. With a registry too small for 15,442
beneficiaries, the beneficiaries and attendances are scaled down proportionally and the
women's share is kept.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from essor.accounts.models import User
from essor.promotion.demo import SEAT_TOWNS, _date_in, _of, apportion
from essor.promotion.models import Event
from essor.registry.models import Person
from essor.territory.models import Province, Region

from .models import CODE_ALPHABET, Enrolment, Evaluation, Theme, Workshop

# -- the seed's figures ------------------------------------------------------------------------

WORKSHOPS, BENEFICIARIES, WOMEN = 420, 15442, 9342
ALONGSIDE_SHARE = 0.85
ATTENDANCES_PER_BENEFICIARY = 1.43  # many people come to several workshops
# Beneficiaries as a share of the registry at most (scaled down beyond).
REGISTRY_SHARE = 0.55
MAX_CAPACITY, MIN_CAPACITY = 60, 20
MAX_ATTENDEES = 57  # leaves seats for the absent
MAX_WORKSHOPS_PER_PERSON = 6
ABSENT_RATE, CANCELLED_RATE = (0.02, 0.06), (0.01, 0.04)
FIRST_DAY, LAST_DAY = datetime.date(2022, 1, 10), datetime.date(2025, 12, 20)
CLOSED_BEFORE = datetime.date(2025, 7, 1)
DEMO_TRAINER, TRAINER_REGION = "formateur", "MA-02"

# Workshops per held event, by kind (weights).
KIND_WEIGHTS = {Event.Kind.NATIONAL_FAIR: 10, Event.Kind.REGIONAL_FAIR: 5,
                Event.Kind.ITINERANT_MARKET: 3}

EXTERNAL_TRAINERS = [
    "Latifa Bennani", "Mohamed El Idrissi", "Samira Alaoui", "Abdelkader Tazi",
    "Meryem Chraibi", "Hassan Ouazzani", "Nawal El Fassi", "Driss Benjelloun",
    "Houda Sekkat", "Mustapha Lahlou", "Fatima-Zahra Berrada", "Khalid Amrani",
    "Souad Mernissi", "Jamal Bouzidi", "Ilham Tahiri", "Rachid Ait Baha",
]
STANDALONE_VENUES = ["Maison des jeunes {of_city}", "Centre de formation {of_city}",
                     "Chambre d'artisanat {of_city}", "Délégation régionale de l'ESS, {city}",
                     "Salle de la commune {of_city}", "Espace associatif {of_city}"]
# The same venues in Arabic ("{city}" the Arabic name; "ب" is "in").
STANDALONE_VENUES_AR = {
    "Maison des jeunes {of_city}": "دار الشباب ب{city}",
    "Centre de formation {of_city}": "مركز التكوين ب{city}",
    "Chambre d'artisanat {of_city}": "غرفة الصناعة التقليدية ب{city}",
    "Délégation régionale de l'ESS, {city}": "المندوبية الجهوية للاقتصاد الاجتماعي والتضامني، {city}",
    "Salle de la commune {of_city}": "قاعة الجماعة ب{city}",
    "Espace associatif {of_city}": "الفضاء الجمعوي ب{city}",
}
DURATIONS = [Decimal(2), Decimal(3), Decimal(3), Decimal(4), Decimal(6)]
SOURCES = [Enrolment.Source.STAFF] * 5 + [Enrolment.Source.IMPORT] * 3 + [
    Enrolment.Source.ONLINE, Enrolment.Source.WALK_IN]
COMMENTS = ["", "", "", "Formation très utile, merci.", "Le temps était trop court.",
            "J'aimerais une suite sur le même thème.", "Formateur clair et disponible.",
            "تكوين مفيد جدا", "نطلب ورشات أخرى في نفس الموضوع"]


def _town(province: Province) -> tuple[str, str]:
    return SEAT_TOWNS.get(province.code, (province.name_fr, province.name_ar))


class _Codes:
    """Certificate codes shaped like the model's default, but drawn from the seeded rng."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.taken = set(Enrolment.objects.values_list("certificate_code", flat=True))

    def __call__(self) -> str:
        while True:
            code = "".join(self.rng.choice(CODE_ALPHABET) for _n in range(10))
            if code not in self.taken:
                self.taken.add(code)
                return code


# -- the generator -----------------------------------------------------------------------------

def load(rng: random.Random) -> dict[str, int]:
    themes = list(Theme.objects.order_by("code"))
    regions = list(Region.objects.order_by("code"))
    provinces = list(Province.objects.select_related("region").order_by("code"))
    region_provinces = {r.pk: [p for p in provinces if p.region_id == r.pk] for r in regions}
    regions = [r for r in regions if region_provinces[r.pk]]
    if not themes or not regions:
        return {"workshops": 0}

    workshops = _workshops(rng, themes, regions, region_provinces)
    Workshop.objects.bulk_create(workshops)
    pks = dict(Workshop.objects.filter(code__in=[w.code for w in workshops])
               .values_list("code", "pk"))
    for workshop in workshops:
        workshop.pk = pks[workshop.code]

    counts = {"workshops": len(workshops)}
    counts.update(_enrolments(rng, workshops))
    counts["planned workshops"] = _upcoming(rng, themes, regions, region_provinces)
    return counts


def _upcoming(rng, themes, regions, region_provinces) -> int:
    """A planned workshop in 2027 in each region, open to online enrolment; they count in
    no figure until they are held."""
    upcoming = []
    for number, region in enumerate(regions, start=1):
        province = rng.choice(region_provinces[region.pk])
        theme = themes[number % len(themes)]
        upcoming.append(Workshop(
            code=f"AT-{region.code.replace('-', '')}-2027-{number:03d}",
            title=f"Atelier « {theme.name_fr} » — {province.name_fr}",
            title_ar=f"ورشة «{theme.name_ar}» — {province.name_ar}",
            theme=theme, date=datetime.date(2027, 3, 1) + datetime.timedelta(days=7 * number),
            duration_hours=3, region=region, province=province, city=province.name_fr,
            city_ar=province.name_ar, capacity=rng.choice([20, 25, 30]),
            status=Workshop.Status.PLANNED,
            trainer_name="Latifa Bennani"))
    Workshop.objects.bulk_create(upcoming)
    return len(upcoming)


def _workshops(rng, themes, regions, region_provinces) -> list[Workshop]:
    events = list(Event.objects.filter(status__in=Event.HELD_STATUSES,
                                       start_date__lte=LAST_DAY)
                  .select_related("province").order_by("code"))
    alongside = round(WORKSHOPS * ALONGSIDE_SHARE) if events else 0
    drafts = []  # (date, region, province, city, city_ar, venue, event, venue_ar)
    if events:
        caps = [3 * ((e.end_date - e.start_date).days + 1) for e in events]
        alongside = min(alongside, sum(caps))
        per_event = apportion(alongside, [KIND_WEIGHTS.get(e.kind, 3) * rng.uniform(0.7, 1.3)
                                          for e in events], caps)
        for event, count in zip(events, per_event, strict=True):
            _city, city_ar = _town(event.province)
            for _n in range(count):
                date = _date_in(rng, event.start_date, min(event.end_date, LAST_DAY))
                venue = f"Espace formation — {event.venue}" if event.venue else ""
                venue_ar = f"فضاء التكوين — {event.venue_ar}" if event.venue_ar else ""
                drafts.append((date, event.region, event.province, event.city,
                               event.city_ar or city_ar, venue, event, venue_ar))
    weights = [max(r.population, 1) for r in regions]
    for _n in range(WORKSHOPS - len(drafts)):
        region = rng.choices(regions, weights=weights)[0]
        candidates = region_provinces[region.pk]
        province = rng.choices(candidates, weights=[max(p.population, 1)
                                                    for p in candidates])[0]
        city, city_ar = _town(province)
        template = rng.choice(STANDALONE_VENUES)
        venue = template.format(city=city, of_city=_of(city))
        venue_ar = STANDALONE_VENUES_AR[template].format(city=city_ar)
        drafts.append((_date_in(rng, FIRST_DAY, LAST_DAY), region, province, city, city_ar,
                       venue, None, venue_ar))

    trainer = User.objects.filter(username=DEMO_TRAINER, role="trainer").first()
    workshops = []
    seq: dict[tuple[str, int], int] = {}
    for date, region, province, city, city_ar, venue, event, venue_ar in sorted(
            drafts, key=lambda d: (d[0], d[1].code, d[6].code if d[6] else "", d[3])):
        key = (region.code, date.year)
        seq[key] = seq.get(key, 0) + 1
        theme = rng.choice(themes)
        status = (Workshop.Status.CLOSED if date < CLOSED_BEFORE and rng.random() < 0.85
                  else Workshop.Status.HELD)
        workshop = Workshop(
            code=f"AT-{region.code.replace('-', '')}-{date.year}-{seq[key]:03d}",
            title=f"Atelier « {theme.name_fr} » — {city}",
            title_ar=f"ورشة «{theme.name_ar}» — {city_ar}",
            theme=theme, date=date, duration_hours=rng.choice(DURATIONS),
            region=region, province=province, city=city, venue=venue, event=event,
            city_ar=city_ar, venue_ar=venue_ar, capacity=MAX_CAPACITY, status=status)
        if trainer is not None and region.code == TRAINER_REGION and rng.random() < 0.6:
            workshop.trainer = trainer
        else:
            workshop.trainer_name = rng.choice(EXTERNAL_TRAINERS)
        workshops.append(workshop)
    return workshops


def _targets(people: int, women_available: int, men_available: int) -> tuple[int, int]:
    """Beneficiaries and women among them: the seed's, or scaled down to the registry."""
    beneficiaries, women = BENEFICIARIES, WOMEN
    cap = int(people * REGISTRY_SHARE)
    if beneficiaries > cap:
        beneficiaries, women = cap, round(WOMEN * cap / BENEFICIARIES)
    women = min(women, women_available)
    men = min(beneficiaries - women, men_available)
    return women + men, women


def _enrolments(rng, workshops: list[Workshop]) -> dict[str, int]:
    pool: dict[tuple[int | None, str], list[int]] = {}
    everyone: list[int] = []
    for pk, region_id, sex in Person.objects.order_by("pk").values_list(
            "pk", "region_id", "sex"):
        pool.setdefault((region_id, sex), []).append(pk)
        pool.setdefault((None, sex), []).append(pk)
        everyone.append(pk)
    beneficiaries, women = _targets(len(everyone), len(pool.get((None, "F"), [])),
                                    len(pool.get((None, "M"), [])))
    if not beneficiaries:
        for workshop in workshops:
            workshop.capacity = rng.randint(MIN_CAPACITY, MAX_CAPACITY)
        Workshop.objects.bulk_update(workshops, ["capacity"])
        return {"enrolments": 0}

    # Attendances per workshop, then per region: the region's beneficiaries come from there.
    attendances = round(beneficiaries * ATTENDANCES_PER_BENEFICIARY)
    sizes = apportion(attendances, [rng.uniform(0.8, 1.1) for _w in workshops],
                      [MAX_ATTENDEES] * len(workshops))
    region_ids = sorted({w.region_id for w in workshops})
    slots = {r: sum(s for w, s in zip(workshops, sizes, strict=True) if w.region_id == r)
             for r in region_ids}
    # Every beneficiary lives in the region of the workshops they attend (the link rule
    # of the services): a region's share is capped by its people of each sex.
    local = {(r, sex): len(pool.get((r, sex), [])) for r in region_ids for sex in "FM"}
    caps = [min(slots[r], local[(r, "F")] + local[(r, "M")]) for r in region_ids]
    beneficiaries = min(beneficiaries, sum(caps))
    per_region = apportion(beneficiaries, [slots[r] for r in region_ids], caps)
    # Women: at least those the region's men cannot fill, at most its women.
    low = [max(0, b - local[(r, "M")]) for r, b in zip(region_ids, per_region, strict=True)]
    high = [min(b, local[(r, "F")]) for r, b in zip(region_ids, per_region, strict=True)]
    rest = max(0, min(women - sum(low), sum(high) - sum(low)))
    women = sum(low) + rest
    women_per_region = [floor + part for floor, part in zip(low, apportion(
        rest, [rng.uniform(0.95, 1.05) * b for b in per_region],
        [h - lo for h, lo in zip(high, low, strict=True)]), strict=True)]

    # A region whose people are fewer than its seats fills fewer seats, each person
    # coming at most to MAX_WORKSHOPS_PER_PERSON workshops; the seats go to the other
    # regions, so that the attendances keep their total.
    indexes_of = {r: [i for i, w in enumerate(workshops) if w.region_id == r]
                  for r in region_ids}
    low = [b for b in per_region]
    high = [min(b * min(MAX_WORKSHOPS_PER_PERSON, len(indexes_of[r])),
                MAX_ATTENDEES * len(indexes_of[r]))
            for r, b in zip(region_ids, per_region, strict=True)]
    seats = [min(max(slots[r], lo), hi)
             for r, lo, hi in zip(region_ids, low, high, strict=True)]
    gap = sum(slots.values()) - sum(seats)
    if gap > 0:  # give the seats taken from crowded regions to those with room
        room = [hi - n for hi, n in zip(high, seats, strict=True)]
        more = apportion(min(gap, sum(room)), [float(n) for n in room], room)
        seats = [n + m for n, m in zip(seats, more, strict=True)]
    elif gap < 0:
        spare = [n - lo for n, lo in zip(seats, low, strict=True)]
        less = apportion(min(-gap, sum(spare)), [float(n) for n in spare], spare)
        seats = [n - m for n, m in zip(seats, less, strict=True)]
    for r, total in zip(region_ids, seats, strict=True):
        if total != slots[r]:
            indexes = indexes_of[r]
            for i, size in zip(indexes, apportion(total, [sizes[i] + 0.5 for i in indexes],
                                                  [MAX_ATTENDEES] * len(indexes)),
                               strict=True):
                sizes[i] = size

    # Who: people of the region.
    people_of: dict[int, list[int]] = {r: [] for r in region_ids}
    for region_id, total, wanted_women in zip(region_ids, per_region, women_per_region,
                                              strict=True):
        for sex, count in (("F", wanted_women), ("M", total - wanted_women)):
            people_of[region_id] += rng.sample(pool.get((region_id, sex), []), count)

    # Which workshops: each beneficiary at least once, some several times.
    attendees: dict[int, list[int]] = {}  # workshop index -> person pks
    for region_id in region_ids:
        indexes = [i for i, w in enumerate(workshops) if w.region_id == region_id]
        _assign(rng, people_of[region_id], indexes, sizes, attendees)

    # Enrolled but absent, and cancelled: people of the region, beneficiaries or not.
    codes = _Codes(rng)
    rows: list[Enrolment] = []
    absent_total = cancelled_total = 0
    for i, workshop in enumerate(workshops):
        came = attendees.get(i, [])
        absent = min(round(len(came) * rng.uniform(*ABSENT_RATE)), MAX_CAPACITY - len(came))
        cancelled = round(len(came) * rng.uniform(*CANCELLED_RATE))
        local = (pool.get((workshop.region_id, "F"), [])
                 + pool.get((workshop.region_id, "M"), []))
        taken = set(came)
        others = []
        for _try in range(4 * (absent + cancelled) if local else 0):
            if len(others) == absent + cancelled:
                break
            person = rng.choice(local)
            if person not in taken:
                taken.add(person)
                others.append(person)
        absent = min(absent, len(others))
        seats = len(came) + absent
        workshop.capacity = min(MAX_CAPACITY, max(
            MIN_CAPACITY, -(-seats // 5) * 5 + rng.choice([0, 0, 5, 10])))
        for n, person in enumerate(came + others):
            if n < len(came):
                status, attended = Enrolment.Status.ENROLLED, True
            elif n < seats:
                status, attended = Enrolment.Status.ENROLLED, False
            else:
                status, attended = Enrolment.Status.CANCELLED, None
            source = rng.choice(SOURCES)
            if source == Enrolment.Source.WALK_IN and not attended:
                source = Enrolment.Source.STAFF
            rows.append(Enrolment(workshop_id=workshop.pk, person_id=person, status=status,
                                  source=source, attended=attended,
                                  certificate_code=codes()))
        absent_total += absent
        cancelled_total += len(others) - absent
    Workshop.objects.bulk_update(workshops, ["capacity"], batch_size=1000)
    Enrolment.objects.bulk_create(rows, batch_size=2000)

    # A few attendees answered the satisfaction form (it came with the 2024 workshops).
    recent = (Enrolment.objects.filter(workshop__in=[w.pk for w in workshops], attended=True,
                                       workshop__date__gte=datetime.date(2024, 1, 1))
              .order_by("pk").values_list("pk", flat=True))
    answers = []
    for pk in recent:
        if rng.random() < 0.05:
            rating = rng.choices([1, 2, 3, 4, 5], weights=[1, 3, 12, 44, 40])[0]
            answers.append(Evaluation(
                enrolment_id=pk, rating=rating,
                usefulness=min(5, max(1, rating + rng.choice([-1, 0, 0, 1]))),
                comment=rng.choice(COMMENTS)))
    Evaluation.objects.bulk_create(answers, batch_size=2000)
    return {"enrolments": len(rows), "attendances": sum(len(v) for v in attendees.values()),
            "beneficiaries": beneficiaries, "women beneficiaries": women,
            "absent enrolments": absent_total, "cancelled enrolments": cancelled_total,
            "evaluations": len(answers)}


def _assign(rng, people: list[int], indexes: list[int], sizes: list[int],
            attendees: dict[int, list[int]]) -> None:
    """Fill the workshops ``indexes`` (``sizes`` seats taken each) with ``people``, each
    person at least once and at most once a workshop; the extra seats go to regulars.
    People with the most workshops are placed first, each in the workshops with the most
    seats left (which always succeeds when a placement exists)."""
    slots = sum(sizes[i] for i in indexes)
    if not people or not indexes:
        return
    people = rng.sample(people, len(people))
    cap = min(MAX_WORKSHOPS_PER_PERSON, len(indexes))
    times = {p: 1 for p in people}
    extra = slots - len(people)
    regulars = people[:max(1, int(len(people) * 0.4))]
    while extra > 0:
        person = rng.choice(regulars)
        if times[person] < cap:
            times[person] += 1
            extra -= 1
        elif all(times[p] >= cap for p in regulars):
            regulars = [p for p in people if times[p] < cap]
            if not regulars:
                raise RuntimeError("Too few people for the demo's workshops.")
    left = {i: sizes[i] for i in indexes}
    for person in sorted(people, key=lambda p: -times[p]):
        order = sorted(indexes, key=lambda i: (-left[i], rng.random()))
        for i in order[:times[person]]:
            if left[i] <= 0:
                raise RuntimeError("The demo's workshops cannot seat their attendees.")
            left[i] -= 1
            attendees.setdefault(i, []).append(person)


# -- the day the demo is loaded ----------------------------------------------------------------

# Two namesakes the attendance sheet must tell apart (by birth year and organisation), and
# people whose names were typed in Arabic script only.
NAMESAKES = [("Touda", "Zerouali", "تودة", "الزروالي", 1974, "06 61 23 45 07"),
             ("Touda", "Zerouali", "تودة", "الزروالي", 2004, "07 70 98 12 44")]
TYPED_IN_ARABIC = [("فاطمة الزهراء", "الحمداوي", "F", 1988), ("عبد الله", "بنعلي", "M", 1979),
                   ("إيطو", "أوطالب", "F", 1995)]
TODAY_ENROLLED = 18
LATER_ENROLLED = 9


def load_today(rng: random.Random, today: datetime.date) -> dict[str, int]:
    """Workshops for the demo trainer relative to the day of loading: one today, alongside
    the Oriental's market under way if there is one, with people enrolled and nobody
    ticked yet (two namesakes among them, and names typed in Arabic), and one later in the
    week. Planned and unticked, they count in no figure until they are held."""
    from essor.promotion.demo import today_codes

    trainer = User.objects.filter(username=DEMO_TRAINER, role="trainer").first()
    region = Region.objects.filter(code=TRAINER_REGION).first()
    themes = list(Theme.objects.order_by("code"))
    if trainer is None or region is None or not themes:
        return {"workshops today": 0}
    market = Event.objects.filter(code=today_codes(today)["market"]).first()
    province = market.province if market else Province.objects.filter(
        region=region).order_by("code").first()
    city, city_ar = _town(province)
    codes = _Codes(rng)

    def workshop(date, theme, suffix, **extra) -> Workshop:
        item = Workshop(
            code=f"AT-{region.code.replace('-', '')}-{date:%Y%m%d}-{suffix}",
            title=f"Atelier « {theme.name_fr} » — {city}",
            title_ar=f"ورشة «{theme.name_ar}» — {city_ar}", theme=theme, date=date,
            duration_hours=Decimal(3), region=region, province=province, city=city,
            city_ar=city_ar, capacity=25, status=Workshop.Status.PLANNED, trainer=trainer,
            **extra)
        item.save()
        return item

    today_workshop = workshop(
        today, themes[0], "J", event=market,
        venue=f"Espace formation — {market.venue}" if market else f"Maison des jeunes {_of(city)}",
        venue_ar=(f"فضاء التكوين — {market.venue_ar}" if market and market.venue_ar
                  else f"دار الشباب ب{city_ar}"))
    later = workshop(today + datetime.timedelta(days=2), themes[1 % len(themes)], "S",
                     venue=f"Centre de formation {_of(city)}",
                     venue_ar=f"مركز التكوين ب{city_ar}")

    people = _today_people(rng, region, province)
    local = [pk for pk in Person.objects.filter(region=region).exclude(
        pk__in=[p.pk for p in people]).order_by("pk").values_list("pk", flat=True)]
    regulars = rng.sample(local, min(len(local), TODAY_ENROLLED + LATER_ENROLLED))
    rows = [Enrolment(workshop=today_workshop, person=person, certificate_code=codes())
            for person in people]
    rows += [Enrolment(workshop=today_workshop, person_id=pk, certificate_code=codes(),
                       source=rng.choice(SOURCES[:-1]))
             for pk in regulars[:TODAY_ENROLLED - len(people)]]
    rows += [Enrolment(workshop=later, person_id=pk, certificate_code=codes())
             for pk in regulars[TODAY_ENROLLED - len(people):]]
    Enrolment.objects.bulk_create(rows)
    return {"workshops today": 1, "workshops this week": 2, "enrolled today": sum(
        1 for r in rows if r.workshop_id == today_workshop.pk),
        "namesakes": len(NAMESAKES)} | _account_enrolments(rng, codes)


def _today_people(rng, region, province) -> list[Person]:
    """The namesakes, each a member of another organisation, and the Arabic-typed names."""
    from essor.registry.models import Membership, Organisation

    orgs = list(Organisation.objects.filter(region=region, kind="cooperative")
                .order_by("pk")[:2])
    people = []
    for n, (first, last, first_ar, last_ar, born, phone) in enumerate(NAMESAKES):
        person = Person(first_name=first, last_name=last, first_name_ar=first_ar,
                        last_name_ar=last_ar, sex="F", birth_year=born, region=region,
                        province=province, phone=phone)
        person.save()
        if n < len(orgs):
            Membership.objects.create(person=person, organisation=orgs[n])
        people.append(person)
    for first, last, sex, born in TYPED_IN_ARABIC:
        person = Person(first_name=first, last_name=last, first_name_ar=first,
                        last_name_ar=last, sex=sex, birth_year=born, region=region,
                        province=province)
        person.save()
        people.append(person)
    return people


def _account_enrolments(rng, codes) -> dict[str, int]:
    """The organisation account's members enrolled in its region's coming workshop."""
    from essor.promotion.demo import ORGANISATION_ACCOUNT
    from essor.registry.models import Membership

    user = User.objects.filter(username=ORGANISATION_ACCOUNT).first()
    if user is None or not user.organisation_id:
        return {}
    organisation = user.organisation
    coming = (Workshop.objects.filter(region=organisation.region_id,
                                      status=Workshop.Status.PLANNED)
              .order_by("date", "code").first())
    if coming is None:
        return {}
    members = list(Membership.objects.filter(organisation=organisation,
                                             person__region=organisation.region_id)
                   .exclude(person__enrolments__workshop=coming)
                   .order_by("pk").values_list("person_id", flat=True)[:3])
    Enrolment.objects.bulk_create([
        Enrolment(workshop=coming, person_id=pk, source=Enrolment.Source.ONLINE,
                  certificate_code=codes()) for pk in members])
    return {"members enrolled online": len(members)}
