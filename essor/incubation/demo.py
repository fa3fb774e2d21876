"""Demo incubation: CIRA-ESS and the incubators of the university agreements.

``essor demo`` calls :func:`load` after the registry, users, promotion, training and
observatory demos. It adds what the seed report describes ("Incubation des porteurs de
projets"):

* CIRA-ESS, the incubation and action-research centre of the Casablanca faculty of law,
  economics and social sciences (Ain Chock), opened in May 2019, with a call for
  projects each spring and a cohort each October since (2019 to 2025): applications
  scored, selected or not with their reasons; projects in every phase, with a dated
  history that obeys the phases' state machine (a reason on every skip, return, drop
  and resumption), the milestones each phase requires, the organisations the projects
  became once legally created (registry organisations, their holders members), jobs by
  sex and revenue bands, and follow-ups 12 and 24 months after leaving;
* the smaller incubators of the university agreements: Hassan II (Casablanca), Hassan I
  (Settat), Cadi Ayyad and the law and economics faculty of Marrakech, opened since 2023;
* coaching sessions with their durations, modes, topics, notes and next steps, by the
  incubators' coaches: the demo coach (Salma Kettani) at CIRA-ESS, and a few colleagues
  made here (with the demo password).

Holders are mostly young people and women of the incubator's region, many of them people
who attended a workshop or held a stand in the demo (``programme.people_reached``'s
overlaps are real). Every figure comes from these records. Everything is drawn from the
``rng`` passed in, over querysets ordered by primary key, up to ``LAST_DAY``: the same
seed gives the same records whatever the day. :func:`load_today` adds the demo coach's
last weeks and coming sessions (some next steps overdue, for her home) and a call open
for applications, relative to the day of loading.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from essor.accounts.models import Role, User
from essor.core.codes import CODE_ALPHABET
from essor.core.definitions import is_young
from essor.promotion.demo import _town
from essor.promotion.models import Participation
from essor.registry.demo import KIND_WORDS, ORG_WORDS
from essor.registry.models import Membership, Organisation, Person
from essor.territory.models import Province, Region
from essor.training.models import Enrolment

from . import services
from .models import (
    PHASE_ORDER,
    Application,
    ApplicationHolder,
    Call,
    CoachingSession,
    Cohort,
    FollowUp,
    Holder,
    Incubator,
    Milestone,
    MilestoneReached,
    NextStep,
    Phase,
    PhaseChange,
    Project,
)

LAST_DAY = datetime.date(2025, 12, 31)  # the calibrated past ends here
DEMO_COACH = "coach"
PRE, CREATION, DEVELOPMENT, EXTENSION, DROPPED = (
    Phase.PRE_CREATION.value, Phase.CREATION.value, Phase.DEVELOPMENT.value,
    Phase.EXTENSION.value, Phase.DROPPED.value)
ORDER = [p.value for p in PHASE_ORDER]

# -- the incubators ----------------------------------------------------------------------------

AIN_CHOCK = ("Faculté des Sciences Juridiques, Economiques et Sociales Ain Chock",
             "كلية العلوم القانونية والاقتصادية والاجتماعية عين الشق", "faculty", "MA-06",
             "MA-CAS", "Casablanca")


@dataclass
class Spec:
    code: str
    name: str
    name_ar: str
    host: tuple[str, str, str, str, str, str]  # name, Arabic, kind, region, province, city
    opened_on: datetime.date
    capacity: int
    cohorts: dict[int, int]  # year: places
    coaches: list[str]
    applicants_per_place: float = 2.0


INCUBATORS = [
    Spec("cira-ess", "CIRA-ESS — Centre d'incubation et de recherche-action en ESS",
         "مركز الاحتضان والبحث الإجرائي في الاقتصاد الاجتماعي والتضامني", AIN_CHOCK,
         datetime.date(2019, 5, 6), 50, {2019: 10, 2020: 10, 2021: 12, 2022: 15, 2023: 15,
                                         2024: 18, 2025: 18}, [DEMO_COACH, "kmansouri"], 2.6),
    Spec("incubateur-uh2c", "Incubateur ESS de l'Université Hassan II de Casablanca",
         "حاضنة الاقتصاد الاجتماعي والتضامني بجامعة الحسن الثاني بالدار البيضاء",
         ("Université Hassan II de Casablanca", "جامعة الحسن الثاني بالدار البيضاء",
          "university", "MA-06", "MA-CAS", "Casablanca"),
         datetime.date(2023, 10, 2), 12, {2024: 8, 2025: 8}, ["hbennani"]),
    Spec("incubateur-uh1", "Incubateur ESS de l'Université Hassan Ier de Settat",
         "حاضنة الاقتصاد الاجتماعي والتضامني بجامعة الحسن الأول بسطات",
         ("Université Hassan Ier de Settat", "جامعة الحسن الأول بسطات", "university",
          "MA-06", "MA-SET", "Settat"),
         datetime.date(2024, 2, 5), 10, {2024: 6, 2025: 6}, ["asabri"]),
    Spec("incubateur-uca", "Incubateur ESS de l'Université Cadi Ayyad",
         "حاضنة الاقتصاد الاجتماعي والتضامني بجامعة القاضي عياض",
         ("Université Cadi Ayyad", "جامعة القاضي عياض", "university", "MA-07", "MA-MAR",
          "Marrakech"),
         datetime.date(2023, 3, 6), 12, {2023: 6, 2024: 6, 2025: 6}, ["mouali"]),
    Spec("fsjes-marrakech",
         "Incubateur de la Faculté des Sciences Juridiques, Economiques et Sociales de Marrakech",
         "حاضنة كلية العلوم القانونية والاقتصادية والاجتماعية بمراكش",
         ("Faculté des Sciences Juridiques, Economiques et Sociales de Marrakech",
          "كلية العلوم القانونية والاقتصادية والاجتماعية بمراكش", "faculty", "MA-07",
          "MA-MAR", "Marrakech"),
         datetime.date(2024, 10, 7), 10, {2025: 8}, ["ydoukkali", "mouali"]),
]
# The demo coach's colleagues: username, first name, last name, region.
COACHES = [("kmansouri", "Khalid", "Mansouri", "MA-06"),
           ("hbennani", "Houda", "Bennani", "MA-06"),
           ("asabri", "Anass", "Sabri", "MA-06"),
           ("mouali", "Meryem", "Ouali", "MA-07"),
           ("ydoukkali", "Youssef", "Doukkali", "MA-07")]
DECIDED_BY = {"MA-06": "casablanca"}  # elsewhere the national admin decides

# -- what the projects do ----------------------------------------------------------------------

ACTIVITIES = {
    "agriculture": [("Couscous et pâtes artisanales", "الكسكس والعجائن التقليدية"),
                    ("Apiculture et miel de montagne", "تربية النحل وعسل الجبل"),
                    ("Maraîchage biologique", "الزراعة البيولوجية للخضر"),
                    ("Fromagerie de lait de chèvre", "إنتاج جبن حليب الماعز"),
                    ("Séchage de figues et de tomates", "تجفيف التين والطماطم")],
    "crafts": [("Poterie et céramique", "الفخار والخزف"), ("Tissage de tapis", "نسج الزرابي"),
               ("Maroquinerie artisanale", "الصناعة الجلدية التقليدية"),
               ("Vannerie en doum", "صناعة الدوم")],
    "textile": [("Atelier de couture solidaire", "ورشة الخياطة التضامنية"),
                ("Broderie traditionnelle", "الطرز التقليدي"),
                ("Confection de tenues de travail", "خياطة ملابس العمل")],
    "argan": [("Plantes aromatiques et médicinales", "النباتات العطرية والطبية"),
              ("Huile d'argan et amlou", "زيت الأركان والأملو")],
    "fisheries": [("Valorisation des algues", "تثمين الطحالب"),
                  ("Conserves de poisson", "مصبرات السمك")],
    "tourism": [("Gîte rural solidaire", "مأوى قروي تضامني"),
                ("Circuits de tourisme solidaire", "مسارات السياحة التضامنية")],
    "services": [("Traiteur solidaire", "ممون الحفلات التضامني"),
                 ("Collecte et recyclage du plastique", "جمع وتدوير البلاستيك"),
                 ("Pressing écologique", "مصبنة بيئية"),
                 ("Réparation de téléphones et d'ordinateurs", "إصلاح الهواتف والحواسيب")],
    "education": [("Crèche associative", "روض أطفال جمعوي"),
                  ("Soutien scolaire", "الدعم المدرسي"),
                  ("Atelier de codage pour les jeunes", "ورشة البرمجة للشباب")],
    "health": [("Savonnerie beldi", "صناعة الصابون البلدي"),
               ("Aide à domicile pour les personnes âgées", "المساعدة المنزلية للمسنين")],
    "housing": [("Briques de terre compressée", "الطوب الطيني المضغوط")],
}
SECTOR_WEIGHTS = {
    "MA-06": {"services": 22, "textile": 16, "agriculture": 16, "education": 12, "crafts": 10,
              "health": 8, "fisheries": 5, "tourism": 4, "argan": 3, "housing": 4},
    "MA-07": {"agriculture": 20, "crafts": 18, "argan": 16, "tourism": 14, "textile": 10,
              "services": 10, "education": 6, "health": 4, "housing": 2},
}
# Neighbourhoods of the two big cities, for the projects of their prefectures.
QUARTERS = {"MA-CAS": [("Ain Chock", "عين الشق"), ("Hay Hassani", "الحي الحسني"),
                       ("Sidi Moumen", "سيدي مومن"), ("Ben M'Sick", "بن مسيك"),
                       ("Sidi Bernoussi", "سيدي البرنوصي"), ("Hay Mohammadi", "الحي المحمدي"),
                       ("Moulay Rachid", "مولاي رشيد")],
            "MA-MAR": [("Marrakech", "مراكش"), ("Daoudiate", "الداوديات"),
                       ("Sidi Youssef Ben Ali", "سيدي يوسف بن علي"), ("M'hamid", "المحاميد")]}
CRITERIA = ("Projets de l'économie sociale et solidaire portés par des jeunes de moins de 35 "
            "ans ou par des femmes, résidant dans la région ; caractère collectif et utilité "
            "sociale du projet ; faisabilité économique ; engagement à suivre le coaching.")
CRITERIA_AR = ("مشاريع الاقتصاد الاجتماعي والتضامني التي يحملها شباب دون 35 سنة أو نساء "
               "مقيمون بالجهة؛ الطابع الجماعي والمنفعة الاجتماعية للمشروع؛ الجدوى "
               "الاقتصادية؛ الالتزام بمتابعة المواكبة.")

# -- the phases --------------------------------------------------------------------------------

DAYS_IN = {PRE: (120, 270), CREATION: (150, 300), DEVELOPMENT: (300, 540),
           EXTENSION: (240, 420)}
DROP = {PRE: 0.13, CREATION: 0.08, DEVELOPMENT: 0.05, EXTENSION: 0.02}
SKIP, BACK, RESUME = 0.06, 0.05, 0.3
DROP_REASONS = {
    PRE: ["Le porteur a trouvé un emploi salarié et renonce au projet.",
          "L'étude de marché montre que le projet n'est pas viable en l'état.",
          "Désaccord entre les associées sur le partage des tâches.",
          "La porteuse a quitté la région pour raisons familiales."],
    CREATION: ["Le local prévu n'a pas pu être loué ; le groupe s'est dispersé.",
               "Financement de démarrage refusé, les porteurs arrêtent.",
               "Départ de deux des trois associés : le projet n'a plus de porteurs."],
    DEVELOPMENT: ["Ventes insuffisantes pour couvrir les charges ; la coopérative cesse "
                  "son activité.",
                  "Le principal client a rompu le contrat ; activité arrêtée."],
    EXTENSION: ["Les associées ont choisi de rester à leur taille actuelle et d'arrêter "
                "l'accompagnement."],
}
RESUME_REASONS = ["Reprise après une pause : la porteuse revient avec deux nouvelles associées.",
                  "Le porteur revient avec un local trouvé par la commune ; le projet reprend."]
SKIP_REASONS = ["Coopérative déjà constituée par les porteuses avant l'incubation et "
                "immatriculée pendant la pré-création : elle passe directement au "
                "développement.",
                "Activité déjà en place (ventes sur les marchés) ; l'association a été "
                "déclarée pendant la pré-création, la phase de création n'a plus d'objet."]
BACK_REASONS = ["Perte du local de production : retour en création pour monter un nouveau "
                "dossier d'installation.",
                "Changement de forme juridique (association vers coopérative) : nouvelle "
                "immatriculation à faire."]
# Chance that an optional milestone of a phase is reached while the project is in it.
OPTIONAL = {"market_study": 0.7, "legal_form": 0.8, "bank_account": 0.85, "first_sale": 0.75,
            "first_hire": 0.6, "first_contract": 0.45, "certification": 0.25,
            "new_market": 0.55, "autonomy": 0.45}
MILESTONE_NOTES = {"business_plan": "Validé en comité de l'incubateur.",
                   "legal_creation": "Récépissé définitif obtenu.",
                   "certification": "Label « Produit de l'ESS » obtenu."}

# -- coaching ----------------------------------------------------------------------------------

SESSION_EVERY = {PRE: (14, 28), CREATION: (14, 35), DEVELOPMENT: (21, 45),
                 EXTENSION: (35, 70)}
DURATIONS = [Decimal("1"), Decimal("1.5"), Decimal("1.5"), Decimal("2"), Decimal("2"),
             Decimal("3")]
TOPICS = {
    PRE: ["Idée et modèle économique", "Étude de marché", "Plan d'affaires",
          "Choix de la forme juridique", "Prévisionnel financier"],
    CREATION: ["Dossier d'immatriculation", "Statuts et règlement intérieur",
               "Ouverture du compte bancaire", "Premières ventes", "Recherche de financement"],
    DEVELOPMENT: ["Comptabilité et fiscalité", "Recrutement", "Commercialisation et salons",
                  "Labellisation des produits", "Gestion des stocks"],
    EXTENSION: ["Nouveaux marchés", "Vente en ligne", "Gouvernance de la coopérative",
                "Autonomie financière", "Export"],
}
NOTES = {
    PRE: ["Les porteuses ont présenté la première version du plan d'affaires ; le "
          "prévisionnel sous-estime les charges de loyer.",
          "Idée solide, mais la clientèle visée reste floue : enquête auprès de 30 clients "
          "potentiels convenue.",
          "Hésitation entre coopérative et association ; comparatif des deux formes remis.",
          "الفكرة واعدة لكن دراسة السوق ما زالت ناقصة؛ اتفقنا على زيارة السوق الأسبوعي."],
    CREATION: ["Dossier d'immatriculation presque complet ; il manque l'attestation de "
               "domiciliation.",
               "Premières ventes au marché du quartier, bons retours sur les prix.",
               "Le groupe a besoin d'aide pour la tenue de la caisse : outil simple montré.",
               "تم إيداع ملف التأسيس لدى السلطات؛ ننتظر الوصل النهائي."],
    DEVELOPMENT: ["Chiffre d'affaires en hausse depuis le salon régional ; la charge de "
                  "travail justifie un premier recrutement.",
                  "Stock mal suivi, pertes sur les produits frais : tableau de suivi mis en "
                  "place ensemble.",
                  "Discussion avec une grande surface locale pour un référencement.",
                  "الجمعية تحتاج إلى تنظيم المحاسبة قبل طلب الدعم."],
    EXTENSION: ["La coopérative vise Rabat et Marrakech ; étude des coûts de transport.",
                "Gouvernance à clarifier avant l'arrivée de nouvelles membres.",
                "Autonomie presque atteinte : deux séances encore avant la sortie.",
                "التعاونية تفكر في البيع عبر الإنترنت؛ عرضنا عليها تجارب تعاونيات أخرى."],
}
STEPS = {
    PRE: ["Compléter le prévisionnel sur trois ans", "Interroger 30 clients potentiels",
          "Rédiger le projet de statuts", "Demander trois devis d'équipement"],
    CREATION: ["Déposer le dossier d'immatriculation", "Ouvrir le compte bancaire",
               "Tenir le cahier de caisse chaque semaine", "Préparer la fiche produit"],
    DEVELOPMENT: ["Rédiger l'offre d'emploi", "Mettre à jour le tableau de stock",
                  "Candidater au prochain salon régional", "Préparer le dossier de label"],
    EXTENSION: ["Chiffrer la livraison vers Rabat", "Organiser l'assemblée générale",
                "Ouvrir la boutique en ligne", "Contacter deux distributeurs"],
}
REMOTE_SHARE = {2020: 0.65, 2021: 0.45}  # the pandemic years; 0.2 otherwise

# -- selection ---------------------------------------------------------------------------------

REJECTED_REASONS = ["Projet encore au stade de l'idée : aucun client ni marché identifié.",
                    "Activité sans dimension sociale ou solidaire (entreprise individuelle "
                    "classique).",
                    "Dossier incomplet : budget prévisionnel manquant.",
                    "Porteurs ne résidant pas dans la région de l'incubateur."]


@dataclass
class Story:
    """A project's life up to LAST_DAY, as the services would have recorded it."""

    joined: datetime.date
    changes: list[tuple[str, str, datetime.date, str]] = field(default_factory=list)
    reached: dict[str, datetime.date] = field(default_factory=dict)
    left_on: datetime.date | None = None

    @property
    def phase(self) -> str:
        return self.changes[-1][1]

    @property
    def since(self) -> datetime.date:
        return self.changes[-1][2]

    def last_phase(self) -> str:
        """The phase the project was in last (before dropping out)."""
        return next(to for _f, to, _d, _r in reversed(self.changes) if to != DROPPED)

    def intervals(self) -> list[tuple[str, datetime.date, datetime.date]]:
        """(phase, from, to) of the coached periods, dropped periods left out."""
        out = []
        end = self.left_on or LAST_DAY
        for n, (_from, to, date, _reason) in enumerate(self.changes):
            stop = self.changes[n + 1][2] if n + 1 < len(self.changes) else end
            if to != DROPPED and stop > date:
                out.append((to, date, min(stop, end)))
        return out


def _days(rng, low_high) -> datetime.timedelta:
    return datetime.timedelta(days=rng.randint(*low_high))


def _between(rng, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def story(rng: random.Random, joined: datetime.date,
          milestones: list[Milestone]) -> Story:
    """Phases, reasons and milestones of one project from ``joined`` to LAST_DAY, each
    transition one that ``services.check_transition`` accepts on its date."""
    life = Story(joined=joined, changes=[("", PRE, joined, "")])

    def reach(code: str, first: datetime.date, last: datetime.date) -> None:
        if code not in life.reached and first <= last:
            life.reached[code] = _between(rng, first, last)

    def optional(phase: str, first: datetime.date, last: datetime.date, *,
                 current: bool) -> None:
        for m in milestones:
            if m.phase != phase:
                continue
            chance = (0.5 if current else 0) if m.required else OPTIONAL.get(m.code, 0.3)
            if rng.random() < chance:
                reach(m.code, first, min(last, LAST_DAY))

    def required_before(target: str, first: datetime.date, last: datetime.date) -> None:
        before = ORDER[:ORDER.index(target)]
        for m in milestones:
            if m.required and m.phase in before:
                reach(m.code, max(first, last - datetime.timedelta(days=45)), last)

    went_back = resumed = False
    while True:
        phase, since = life.phase, life.since
        length = _days(rng, DAYS_IN[phase])
        if rng.random() < DROP[phase]:
            date = since + datetime.timedelta(days=rng.randint(30, length.days))
            if date > LAST_DAY:
                optional(phase, since, LAST_DAY, current=True)
                return life
            optional(phase, since, date, current=True)
            life.changes.append((phase, DROPPED, date, rng.choice(DROP_REASONS[phase])))
            life.left_on = date
            if phase == PRE and not resumed and rng.random() < RESUME:
                back_on = date + datetime.timedelta(days=rng.randint(60, 200))
                if back_on <= LAST_DAY:
                    life.changes.append((DROPPED, PRE, back_on, rng.choice(RESUME_REASONS)))
                    life.left_on, resumed = None, True
                    continue
            return life
        date = since + length
        if date > LAST_DAY:
            optional(phase, since, LAST_DAY, current=True)
            return life
        if phase == EXTENSION:  # coaching ends: project_leave
            optional(phase, since, date, current=False)
            life.left_on = date
            return life
        target, reason = ORDER[ORDER.index(phase) + 1], ""
        if phase == PRE and rng.random() < SKIP:
            target, reason = DEVELOPMENT, rng.choice(SKIP_REASONS)
        required_before(target, since, date)
        optional(phase, since, date, current=False)
        life.changes.append((phase, target, date, reason))
        if target == DEVELOPMENT and not went_back and rng.random() < BACK:
            went_back = True
            back_on = date + datetime.timedelta(days=rng.randint(60, 150))
            if back_on <= LAST_DAY:
                life.changes.append((DEVELOPMENT, CREATION, back_on, rng.choice(BACK_REASONS)))


# -- people ------------------------------------------------------------------------------------

class _People:
    """The people of a region to draw holders from: workshop attendees, stand holders and
    the others, by sex and by whether they are young in a given year; each drawn once
    while there are others to draw."""

    def __init__(self, rng: random.Random, region_ids: list[int]):
        self.rng = rng
        attended = set(Enrolment.objects.filter(attended=True, person__region__in=region_ids)
                       .order_by().values_list("person_id", flat=True).distinct())
        exhibited = set(Participation.objects.filter(
            status=Participation.Status.ATTENDED, holder__region__in=region_ids)
            .order_by().values_list("holder_id", flat=True).distinct())
        self.people: dict[int, tuple] = {}
        self.pools: dict[tuple[int, str], list[int]] = {}
        for row in (Person.objects.filter(region__in=region_ids).order_by("pk")
                    .values_list("pk", "region_id", "province_id", "sex", "birth_year",
                                 "first_name", "last_name")):
            pk, region_id = row[0], row[1]
            self.people[pk] = row
            source = ("workshop" if pk in attended else "stand" if pk in exhibited
                      else "other")
            self.pools.setdefault((region_id, source), []).append(pk)
            self.pools.setdefault((region_id, "any"), []).append(pk)
        self.used: set[int] = set()

    def any(self, region_id: int) -> bool:
        return bool(self.pools.get((region_id, "any")))

    def draw(self, region_id: int, year: int, *, exclude: set[int], reuse: bool = False
             ) -> int | None:
        """A holder: a woman two times out of three, young three times out of four, who
        attended a workshop or held a stand more often than not."""
        woman, young = self.rng.random() < 0.67, self.rng.random() < 0.75
        source = self.rng.choices(["workshop", "stand", "other"], [45, 17, 38])[0]
        taken = exclude if reuse else exclude | self.used
        # The sex and age drawn, from the source drawn or any source, before anyone.
        for strict in (True, False):
            for pool_name in (source, "any"):
                pool = [pk for pk in self.pools.get((region_id, pool_name), [])
                        if pk not in taken and (not strict or (
                            (self.people[pk][3] == "F") == woman
                            and is_young(self.people[pk][4], year) == young))]
                if pool:
                    pk = self.rng.choice(pool)
                    if not reuse:
                        self.used.add(pk)
                    return pk
        if not reuse:  # everyone holds a project already: someone holds a second one
            return self.draw(region_id, year, exclude=exclude, reuse=True)
        pool = [pk for pk in self.pools.get((region_id, "any"), []) if pk not in exclude]
        return self.rng.choice(pool) if pool else None


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _comma(number: Decimal) -> str:
    """81.5 as French writes it: 81,5."""
    return str(number).replace(".", ",")


def _reference(rng: random.Random, taken: set[str]) -> str:
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _n in range(8))
        if code not in taken:
            taken.add(code)
            return code


def _email(person: tuple, n: int) -> str:
    first = slugify(person[5]) or "porteur"
    last = slugify(person[6]) or "projet"
    return f"{first}.{last}.{n}@exemple.invalid"


def _town_of(rng, province: Province | None, fallback: tuple[str, str]) -> tuple[str, str]:
    if province is None:
        return fallback
    if province.code in QUARTERS:
        return rng.choice(QUARTERS[province.code])
    return _town(province)


# -- the generator -----------------------------------------------------------------------------

def load(rng: random.Random) -> dict[str, int]:
    regions = {r.code: r for r in Region.objects.filter(code__in=["MA-06", "MA-07"])}
    if len(regions) < 2:
        return {"incubators": 0}
    provinces = {p.pk: p for p in Province.objects.filter(region__in=regions.values())
                 .order_by("code")}
    by_code = {p.code: p for p in provinces.values()}
    milestones = list(Milestone.objects.order_by("order", "code"))
    coaches = _coaches(regions)
    incubators = [_incubator(spec, regions, by_code, coaches) for spec in INCUBATORS]
    people = _People(rng, [r.pk for r in regions.values()])
    deciders = {code: User.objects.filter(username=DECIDED_BY.get(code, "admin")).first()
                for code in regions}

    counts = {"incubators": len(incubators), "coaches": len(coaches)}
    tz = timezone.get_current_timezone()
    plans = []  # (incubator, spec, call, cohort, year, decided_at)
    calls, cohorts = [], []
    for incubator, spec in zip(incubators, INCUBATORS, strict=True):
        for year, places in sorted(spec.cohorts.items()):
            # The academic year's calendar: a call in spring, the cohort in October.
            opens = max(datetime.date(year, 3, 2), spec.opened_on)
            closes = opens + datetime.timedelta(days=rng.randint(45, 60))
            decided = closes + datetime.timedelta(days=rng.randint(10, 20))
            call = Call(incubator=incubator, code=f"{spec.code}-appel-{year}",
                        title=f"Appel à projets {year} — {spec.name.split(' — ')[0]}",
                        title_ar=f"طلب مشاريع {year} — {spec.name_ar}",
                        criteria=CRITERIA, criteria_ar=CRITERIA_AR, opens_on=opens,
                        closes_on=closes, places=places, status=Call.Status.CLOSED)
            starts = max(datetime.date(year, 10, 5) + datetime.timedelta(days=rng.randint(0, 10)),
                         decided + datetime.timedelta(days=7))
            cohort = Cohort(incubator=incubator, call=call, code=f"{spec.code}-{year}",
                            name=f"Cohorte {year}-{year + 1}", starts_on=starts)
            calls.append(call)
            cohorts.append(cohort)
            plans.append((incubator, spec, call, cohort, year, datetime.datetime.combine(
                decided, datetime.time(10), tzinfo=tz)))
    Call.objects.bulk_create(calls)
    Cohort.objects.bulk_create(cohorts)  # their calls' keys filled in from the saved calls
    counts["incubation calls"], counts["cohorts"] = len(calls), len(cohorts)

    references = set(Application.objects.values_list("reference", flat=True))
    projects: list[tuple[Project, Story, list[int], User | None]] = []
    applications: list[tuple[Application, list[int], datetime.datetime]] = []
    for incubator, spec, call, cohort, year, decided_at in plans:
        region, places = incubator.region, call.places
        if not people.any(region.pk):
            continue
        count = max(places + 2, round(places * spec.applicants_per_place
                                      * rng.uniform(0.85, 1.15)))
        # Ranked by score; the ineligible are not scored, the best eligible fill the places.
        scores = sorted((Decimal(str(round(rng.uniform(35, 93), 1))) for _n in range(count)),
                        reverse=True)
        selected = 0
        for score in scores:
            eligible = rng.random() < 0.85
            chosen = eligible and selected < places
            holders = _holders(rng, people, region.pk, year, chosen=chosen)
            if not holders:
                continue
            lead = people.people[holders[0]]
            sector = _weighted(rng, SECTOR_WEIGHTS[region.code])
            activity, activity_ar = rng.choice(ACTIVITIES[sector])
            province = provinces.get(lead[2])
            town, town_ar = _town_of(rng, province, (spec.host[5], ""))
            submitted = datetime.datetime.combine(
                _between(rng, call.opens_on, call.closes_on), datetime.time(
                    rng.randint(8, 22), rng.randint(0, 59)), tzinfo=tz)
            application = Application(
                call=call, reference=_reference(rng, references), region=region,
                province=province, title=f"{activity} — {town}",
                summary=(f"{activity} à {town} : production, vente directe et sur les salons "
                         f"de l'ESS, pour créer des emplois de femmes et de jeunes."),
                sector=sector, email=_email(lead, len(applications) + 1),
                language="ar" if rng.random() < 0.2 else "fr",
                email_confirmed_at=submitted + datetime.timedelta(minutes=rng.randint(2, 600)),
                decided_by=deciders[region.code], decided_at=decided_at)
            applications.append((application, holders, submitted))
            if chosen:
                selected += 1
                application.status, application.score = Application.Status.SELECTED, score
                application.decision_reason = (
                    f"Retenu : rang {selected} sur {places} places (score {_comma(score)}).")
                project = Project(
                    incubator=incubator, cohort=cohort, application=application,
                    code=f"{spec.code}-{year}-{selected:02d}", title=application.title,
                    title_ar=f"{activity_ar} — {town_ar or town}", summary=application.summary,
                    sector=sector, region=region, province=province,
                    joined_on=cohort.starts_on, phase_since=cohort.starts_on)
                projects.append((project, story(rng, cohort.starts_on, milestones), holders,
                                 _coach_of(rng, spec, coaches)))
            elif eligible:
                application.status, application.score = Application.Status.REJECTED, score
                application.decision_reason = (
                    f"Classé au-delà des {places} places de la cohorte (score {_comma(score)}).")
            elif rng.random() < 0.25:
                application.status = Application.Status.WITHDRAWN
                application.decision_reason = "Candidature retirée par la porteuse avant la décision."
                application.decided_by = application.decided_at = None
            else:
                application.status = Application.Status.REJECTED
                application.decision_reason = rng.choice(REJECTED_REASONS)
    counts.update(_write_applications(applications))
    counts.update(_write_projects(rng, projects, milestones, people))
    for cohort in cohorts:  # a cohort ends when its last project left
        left = [p.left_on for p, *_rest in projects if p.cohort is cohort]
        dates = [d for d in left if d is not None]
        if dates and len(dates) == len(left):
            cohort.ends_on = max(dates)
    Cohort.objects.bulk_update(cohorts, ["ends_on"])
    return counts


def _coaches(regions: dict[str, Region]) -> dict[str, User]:
    """The demo coach and their colleagues (same demo password as the demo coach)."""
    demo_coach = User.objects.filter(username=DEMO_COACH, role=Role.COACH).first()
    found = {DEMO_COACH: demo_coach} if demo_coach else {}
    for username, first, last, region in COACHES:
        user = User(username=username, role=Role.COACH, first_name=first, last_name=last,
                    email=f"{username}@essor.invalid")
        if demo_coach is not None:
            user.password = demo_coach.password  # hashed once, by the accounts demo
        else:
            user.set_unusable_password()
        user.save()
        user.regions.set([regions[region]])
        found[username] = user
    return found


def _incubator(spec: Spec, regions, by_code, coaches) -> Incubator:
    name, name_ar, kind, region_code, province_code, city = spec.host
    region = regions[region_code]
    host, _created = Organisation.objects.get_or_create(
        name=name, kind=kind, region=region,
        defaults={"name_ar": name_ar, "city": city, "province": by_code.get(province_code)})
    incubator = Incubator.objects.create(
        code=spec.code, name=spec.name, name_ar=spec.name_ar, host=host, region=region,
        province=by_code.get(province_code), capacity=spec.capacity, opened_on=spec.opened_on)
    incubator.coaches.set([coaches[c] for c in spec.coaches if c in coaches])
    return incubator


def _coach_of(rng, spec: Spec, coaches) -> User | None:
    """A project's coach: the first of the incubator's coaches three times out of five."""
    present = [coaches[c] for c in spec.coaches if c in coaches]
    if not present:
        return None
    return present[0] if rng.random() < 0.6 or len(present) == 1 else rng.choice(present[1:])


def _holders(rng, people: _People, region_id: int, year: int, *, chosen: bool) -> list[int]:
    """One to three holders; applicants who will not be selected may have applied before."""
    count = rng.choices([1, 2, 3], [55, 33, 12])[0]
    holders: list[int] = []
    for _n in range(count):
        pk = people.draw(region_id, year, exclude=set(holders), reuse=not chosen)
        if pk is not None:
            holders.append(pk)
    return holders


def _write_applications(applications) -> dict[str, int]:
    Application.objects.bulk_create([a for a, _h, _s in applications], batch_size=1000)
    for application, _h, submitted in applications:
        application.submitted_at = submitted  # auto_now_add set it to now
    Application.objects.bulk_update([a for a, _h, _s in applications], ["submitted_at"],
                                     batch_size=1000)
    ApplicationHolder.objects.bulk_create([
        ApplicationHolder(application=a, person_id=pk, lead=n == 0)
        for a, holders, _s in applications for n, pk in enumerate(holders)], batch_size=2000)
    return {"incubation applications": len(applications)}


def _write_projects(rng, projects, milestones, people: _People) -> dict[str, int]:
    by_code = {m.code: m for m in milestones}
    organisations = _organisations(rng, projects, people)
    for project, life, *_rest in projects:
        project.phase, project.phase_since, project.left_on = life.phase, life.since, life.left_on
        project.organisation = organisations.get(project.code)
        _outcomes(rng, project, life)
    Project.objects.bulk_create([p for p, *_rest in projects], batch_size=500)

    changes, reached, holders, follow_ups = [], [], [], []
    for project, life, holder_ids, coach in projects:
        changes += [PhaseChange(project=project, from_phase=before, to_phase=after, date=date,
                                reason=reason, by=coach)
                    for before, after, date, reason in life.changes]
        reached += [MilestoneReached(project=project, milestone=by_code[code], date=date,
                                     note=MILESTONE_NOTES.get(code, ""))
                    for code, date in sorted(life.reached.items(), key=lambda i: i[1])]
        holders += [Holder(project=project, person_id=pk, lead=n == 0)
                    for n, pk in enumerate(holder_ids)]
        follow_ups += _follow_ups(rng, project, life)
    PhaseChange.objects.bulk_create(changes, batch_size=2000)
    MilestoneReached.objects.bulk_create(reached, batch_size=2000)
    Holder.objects.bulk_create(holders, batch_size=2000)
    FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
    for project, *_rest in projects:
        services.project_refresh_targets(project)
    counts = {"projects": len(projects), "project holders": len(holders),
              "phase changes": len(changes), "milestones reached": len(reached),
              "organisations created by projects": len(organisations),
              "follow-ups": len(follow_ups)}
    counts.update(_sessions(rng, projects))
    return counts


def _organisations(rng, projects, people: _People) -> dict[str, Organisation]:
    """The registry organisation each legally created project became (founded in the
    year of its legal creation, its holders members), by project code."""
    taken = set(Organisation.objects.values_list("name_key", "kind", "region_id"))
    made: dict[str, Organisation] = {}
    members: list[tuple[str, list[int]]] = []
    for project, life, holder_ids, _coach in projects:
        created = life.reached.get("legal_creation")
        if created is None or life.last_phase() == PRE:
            continue
        kind = rng.choices(["cooperative", "association", "ess_enterprise"], [65, 25, 10])[0]
        kind_fr, kind_ar = KIND_WORDS[kind]
        town = project.title.rsplit(" — ", 1)[-1]
        town_ar = project.title_ar.rsplit(" — ", 1)[-1]
        sexes = [people.people[pk][3] for pk in holder_ids]
        for _try in range(40):
            (word, word_ar), (second, second_ar) = rng.sample(ORG_WORDS, 2)
            if _try >= 20:
                word, word_ar = f"{word} {second}", f"{word_ar} {second_ar}"
            org = Organisation(
                name=f"{kind_fr} {word} {town}", name_ar=f"{kind_ar} {word_ar} {town_ar}",
                kind=kind, sector=project.sector, region=project.region,
                province=project.province, city=town, founding_year=created.year,
                members_women=sexes.count("F"), members_men=sexes.count("M"),
                registration_number=f"{rng.randint(1, 9999)}/{created.year}")
            org.refresh_keys()
            if (org.name_key, kind, project.region.pk) not in taken:
                taken.add((org.name_key, kind, project.region.pk))
                made[project.code] = org
                members.append((project.code, holder_ids))
                break
    Organisation.objects.bulk_create(list(made.values()))
    Membership.objects.bulk_create([
        Membership(person_id=pk, organisation=made[code],
                   role=Membership.Role.PRESIDENT if n == 0 else Membership.Role.MEMBER)
        for code, holder_ids in members for n, pk in enumerate(holder_ids)],
        ignore_conflicts=True)
    return made


JOBS = {PRE: (0, 0), CREATION: (0, 2), DEVELOPMENT: (1, 6), EXTENSION: (3, 12)}
REVENUE = {PRE: [""], CREATION: ["none", "none", "under_50k"],
           DEVELOPMENT: ["under_50k", "50k_200k", "50k_200k"],
           EXTENSION: ["50k_200k", "200k_1m", "200k_1m", "over_1m"]}


def _outcomes(rng, project: Project, life: Story) -> None:
    """Jobs created (two thirds of them women's) and the revenue band, by how far the
    project went; a dropped project's jobs are gone with it."""
    phase = life.last_phase()
    if life.phase == DROPPED or phase == PRE:
        return
    jobs = rng.randint(*JOBS[phase]) if project.organisation is not None else rng.randint(0, 1)
    women = sum(1 for _n in range(jobs) if rng.random() < 0.67)
    project.jobs_women, project.jobs_men = women, jobs - women
    if project.organisation is not None:
        project.revenue_band = rng.choice(REVENUE[phase])


def _follow_ups(rng, project: Project, life: Story) -> list[FollowUp]:
    """At 12 and 24 months after leaving, where that date is past: most projects that
    left after extension still active, few of the dropped ones."""
    if life.left_on is None:
        return []
    completed = life.phase != DROPPED
    rows: list[FollowUp] = []
    active = True
    for months in (12, 24):
        date = life.left_on + datetime.timedelta(days=months * 365 // 12 + rng.randint(0, 40))
        if date > LAST_DAY or (not completed and rng.random() < 0.35):
            break
        active = active and rng.random() < (0.85 if completed else 0.2)
        jobs_women = jobs_men = None
        band = ""
        if active:
            jobs_women = project.jobs_women + rng.randint(0, 2)
            jobs_men = project.jobs_men + rng.randint(0, 1)
            band = project.revenue_band or "under_50k"
        rows.append(FollowUp(
            project=project, months=months, date=date, active=active, jobs_women=jobs_women,
            jobs_men=jobs_men, revenue_band=band,
            note=("Visite sur place." if active and rng.random() < 0.5
                  else "Joint par téléphone." if active
                  else "Activité arrêtée ; les porteurs ont été joints par téléphone.")))
        if not active:
            break
    return rows


def _sessions(rng, projects) -> dict[str, int]:
    """Sessions through each coached period, at the pace of its phase; their next steps
    agreed, and done (the day of loading adds the open ones)."""
    sessions: list[CoachingSession] = []
    steps: list[tuple[int, str, datetime.date, datetime.date]] = []
    for project, life, _h, coach in projects:
        if coach is None:
            continue
        for phase, first, last in life.intervals():
            day = first + datetime.timedelta(days=rng.randint(3, 12))
            while day <= last:
                remote = rng.random() < REMOTE_SHARE.get(day.year, 0.2)
                sessions.append(CoachingSession(
                    project=project, coach=coach, date=day,
                    duration_hours=rng.choice(DURATIONS),
                    mode=CoachingSession.Mode.REMOTE if remote else CoachingSession.Mode.ON_SITE,
                    topics=", ".join(rng.sample(TOPICS[phase], rng.randint(1, 2))),
                    notes=rng.choice(NOTES[phase]) if rng.random() < 0.8 else ""))
                for _n in range(rng.choices([0, 1, 2], [30, 50, 20])[0]):
                    due = day + datetime.timedelta(days=rng.randint(7, 35))
                    done = min(max(day, due + datetime.timedelta(days=rng.randint(-10, 6))),
                               LAST_DAY)
                    steps.append((len(sessions) - 1, rng.choice(STEPS[phase]), due, done))
                day += _days(rng, SESSION_EVERY[phase])
    CoachingSession.objects.bulk_create(sessions, batch_size=2000)
    NextStep.objects.bulk_create([NextStep(session=sessions[n], text=text, due_on=due,
                                           done_on=done) for n, text, due, done in steps],
                                 batch_size=2000)
    return {"coaching sessions": len(sessions), "next steps": len(steps)}


# -- the day the demo is loaded ----------------------------------------------------------------

TODAY_PROJECTS = 8
OPEN_CALL_APPLICATIONS = 9


def load_today(rng: random.Random, today: datetime.date) -> dict[str, int]:
    """The demo coach's last four weeks and next two at CIRA-ESS, relative to the day of
    loading: sessions with their notes and next steps (some overdue, for her home), and
    sessions planned; and CIRA-ESS's call for next year's cohort, open, with applications
    waiting for a decision. Sessions of the past month count in the coaching hours of the
    day's period only, never in the calibrated past's."""
    coach = User.objects.filter(username=DEMO_COACH, role=Role.COACH).first()
    incubator = Incubator.objects.filter(code=INCUBATORS[0].code).first()
    if coach is None or incubator is None:
        return {"coaching sessions this month": 0}
    counts = _coach_today(rng, today, coach, incubator)
    counts["applications waiting"] = _open_call(rng, today, incubator)
    return counts


def _coach_today(rng, today, coach, incubator) -> dict[str, int]:
    followed = list(Project.objects.filter(
        incubator=incubator, left_on__isnull=True, sessions__coach=coach)
        .exclude(phase=DROPPED).distinct().order_by("pk"))
    chosen = rng.sample(followed, min(TODAY_PROJECTS, len(followed)))
    sessions, steps = [], []
    for n, project in enumerate(chosen):
        phase = project.phase
        past = sorted(rng.sample(range(3, 29), rng.randint(1, 2)), reverse=True)
        for days_ago in past:
            day = today - datetime.timedelta(days=days_ago)
            session = CoachingSession(
                project=project, coach=coach, date=max(day, project.phase_since),
                duration_hours=rng.choice(DURATIONS),
                mode=rng.choice([CoachingSession.Mode.ON_SITE] * 3 + [CoachingSession.Mode.REMOTE]),
                topics=", ".join(rng.sample(TOPICS[phase], 2)), notes=rng.choice(NOTES[phase]))
            sessions.append(session)
            step = NextStep(session=session, text=rng.choice(STEPS[phase]),
                            due_on=today + datetime.timedelta(days=rng.randint(3, 20)))
            if n % 2 == 0:  # every other project has a step overdue
                step.due_on = today - datetime.timedelta(days=rng.randint(1, 2))
            elif n % 3 == 0:
                step.done_on = session.date + datetime.timedelta(days=2)
            steps.append(step)
        if n < 4:  # planned: no notes yet
            sessions.append(CoachingSession(
                project=project, coach=coach,
                date=today + datetime.timedelta(days=rng.randint(1, 12)),
                duration_hours=Decimal("1.5"), mode=CoachingSession.Mode.ON_SITE,
                topics=rng.choice(TOPICS[phase])))
    for session in sessions:
        session.save()
    for step in steps:
        step.session_id = step.session.pk
    NextStep.objects.bulk_create(steps)
    overdue = sum(1 for s in steps if s.due_on < today and not s.done_on)
    return {"coaching sessions this month": len(sessions), "next steps overdue": overdue}


def _open_call(rng, today, incubator: Incubator) -> int:
    year = max(today.year + 1, LAST_DAY.year + 1)
    code = f"{incubator.code}-appel-{year}"
    if Call.objects.filter(code=code).exists():
        return 0
    call = Call.objects.create(
        incubator=incubator, code=code, title=f"Appel à projets {year} — CIRA-ESS",
        title_ar=f"طلب مشاريع {year} — {incubator.name_ar}", criteria=CRITERIA,
        criteria_ar=CRITERIA_AR, opens_on=today - datetime.timedelta(days=21),
        closes_on=today + datetime.timedelta(days=24), places=18,
        status=Call.Status.PUBLISHED)
    people = _People(rng, [incubator.region_id])
    people.used = set(Holder.objects.values_list("person_id", flat=True))
    references = set(Application.objects.values_list("reference", flat=True))
    tz = timezone.get_current_timezone()
    made = 0
    top = Application.objects.aggregate(n=Max("pk"))["n"] or 0
    for n in range(OPEN_CALL_APPLICATIONS if people.any(incubator.region_id) else 0):
        holders = _holders(rng, people, incubator.region_id, year, chosen=True)
        if not holders:
            continue
        lead = people.people[holders[0]]
        sector = _weighted(rng, SECTOR_WEIGHTS["MA-06"])
        activity, _ar = rng.choice(ACTIVITIES[sector])
        province = Province.objects.filter(pk=lead[2]).first()
        town, _town_ar = _town_of(rng, province, ("Casablanca", ""))
        application = Application.objects.create(
            call=call, reference=_reference(rng, references), region_id=incubator.region_id,
            province=province, title=f"{activity} — {town}",
            summary=f"{activity} à {town}, porté par des jeunes du quartier.", sector=sector,
            email=_email(lead, top + n + 1), language="ar" if n % 4 == 3 else "fr",
            email_confirmed_at=None if n == OPEN_CALL_APPLICATIONS - 1 else timezone.now())
        Application.objects.filter(pk=application.pk).update(
            submitted_at=datetime.datetime.combine(
                today - datetime.timedelta(days=rng.randint(0, 20)), datetime.time(
                    rng.randint(8, 22), rng.randint(0, 59)), tzinfo=tz))
        ApplicationHolder.objects.bulk_create([
            ApplicationHolder(application=application, person_id=pk, lead=i == 0)
            for i, pk in enumerate(holders)])
        made += 1
    return made
