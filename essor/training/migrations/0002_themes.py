from django.db import migrations

THEMES = [
    ("governance", "Gouvernance coopérative", "الحكامة التعاونية"),
    ("marketing", "Marketing et emballage", "التسويق والتلفيف"),
    ("digital-sales", "Vente en ligne", "البيع الرقمي"),
    ("bookkeeping", "Comptabilité et gestion", "المحاسبة والتدبير"),
    ("legal-forms", "Formes juridiques de l'ESS", "الأشكال القانونية للاقتصاد الاجتماعي والتضامني"),
    ("quality-labels", "Qualité, labels et certification", "الجودة والعلامات والإشهاد"),
    ("pricing", "Fixation des prix et coûts de revient", "تحديد الأسعار وتكلفة الإنتاج"),
    ("funding", "Financement et montage de projets", "التمويل وإعداد المشاريع"),
    ("export", "Accès aux marchés et export", "الولوج إلى الأسواق والتصدير"),
    ("leadership", "Leadership féminin", "القيادة النسائية"),
]


def load(apps, schema_editor):
    Theme = apps.get_model("training", "Theme")
    for code, name_fr, name_ar in THEMES:
        Theme.objects.update_or_create(code=code, defaults={"name_fr": name_fr,
                                                            "name_ar": name_ar})


def unload(apps, schema_editor):
    apps.get_model("training", "Theme").objects.filter(
        code__in=[code for code, *_names in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
