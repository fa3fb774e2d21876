"""Phones stored in one canonical form: ``06 12 34 56 78`` for a Moroccan number, however
it was typed (``0612345678``, ``+212 6…``, ``00212 6…``, ``612345678``); other numbers as
``+`` and their digits. The rules are copied here so that the migration stays as it ran."""

import re

from django.db import migrations


def _canonical(raw: str) -> str:
    digits = re.sub(r"\D", "", raw)
    while digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("2120"):
        digits = "212" + digits[4:]
    if digits.startswith("0") and len(digits) == 10:
        digits = "212" + digits[1:]
    elif len(digits) == 9 and digits[0] in "5678":
        digits = "212" + digits
    if digits.startswith("212") and len(digits) == 12 and digits[3] in "5678":
        local = "0" + digits[3:]
        return " ".join(local[i:i + 2] for i in range(0, 10, 2))
    return raw  # not a valid Moroccan number: left as it is


def forwards(apps, schema_editor):
    for name in ("Person", "Organisation"):
        model = apps.get_model("registry", name)
        changed = []
        for record in model.objects.exclude(phone="").only("pk", "phone").iterator(
                chunk_size=2000):
            canonical = _canonical(record.phone)
            if canonical != record.phone:
                record.phone = canonical
                changed.append(record)
            if len(changed) >= 2000:
                model.objects.bulk_update(changed, ["phone"])
                changed = []
        if changed:
            model.objects.bulk_update(changed, ["phone"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
