"""The phases' checklist as the incubators use it; the admin edits it and marks what is
required (the business plan before creation, the legal creation before development)."""

from django.db import migrations

MILESTONES = [
    # code, phase, French, Arabic, required
    ("business_plan", "pre_creation", "Plan d'affaires validé", "مخطط الأعمال مصادق عليه", True),
    ("market_study", "pre_creation", "Étude de marché", "دراسة السوق", False),
    ("legal_form", "pre_creation", "Forme juridique choisie", "اختيار الشكل القانوني", False),
    ("legal_creation", "creation", "Création légale (immatriculation)",
     "الإحداث القانوني (التسجيل)", True),
    ("bank_account", "creation", "Compte bancaire ouvert", "فتح حساب بنكي", False),
    ("first_sale", "creation", "Première vente", "أول عملية بيع", False),
    ("first_hire", "development", "Premier recrutement", "أول توظيف", False),
    ("first_contract", "development", "Premier contrat commercial", "أول عقد تجاري", False),
    ("certification", "development", "Produit labellisé ou certifié", "منتوج حاصل على علامة أو شهادة",
     False),
    ("new_market", "extension", "Nouveau marché ou nouvelle région", "سوق جديدة أو جهة جديدة",
     False),
    ("autonomy", "extension", "Autonomie financière", "الاستقلالية المالية", False),
]


def add(apps, schema_editor):
    Milestone = apps.get_model("incubation", "Milestone")
    for order, (code, phase, fr, ar, required) in enumerate(MILESTONES, start=1):
        Milestone.objects.get_or_create(code=code, defaults={
            "phase": phase, "name_fr": fr, "name_ar": ar, "required": required,
            "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("incubation", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
