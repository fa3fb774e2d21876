"""The collected values' pages in the permission matrix (see essor/core/testing.py).

The observatory is Casablanca-Settat's and none of the personas is its analyst: the
national admin reads and writes everything; the Casablanca-Settat officer reads its
values (an officer of its region) but enters none; the Oriental officer and the Oriental
analyst do not find it (404); roles that read no observatory are refused (403). The
workflow's steps answer POST only (405 to a GET)."""

from essor.core.testing import row

READ = {"national_admin": 200, "casablanca_officer": 200, "oriental_officer": 404,
        "analyst": 404, "default": 403}
ENTER = {"national_admin": 200, "analyst": 404, "default": 403}
POST_ONLY = row(default=405)

ROWS = {
    "observatory:values": row(**READ),
    "observatory:value_new": row(**ENTER),
    "observatory:value_import": row(**ENTER),
    "observatory:value_import_template": row(**ENTER),
    "observatory:value_detail": row(**READ),
    "observatory:value_edit": row(**ENTER),
    "observatory:value_submit": POST_ONLY,
    "observatory:value_validate": POST_ONLY,
    "observatory:value_send_back": POST_ONLY,
    "observatory:value_unvalidate": POST_ONLY,
    "observatory:value_delete": POST_ONLY,
    "observatory:value_comment": POST_ONLY,
}

DONE = {"national_admin": 302}
WRITES = {
    # An empty form: its errors (200) for those who may enter values.
    "observatory:value_new": {"POST": row(**ENTER)},
    "observatory:value_edit": {"POST": row(**ENTER)},
    "observatory:value_import": {"POST": row(**ENTER)},
    "observatory:value_submit": {"POST": row(**{**ENTER, **DONE})},
    "observatory:value_delete": {"POST": row(**{**ENTER, **DONE})},
    # Validation is the national admin's: every other role is refused before any lookup.
    "observatory:value_validate": {"POST": row(national_admin=302, default=403)},
    "observatory:value_send_back": {"POST": row(national_admin=302, default=403)},
    "observatory:value_unvalidate": {"POST": row(national_admin=302, default=403)},
    "observatory:value_comment": {"POST": row(**{**READ, "national_admin": 302,
                                                 "casablanca_officer": 302})},
}


def payloads(ctx) -> dict:
    return {("observatory:value_comment", "POST"): {"body": "Chiffre à confirmer."}}


def build(ctx) -> dict:
    import datetime

    from essor.observatory.models import CollectedValue, Observatory

    observatory = Observatory.objects.create(code="census-casablanca",
                                             name_fr="Observatoire de Casablanca-Settat",
                                             name_ar="مرصد الدار البيضاء سطات")
    observatory.regions.set([ctx["casablanca_settat"]])
    value = CollectedValue.objects.create(
        observatory=observatory, indicator_code="observatory.census_cooperatives",
        period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 12, 31),
        region=ctx["casablanca_settat"], cells={"sector": "crafts"}, value=14)
    one = {"observatory": observatory.code}
    each = {**one, "pk": value.pk}
    kwargs = {name: each for name in ROWS}
    kwargs.update({"observatory:values": one, "observatory:value_new": one,
                   "observatory:value_import": one,
                   "observatory:value_import_template": {**one, "fmt": "csv"}})
    return kwargs
