"""The dashboards, the observatories' staff pages and the regional profile in the
permission matrix. The observatory and the region are Casablanca-Settat's: the Oriental
officer and the Oriental analyst (not its analyst) do not find them (404)."""

from essor.core.testing import row

READERS = {"national_admin": 200, "oriental_officer": 200, "casablanca_officer": 200,
           "analyst": 200, "default": 403}
CASA = {"national_admin": 200, "casablanca_officer": 200, "oriental_officer": 404,
        "analyst": 404, "default": 403}
POST_ONLY = row(default=405)

ROWS = {
    "observatory:indicator_list": row(**READERS),
    "observatory:dashboard": row(**READERS),
    "observatory:regional_dashboard": row(**CASA),
    "observatory:region_profile": row(**CASA),
    "observatory:observatory_list": row(**READERS),
    "observatory:observatory_detail": row(**CASA),
    "observatory:dataset_new": POST_ONLY,
    "observatory:dataset_publish": POST_ONLY,
    "observatory:note_new": POST_ONLY,
    "observatory:note_publish": POST_ONLY,
}

# Publishing: the national admin (and the observatory's analysts, in test_observatories.py);
# an officer publishes nothing; the Oriental analyst does not find the observatory.
PUBLISH = {"national_admin": 302, "analyst": 404, "default": 403}
WRITES = {
    "observatory:dataset_new": {"POST": row(national_admin=200, analyst=404, default=403)},
    "observatory:dataset_publish": {"POST": row(**PUBLISH)},
    "observatory:note_new": {"POST": row(national_admin=200, analyst=404, default=403)},
    "observatory:note_publish": {"POST": row(**PUBLISH)},
}


def payloads(ctx) -> dict:
    return {("observatory:dataset_publish", "POST"): {"published": "1"},
            ("observatory:note_publish", "POST"): {"published": "1"}}


def build(ctx) -> dict:
    from essor.observatory.models import Dataset, Observatory, ObservatoryNote

    observatory = Observatory.objects.create(code="casa-staff", name_fr="Observatoire",
                                             name_ar="مرصد")
    observatory.regions.set([ctx["casablanca_settat"]])
    dataset = Dataset.objects.create(observatory=observatory,
                                     indicator_code="training.beneficiaries")
    note = ObservatoryNote.objects.create(observatory=observatory, title="Méthode",
                                          body="…")
    code = {"code": observatory.code}
    return {
        "observatory:regional_dashboard": {"region": "MA-06"},
        "observatory:region_profile": {"region": "MA-06"},
        "observatory:observatory_detail": code,
        "observatory:dataset_new": code,
        "observatory:note_new": code,
        "observatory:dataset_publish": {**code, "pk": dataset.pk},
        "observatory:note_publish": {**code, "pk": note.pk},
    }
