"""Demo registry: thousands of organisations and tens of thousands of people, seeded.

Names are invented from common Moroccan first and family names, in Latin and Arabic
script; places are the real regions and provinces, weighted by their population.
"""

from __future__ import annotations

import random

from essor.territory.models import Province

from .models import Membership, Organisation, Person

WOMEN = [("Fatima", "فاطمة"), ("Khadija", "خديجة"), ("Aicha", "عائشة"), ("Naima", "نعيمة"),
         ("Zineb", "زينب"), ("Meryem", "مريم"), ("Hanane", "حنان"), ("Samira", "سميرة"),
         ("Latifa", "لطيفة"), ("Malika", "مليكة"), ("Nadia", "نادية"), ("Souad", "سعاد"),
         ("Rachida", "رشيدة"), ("Hafsa", "حفصة"), ("Salma", "سلمى"), ("Imane", "إيمان"),
         ("Asmae", "أسماء"), ("Ilham", "إلهام"), ("Karima", "كريمة"), ("Loubna", "لبنى"),
         ("Houda", "هدى"), ("Sanae", "سناء"), ("Widad", "وداد"), ("Ikram", "إكرام"),
         ("Fatima Zahra", "فاطمة الزهراء"), ("Hajar", "هاجر"), ("Btissam", "ابتسام"),
         ("Yamna", "يامنة"), ("Itto", "إيطو"), ("Touda", "تودة")]
MEN = [("Mohamed", "محمد"), ("Ahmed", "أحمد"), ("Youssef", "يوسف"), ("Hassan", "حسن"),
       ("Omar", "عمر"), ("Said", "سعيد"), ("Rachid", "رشيد"), ("Abdellah", "عبد الله"),
       ("Mustapha", "مصطفى"), ("Brahim", "إبراهيم"), ("Hamid", "حميد"), ("Karim", "كريم"),
       ("Hicham", "هشام"), ("Khalid", "خالد"), ("Driss", "إدريس"), ("Mehdi", "مهدي"),
       ("Anass", "أنس"), ("Ayoub", "أيوب"), ("Lahcen", "لحسن"), ("Moha", "موحى"),
       ("Abdelkader", "عبد القادر"), ("Jamal", "جمال"), ("Nabil", "نبيل"), ("Amine", "أمين")]
FAMILIES = [("Alaoui", "العلوي"), ("Benali", "بنعلي"), ("Idrissi", "الإدريسي"),
            ("Tazi", "التازي"), ("Bennani", "بناني"), ("Chraibi", "الشرايبي"),
            ("Amrani", "العمراني"), ("Berrada", "برادة"), ("El Fassi", "الفاسي"),
            ("Ouahbi", "الوهبي"), ("Ait Lahcen", "آيت لحسن"), ("Ouchen", "أوشن"),
            ("Bouzid", "بوزيد"), ("Zerouali", "الزروالي"), ("Lamrani", "اللمراني"),
            ("Kabbaj", "القباج"), ("Naciri", "الناصري"), ("Sabri", "صبري"),
            ("Hajji", "الحاجي"), ("Benjelloun", "بنجلون"), ("Mansouri", "المنصوري"),
            ("Ziani", "الزياني"), ("Belhaj", "بلحاج"), ("Ouali", "والي"),
            ("Essaidi", "السعيدي"), ("Rifi", "الريفي"), ("Soussi", "السوسي"),
            ("Doukkali", "الدكالي"), ("Sahraoui", "الصحراوي"), ("Jebli", "الجبلي"),
            ("Amazigh", "أمازيغ"), ("Boukhari", "البخاري"), ("Filali", "الفيلالي"),
            ("Hamdaoui", "الحمداوي"), ("Kettani", "الكتاني"), ("Outaleb", "أوطالب")]
ORG_WORDS = [("Al Amal", "الأمل"), ("Annour", "النور"), ("Al Baraka", "البركة"),
             ("Tifawine", "تيفاوين"), ("Assafae", "الصفاء"), ("Al Wafae", "الوفاء"),
             ("Tamaynut", "تامينوت"), ("Al Khair", "الخير"), ("Argana", "أركانة"),
             ("Tafoukt", "تافوكت"), ("Al Fath", "الفتح"), ("Nakhil", "النخيل"),
             ("Zitoun", "الزيتون"), ("Al Jawda", "الجودة"), ("Tilila", "تليلا"),
             ("Al Mostakbal", "المستقبل"), ("Warda", "الوردة"), ("Al Ikhlass", "الإخلاص"),
             ("Assanabil", "السنابل"), ("Tawada", "تاوادا")]
KIND_WORDS = {"cooperative": ("Coopérative", "تعاونية"), "association": ("Association", "جمعية"),
              "mutual": ("Mutuelle", "تعاضدية"), "foundation": ("Fondation", "مؤسسة"),
              "ess_enterprise": ("Entreprise solidaire", "مقاولة تضامنية")}
KIND_WEIGHTS = [("cooperative", 70), ("association", 22), ("mutual", 3), ("foundation", 2),
                ("ess_enterprise", 3)]
SECTORS = [s for s, _label in Organisation.Sector.choices]

# Near-duplicates left in on purpose, for the merge-candidates page.
NEAR_DUPLICATES = 60


def _weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights)[0]


def load(rng: random.Random, *, organisations: int, people: int) -> dict[str, int]:
    provinces = list(Province.objects.select_related("region").order_by("code"))
    weights = [max(p.population, 1) for p in provinces]

    region_codes = sorted({p.region.code for p in provinces})
    orgs: list[Organisation] = []
    taken: set[tuple[str, str]] = set()
    while len(orgs) < organisations:
        if len(orgs) < len(region_codes):  # every region has organisations
            province = rng.choice([p for p in provinces
                                   if p.region.code == region_codes[len(orgs)]])
        else:
            province = rng.choices(provinces, weights=weights)[0]
        kind = _weighted(rng, KIND_WEIGHTS)
        (word_fr, word_ar), (second_fr, second_ar) = rng.sample(ORG_WORDS, 2)
        kind_fr, kind_ar = KIND_WORDS[kind]
        if rng.random() < 0.5:
            name, name_ar = f"{kind_fr} {word_fr}", f"{kind_ar} {word_ar}"
        else:
            name, name_ar = f"{kind_fr} {word_fr} {second_fr}", f"{kind_ar} {word_ar} {second_ar}"
        name, name_ar = f"{name} {province.name_fr}", f"{name_ar} {province.name_ar}"
        if (name, kind) in taken:
            continue
        taken.add((name, kind))
        women = rng.randint(3, 40) if rng.random() < 0.7 else rng.randint(0, 8)
        org = Organisation(
            name=name, name_ar=name_ar,
            kind=kind, sector=rng.choice(SECTORS), region=province.region, province=province,
            city=province.name_fr, founding_year=rng.randint(1985, 2024),
            members_women=women, members_men=rng.randint(0, 25),
            ice=f"{rng.randint(10**14, 10**15 - 1)}" if rng.random() < 0.3 else "",
            registration_number=f"{rng.randint(1, 9999)}/{rng.randint(2000, 2024)}")
        org.refresh_keys()
        orgs.append(org)
    Organisation.objects.bulk_create(orgs, batch_size=1000)
    orgs = list(Organisation.objects.order_by("pk"))
    by_region: dict[int, list[Organisation]] = {}
    for org in orgs:
        by_region.setdefault(org.region_id, []).append(org)

    persons, used_ids = [], set()
    for _n in range(people):
        province = rng.choices(provinces, weights=weights)[0]
        woman = rng.random() < 0.6
        first, first_ar = rng.choice(WOMEN if woman else MEN)
        last, last_ar = rng.choice(FAMILIES)
        national_id = ""
        if rng.random() < 0.55:
            while not national_id or national_id in used_ids:
                letters = rng.choice(["A", "B", "BE", "BK", "C", "CD", "D", "EE", "F", "FA",
                                      "G", "H", "I", "J", "JA", "K", "L", "M", "N", "P", "Q",
                                      "R", "S", "SH", "T", "U", "V", "W", "X", "Y", "Z"])
                national_id = f"{letters}{rng.randint(10000, 999999)}"
            used_ids.add(national_id)
        person = Person(
            first_name=first, last_name=last, first_name_ar=first_ar, last_name_ar=last_ar,
            sex="F" if woman else "M", birth_year=rng.randint(1958, 2006),
            disability=rng.random() < 0.04, region=province.region, province=province,
            phone=f"0{rng.choice('67')}{rng.randint(0, 99999999):08d}"
            if rng.random() < 0.9 else "",
            national_id=national_id)
        person.refresh_keys()
        persons.append(person)
    for n in range(NEAR_DUPLICATES):
        original = persons[n * 7]
        twin = Person(
            first_name=original.first_name_ar if n % 2 else original.first_name[:-1] + "e",
            last_name=original.last_name_ar if n % 2 else original.last_name,
            sex=original.sex, birth_year=original.birth_year, region=original.region,
            province=original.province, phone=original.phone)
        twin.refresh_keys()
        persons.append(twin)
    Person.objects.bulk_create(persons, batch_size=2000)

    memberships = []
    for person_id, region_id in Person.objects.values_list("pk", "region_id").order_by("pk"):
        if rng.random() < 0.5 and by_region.get(region_id):
            memberships.append(Membership(person_id=person_id,
                                          organisation=rng.choice(by_region[region_id]),
                                          role="president" if rng.random() < 0.05 else "member"))
    Membership.objects.bulk_create(memberships, batch_size=5000, ignore_conflicts=True)
    return {"organisations": len(orgs), "people": len(persons),
            "memberships": len(memberships)}
