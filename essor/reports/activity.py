"""The programme's activity report, computed from the records for a period and scope."""

from __future__ import annotations

import datetime

from essor.incubation.figures import incubation_figures
from essor.observatory.programme import programme_figures
from essor.promotion.figures import promotion_figures
from essor.training.figures import training_figures


def activity_report(*, date_from: datetime.date | None = None,
                    date_to: datetime.date | None = None, region=None) -> dict:
    return {
        "period": {"from": date_from.isoformat() if date_from else None,
                   "to": date_to.isoformat() if date_to else None},
        "scope": region.code if region is not None else "national",
        "promotion": promotion_figures(date_from=date_from, date_to=date_to, region=region),
        "training": training_figures(date_from=date_from, date_to=date_to, region=region),
        "incubation": incubation_figures(date_from=date_from, date_to=date_to, region=region),
        # People reached by any measure (after duplicate merging) and the overlaps.
        "programme": programme_figures(date_from=date_from, date_to=date_to, region=region),
    }
