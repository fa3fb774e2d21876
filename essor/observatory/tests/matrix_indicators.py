"""The catalogue's API in the permission matrix: staff who read the dashboards; 401
without a login. Another region's values: 404 (test_api_indicators.py)."""

from essor.core.testing import row

READERS = {"anonymous": 401, "national_admin": 200, "oriental_officer": 200,
           "casablanca_officer": 200, "analyst": 200, "default": 403}

ROWS = {
    "indicator-list": row(**READERS),
    "indicator-detail": row(**READERS),
    "indicator-values": row(**READERS),
}


def build(ctx) -> dict:
    code = {"code": "training.beneficiaries"}
    return {"indicator-detail": code, "indicator-values": code}
