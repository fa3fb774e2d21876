"""The open data in the permission matrix: public pages and API, the same answer for
everyone, signed in or not (an unpublished dataset is not found: test_opendata.py)."""

from essor.core.testing import row

PUBLIC = row(anonymous=200, default=200)

ROWS = {
    "open:index": PUBLIC,
    "open:observatory": PUBLIC,
    "open:datapackage": PUBLIC,
    "open:dataset_file": PUBLIC,
    "open:note": PUBLIC,
    "open-observatory-list": PUBLIC,
    "open-observatory-detail": PUBLIC,
    "open-dataset-list": PUBLIC,
    "open-dataset-detail": PUBLIC,
}


def build(ctx) -> dict:
    from essor.observatory.models import Dataset, Observatory, ObservatoryNote

    observatory = Observatory.objects.create(code="casablanca-settat",
                                             name_fr="Observatoire de Casablanca-Settat",
                                             name_ar="مرصد الدار البيضاء سطات")
    observatory.regions.set([ctx["casablanca_settat"]])
    dataset = Dataset.objects.create(observatory=observatory,
                                     indicator_code="registry.members", breakdowns="sex",
                                     published=True)
    note = ObservatoryNote.objects.create(observatory=observatory, title="Méthode",
                                          body="Les effectifs de 1 à 4 sont masqués.",
                                          published=True)
    code = {"code": observatory.code}
    return {"open:observatory": code, "open:datapackage": code,
            "open:dataset_file": {**code, "pk": dataset.pk, "fmt": "csv"},
            "open:note": {**code, "pk": note.pk},
            "open-observatory-detail": code,
            "open-dataset-detail": {"pk": dataset.pk}}
