"""Existing participations get readable badge codes (nine characters of the alphabet
without 0/O, 1/I/L, as ``essor.core.codes`` draws them), unique. Badges printed before
this migration carry the old code: they must be printed again."""

import secrets

from django.db import migrations

# Frozen here: the alphabet and length of essor.core.codes and Participation at this step.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 9
BATCH = 2000


def readable_codes(apps, schema_editor):
    Participation = apps.get_model("promotion", "Participation")
    taken: set[str] = set()
    pks = list(Participation.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        batch = []
        for pk in pks[start:start + BATCH]:
            code = ""
            while not code or code in taken:
                code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
            taken.add(code)
            batch.append(Participation(pk=pk, badge_code=code))
        Participation.objects.bulk_update(batch, ["badge_code"])


class Migration(migrations.Migration):

    dependencies = [
        ("promotion", "0002_places_in_arabic_and_readable_badge_codes"),
    ]

    operations = [
        migrations.RunPython(readable_codes, migrations.RunPython.noop, elidable=True),
    ]
