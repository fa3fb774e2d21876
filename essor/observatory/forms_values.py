"""Forms of the collected values: entry (a draft), filters of the list, reasons, comments,
imports. The forms only read what is typed; every rule is the services' (collected.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from essor.core.forms import ImportForm
from essor.territory.models import Province, Region

from . import collected
from .models import CollectedValue, Observatory


def _indicator_choices() -> list[tuple[str, Any]]:
    return [(item.code, item.name) for item in collected.collected_indicators()]


def _blank(choices) -> list[tuple[str, Any]]:
    return [("", _("— total (no breakdown) —")), *choices]


class ValueForm(forms.Form):
    """A value of a collected indicator for one place, period and breakdown cell."""

    indicator_code = forms.ChoiceField(label=_("Indicator"))
    period_start = forms.DateField(label=_("Start of the period"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("End of the period"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    province = forms.ModelChoiceField(label=_("Province or prefecture"), required=False,
                                      queryset=Province.objects.none(),
                                      help_text=_("Leave empty for the whole region."))
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False,
                            help_text=_("Only for the members of cooperatives."))
    value = forms.DecimalField(label=_("Value"), min_value=0, max_digits=16,
                               decimal_places=4)
    source = forms.CharField(label=_("Source"), required=False, max_length=200,
                             help_text=_("The survey or document the figure comes from."))

    def __init__(self, *args, observatory: Observatory, user, instance: CollectedValue | None
                 = None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {
                "indicator_code": instance.indicator_code,
                "period_start": instance.period_start, "period_end": instance.period_end,
                "region": instance.region_id, "province": instance.province_id,
                "sector": instance.cells.get("sector", ""),
                "sex": instance.cells.get("sex", ""), "value": instance.value,
                "source": instance.source})
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["indicator_code"].choices = _indicator_choices()  # type: ignore[attr-defined]
        regions = observatory.regions.all()
        from essor.core.scoping import filter_by_region

        regions = filter_by_region(regions, user, field="pk")
        self.fields["region"].queryset = regions.order_by("code")  # type: ignore[attr-defined]
        self.fields["province"].queryset = Province.objects.filter(  # type: ignore[attr-defined]
            region__in=regions).order_by("code")
        self.fields["sector"].choices = _blank(collected.CELL_CHOICES["sector"])  # type: ignore[attr-defined]
        self.fields["sex"].choices = _blank(collected.CELL_CHOICES["sex"])  # type: ignore[attr-defined]
        if instance is not None:
            self.fields["indicator_code"].disabled = True

    def service_data(self) -> dict[str, Any]:
        """The cleaned data as the services take it."""
        data = dict(self.cleaned_data)
        data["cells"] = {dim: data.pop(dim) for dim in ("sector", "sex") if data.get(dim)}
        data.pop("sector", None)
        data.pop("sex", None)
        if self.instance is not None:
            data.pop("indicator_code", None)
        return data


class ValueFilterForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("all")), *CollectedValue.Status.choices])
    region = forms.ChoiceField(label=_("Region"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990,
                              max_value=2100)

    def __init__(self, *args, observatory: Observatory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("all")), *_indicator_choices()]  # type: ignore[attr-defined]
        self.fields["region"].choices = [("", _("all")), *(  # type: ignore[attr-defined]
            (r.code, r.name) for r in observatory.regions.order_by("code"))]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ValueImportForm(ImportForm):
    """The general import form (file and mode), for one observatory's values."""
