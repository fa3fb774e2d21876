"""Incubation's exports in the permission matrix (see essor/core/testing.py).

The exports are lists of what the reader runs: the staff who run incubation (the national
admin, the officers, the coaches) download them, the Oriental officer's holding none of
Casablanca-Settat's projects (``test_exports``); the other roles are refused before
anything is read.
"""

from essor.core.testing import row

RUNS = {"national_admin": 200, "oriental_officer": 200, "casablanca_officer": 200,
        "coach": 200, "default": 403}

ROWS = {
    "incubation:export_projects": row(**RUNS),
    "incubation:export_holders": row(**RUNS),
    "incubation:export_sessions": row(**RUNS),
}


def build(ctx) -> dict:
    return {}  # the format (csv) is the only argument
