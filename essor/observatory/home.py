"""The observatory's home card for staff who read the dashboards (see essor.core.home)."""

from django.utils.translation import gettext as _

from essor.accounts.permissions import can
from essor.core.home import card

from . import charts
from .compute import values
from .dashboards import key_figures

SHOWN = ("training.beneficiaries", "training.women_beneficiaries_share",
         "promotion.exhibitors", "promotion.women_exhibitors_share")


@card("observatory.key_figures", template="observatory/home/key_figures.html", order=65)
def key_figures_card(user, today):
    """The programme's key figures for the user's regions and the beneficiaries' trend."""
    if not can(user, "observatory.read_dashboards"):
        return None
    figures = [f for f in key_figures(user, linked=can(user, "observatory.drilldown"))
               if f.indicator.code in SHOWN]
    trend = values("training.beneficiaries", by="year", user=user)
    return {"figures": figures, "chart": charts.trend(
        trend.rows, "year", by="year", title=_("Beneficiaries by year"),
        value_label=str(trend.indicator.name), unit=trend.indicator.unit)}
