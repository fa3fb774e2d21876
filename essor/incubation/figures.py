"""The report's incubation figures, read from the indicator catalogue (one definition each:
``essor/incubation/indicators.py``)."""

from __future__ import annotations

import datetime
from typing import Any

from .models import PHASE_ORDER


def incubation_figures(*, date_from: datetime.date | None = None,
                       date_to: datetime.date | None = None, region: Any = None
                       ) -> dict[str, Any]:
    """Incubators open by the end of the period; projects in the incubators during the
    period, and per phase (the phase each was in at the period's end; dropped projects
    count in the total, not in a phase of the order): ``incubation.incubators`` and
    ``incubation.projects`` by phase, one grouped query each, cached."""
    from essor.observatory.compute import values_many

    incubators, projects = values_many(
        [("incubation.incubators", ()), ("incubation.projects", ("phase",))],
        date_from=date_from, date_to=date_to, region=region)
    by_phase = {row["phase"]: row["value"] for row in projects.rows}
    return {"incubators": incubators.total, "projects": projects.total,
            "projects_by_phase": {phase.value: by_phase.get(phase.value, 0)
                                  for phase in PHASE_ORDER}}
