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

# The API (/api/collected-values/): the same answers, 401 without a login, 405 to a GET
# of a step.
API_READ = {"anonymous": 401, **READ}
# (a step answers POST only, before any value is looked up)
API_STEP_GET = {"anonymous": 401, "national_admin": 405, "casablanca_officer": 405,
                "oriental_officer": 405, "analyst": 405, "default": 403}
ROWS.update({
    "collected-value-list": row(anonymous=401, national_admin=200, casablanca_officer=200,
                                oriental_officer=200, analyst=200, default=403),
    "collected-value-detail": row(**API_READ),
    "collected-value-submit": row(**API_STEP_GET),
    "collected-value-validate": row(**API_STEP_GET),
    "collected-value-send-back": row(**API_STEP_GET),
    "collected-value-unvalidate": row(**API_STEP_GET),
})

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
    # An officer of the region reads the values but enters none (403 from the service);
    # an observatory the caller does not see is no observatory (400).
    "collected-value-list": {"POST": row(anonymous=401, national_admin=201,
                                         casablanca_officer=403, oriental_officer=400,
                                         analyst=400, default=403)},
    "collected-value-detail": {"PATCH": row(**{**API_READ, "national_admin": 200,
                                               "casablanca_officer": 403})},
    "collected-value-submit": {"POST": row(**{**API_READ, "national_admin": 200,
                                              "casablanca_officer": 403})},
    # The value is a draft: the admin's validation, sending back or un-validation is
    # refused as such (400).
    "collected-value-validate": {"POST": row(**{**API_READ, "national_admin": 400,
                                                "casablanca_officer": 403})},
    "collected-value-send-back": {"POST": row(**{**API_READ, "national_admin": 400,
                                                 "casablanca_officer": 403})},
    "collected-value-unvalidate": {"POST": row(**{**API_READ, "national_admin": 400,
                                                  "casablanca_officer": 403})},
}


def payloads(ctx) -> dict:
    return {("observatory:value_comment", "POST"): {"body": "Chiffre à confirmer."},
            ("collected-value-list", "POST"): {
                "observatory": "census-casablanca",
                "indicator_code": "observatory.census_cooperatives",
                "period_start": "2025-01-01", "period_end": "2025-12-31",
                "region": "MA-06", "cells": {"sector": "textile"}, "value": "9"},
            ("collected-value-detail", "PATCH"): {"value": "15"},
            ("collected-value-send-back", "POST"): {"reason": "Recompter"},
            ("collected-value-unvalidate", "POST"): {"reason": "Recompter"}}


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
    kwargs = {name: (each if name.startswith("observatory:") else {"pk": value.pk})
              for name in ROWS}
    kwargs["collected-value-list"] = {}
    kwargs.update({"observatory:values": one, "observatory:value_new": one,
                   "observatory:value_import": one,
                   "observatory:value_import_template": {**one, "fmt": "csv"}})
    return kwargs
