"""The drill-down in the permission matrix: the records of a national figure, scoped by
the page to the reader's regions (another region's code is refused in
test_drilldown.py); staff who read figures only."""

from essor.core.testing import row

READERS = {"national_admin": 200, "oriental_officer": 200, "casablanca_officer": 200,
           "coach": 200, "analyst": 200, "default": 403}

ROWS = {"observatory:drilldown": row(**READERS)}


def build(ctx) -> dict:
    return {"observatory:drilldown": {"code": "training.beneficiaries"}}
