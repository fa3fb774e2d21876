"""The demo's observatories: Oriental (with its regional council) and Casablanca-Settat
(with the Ain Chock faculty of law, economics and social sciences), as the programme
created them; their analyst, published datasets and notes, and the census of
cooperatives they collected (validated, one submitted and one draft waiting).

The census figures are survey values, not records: they are drawn around the
cooperatives essor registers in the region (a census finds more than are registered),
from the demo's seeded random generator.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db.models import Count

from essor.accounts.models import User
from essor.registry.models import Organisation
from essor.territory.models import Region

from . import collected, services
from .models import Observatory, Target

CENSUS = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
# The programme's objectives over the period of its report (plans, not results: the
# dashboards and the regional profile show them beside the figures of that period).
PROGRAMME = (datetime.date(2022, 1, 1), datetime.date(2025, 12, 31))
TARGETS: dict[str | None, dict[str, int | str]] = {
    None: {"training.beneficiaries": 15000, "training.women_beneficiaries_share": "0.6",
           "promotion.exhibitors": 10000, "promotion.women_exhibitors_share": "0.55",
           "training.workshops": 400, "promotion.events": 80},
    "MA-02": {"training.beneficiaries": 1500, "promotion.exhibitors": 900},
    "MA-06": {"training.beneficiaries": 2000, "promotion.exhibitors": 1500},
}
CENSUS_SOURCE = "Recensement régional des coopératives 2024"

OBSERVATORIES: list[dict[str, Any]] = [
    {"code": "oriental", "region": "MA-02",
     "name_fr": "Observatoire régional de l'ESS de l'Oriental",
     "name_ar": "المرصد الجهوي للاقتصاد الاجتماعي والتضامني بجهة الشرق",
     "host": ("Conseil de la Région de l'Oriental", "مجلس جهة الشرق", "regional_council",
              "Oujda"),
     "description_fr": "Créé en partenariat avec le Conseil de la Région de l'Oriental.",
     "description_ar": "أُحدث بشراكة مع مجلس جهة الشرق.",
     "analysts": ["analyste"],
     "datasets": [("training.beneficiaries", "sex,age_band"),
                  ("promotion.exhibitors", "event_kind"),
                  ("training.women_beneficiaries_share", "province"),
                  ("observatory.census_cooperatives", "sector")],
     "note": ("fr", "Méthode : des personnes distinctes",
              "Un bénéficiaire est une personne distincte, comptée une fois quel que soit "
              "le nombre d'ateliers suivis ; les cellules de moins de cinq personnes ne "
              "sont pas publiées.")},
    {"code": "casablanca-settat", "region": "MA-06",
     "name_fr": "Observatoire régional de l'ESS de Casablanca-Settat",
     "name_ar": "المرصد الجهوي للاقتصاد الاجتماعي والتضامني بجهة الدار البيضاء سطات",
     "host": ("Faculté des Sciences Juridiques, Economiques et Sociales Ain Chock",
              "كلية العلوم القانونية والاقتصادية والاجتماعية عين الشق", "faculty",
              "Casablanca"),
     "description_fr": "Créé en partenariat avec la Faculté des Sciences Juridiques, "
                       "Economiques et Sociales Ain Chock, à Casablanca.",
     "description_ar": "أُحدث بشراكة مع كلية العلوم القانونية والاقتصادية والاجتماعية "
                       "عين الشق بالدار البيضاء.",
     "analysts": [],
     "datasets": [("training.beneficiaries", "sex"),
                  ("promotion.women_exhibitors_share", ""),
                  ("observatory.census_members", "sex")],
     "note": ("ar", "ملاحظة حول المعطيات",
              "تُحتسب الأرقام انطلاقاً من السجلات الفردية للبرنامج، ولا تُنشر الخانات "
              "التي تضم أقل من خمسة أشخاص.")},
]


def _census(rng: random.Random, observatory: Observatory, region: Region,
            *, pending: bool) -> int:
    """The census of cooperatives of ``region``: cooperatives by sector, their members by
    sector and sex; validated but for the last sector (submitted) when ``pending``."""
    registered = dict(Organisation.objects.filter(region=region, kind="cooperative")
                      .values_list("sector").annotate(n=Count("pk")).values_list("sector", "n"))
    values = 0
    sectors = sorted(registered)
    for sector in sectors:
        cooperatives = round(registered[sector] * rng.uniform(1.05, 1.35))
        members = cooperatives * rng.randint(8, 22)
        women = round(members * rng.uniform(0.45, 0.75))
        last = pending and sector == sectors[-1]
        for code, cells, value in (
                ("observatory.census_cooperatives", {"sector": sector}, cooperatives),
                ("observatory.census_members", {"sector": sector, "sex": "F"}, women),
                ("observatory.census_members", {"sector": sector, "sex": "M"},
                 members - women)):
            entered = collected.value_create(
                observatory=observatory, indicator_code=code, period_start=CENSUS[0],
                period_end=CENSUS[1], region=region, cells=cells, value=Decimal(value),
                source=CENSUS_SOURCE, by=None)
            collected.value_submit(value=entered, by=None)
            if not last:
                collected.value_validate(value=entered, by=None)
            values += 1
    return values


def load(rng: random.Random, *args, **kwargs) -> dict[str, int]:
    counts = {"observatories": 0, "datasets": 0, "collected values": 0, "targets": 0}
    regions = {r.code: r for r in Region.objects.filter(code__in=[c for c in TARGETS if c])}
    Target.objects.bulk_create([
        Target(indicator_code=code, period_start=PROGRAMME[0], period_end=PROGRAMME[1],
               region=regions[place] if place else None, value=Decimal(str(value)))
        for place, targets in TARGETS.items() for code, value in targets.items()])
    counts["targets"] = sum(len(targets) for targets in TARGETS.values())
    for spec in OBSERVATORIES:
        region = Region.objects.get(code=spec["region"])
        name, name_ar, kind, city = spec["host"]
        host, _created = Organisation.objects.get_or_create(
            name=name, kind=kind, region=region, defaults={"name_ar": name_ar, "city": city})
        observatory = Observatory.objects.create(
            code=spec["code"], name_fr=spec["name_fr"], name_ar=spec["name_ar"], host=host,
            description_fr=spec["description_fr"], description_ar=spec["description_ar"])
        observatory.regions.set([region])
        observatory.analysts.set(User.objects.filter(username__in=spec["analysts"]))
        counts["observatories"] += 1
        counts["collected values"] += _census(rng, observatory, region,
                                              pending=spec["code"] == "oriental")
        for code, breakdowns in spec["datasets"]:
            dataset = services.dataset_create(observatory=observatory, indicator_code=code,
                                              breakdowns=breakdowns)
            services.dataset_publish(dataset, published=True)
            counts["datasets"] += 1
        language, title, body = spec["note"]
        note = services.note_create(observatory=observatory, title=title, body=body,
                                    language=language)
        services.note_publish(note, published=True)
    return counts
