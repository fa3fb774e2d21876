"""Online enrolment in the permission matrix: organisation accounts only."""

from essor.core.testing import row

ROWS = {
    "training:online": row(organisation_account=200, default=403),
    "training:online_enrol": row(default=405),
}


def build(ctx) -> dict:
    return {"training:online": {}, "training:online_enrol": {"pk": 1}}
