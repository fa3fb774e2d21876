"""Forms of the calls for projects: the staff's call and selection criteria, a decision,
and the public application form with its holders (a formset: one or several, one of them
the lead). They shape and check input, naming the value they refuse; the services
(``calls``) write."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from essor.core import normalise
from essor.core.forms import PhoneInput
from essor.registry.models import Organisation, Sex
from essor.territory.models import Province, Region

from .calls import MAX_HOLDERS
from .models import Application, Call
from .selection import CRITERIA, WEIGHTS, Rules
from .selectors_calls import incubators_managed

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ARABIC = {"dir": "rtl", "lang": "ar"}
OLDEST = 1920
YOUNGEST_AGE = 15  # a project holder is at least this old


class CallForm(forms.ModelForm):
    """A call of one of the incubators the user runs."""

    class Meta:
        model = Call
        fields = ["incubator", "code", "title", "title_ar", "criteria", "criteria_ar",
                  "opens_on", "closes_on", "places"]
        widgets = {"title_ar": forms.TextInput(attrs=ARABIC),
                   "criteria": forms.Textarea(attrs={"rows": 4}),
                   "criteria_ar": forms.Textarea(attrs={"rows": 4, **ARABIC}),
                   "opens_on": DATE, "closes_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        incubator = cast(forms.ModelChoiceField, self.fields["incubator"])
        incubator.queryset = incubators_managed(user)
        incubator.error_messages["invalid_choice"] = _(
            "The incubator %(value)s is not one of the incubators you run.")
        if incubator.queryset.count() == 1 and not self.instance.pk:
            incubator.initial = incubator.queryset.first()
        self.fields["code"].help_text = _("Letters, digits and dashes, e.g. "
                                          "cira-ess-2026-1: it names the call in its public "
                                          "address.")
        self.fields["criteria"].help_text = _("Who may apply and what the selection looks "
                                              "at: shown on the public page.")

    def clean(self):
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The call closes on %(closes)s, before it opens "
                                          "(%(opens)s).")
                           % {"closes": closes.isoformat(), "opens": opens.isoformat()})
        return data


class CallFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *Call.Status.choices])


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *Application.Status.choices])
    confirmed = forms.ChoiceField(label=_("E-mail"), required=False, choices=[
        ("", _("Confirmed or not")), ("yes", _("confirmed")), ("no", _("not confirmed"))])


class SelectionRulesForm(forms.Form):
    """The weights of the selection criteria (points)."""

    def __init__(self, *args, rules: Rules, **kwargs):
        super().__init__(*args, **kwargs)
        for name in WEIGHTS:
            label, help_text = CRITERIA[name]
            self.fields[name] = forms.DecimalField(
                label=label, help_text=help_text, min_value=0, max_value=20,
                max_digits=4, decimal_places=1, initial=rules.weight(name),
                widget=forms.NumberInput(attrs={"step": "0.5"}))

    def rules(self) -> Rules:
        return Rules.from_json({name: float(self.cleaned_data[name]) for name in WEIGHTS})


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        (Application.Status.SELECTED, _("Select into the cohort")),
        (Application.Status.REJECTED, _("Do not select"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Needed when the application is not selected; "
                                         "kept with the decision."))


# -- the public application form --------------------------------------------------------------

def _province_choices() -> list:
    """The provinces grouped by region, in the reader's language (no script needed to
    narrow them; the form checks that the province is in the region chosen)."""
    groups: dict[str, list] = {}
    for province in Province.objects.select_related("region").order_by("region__code",
                                                                        "name_fr"):
        groups.setdefault(province.region.name, []).append((province.pk, province.name))
    return [("", _("Choose a province (optional)")), *groups.items()]


class RegionField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=Region.objects.order_by("code"),
                         empty_label=_("Choose a region"), **kwargs)
        self.error_messages["invalid_choice"] = _("“%(value)s” is not a region of Morocco.")


class PublicApplicationForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=200)
    summary = forms.CharField(label=_("Summary of the project"), max_length=3000,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("What the project does or will do, for whom, and "
                                          "where it stands today (3,000 characters at "
                                          "most)."))
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("Choose a sector")),
                                                           *Organisation.Sector.choices])
    region = RegionField(label=_("Region of the project"))
    province = forms.TypedChoiceField(label=_("Province or prefecture"), required=False,
                                      coerce=int, empty_value=None)
    email = forms.CharField(label=_("E-mail"), max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                            help_text=_("A confirmation link is sent to this address: only "
                                        "confirmed applications are considered."))
    lead = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province = cast(forms.TypedChoiceField, self.fields["province"])
        province.choices = _province_choices()
        province.error_messages["invalid_choice"] = _(
            "“%(value)s” is not a province or prefecture of Morocco.")
        self.fields["sector"].error_messages["invalid_choice"] = _(
            "“%(value)s” is not one of the sectors listed.")

    def clean_email(self):
        value = self.cleaned_data["email"].strip()
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(_("“%(value)s” is not an e-mail address: type it as "
                                    "name@example.ma.") % {"value": value},
                                  code="invalid_email") from None
        return value

    def clean(self):
        data = super().clean() or {}
        region, province_id = data.get("region"), data.get("province")
        province = Province.objects.filter(pk=province_id).first() if province_id else None
        if province is not None and region is not None and province.region_id != region.pk:
            self.add_error("province", _("%(province)s is not in the region %(region)s.")
                           % {"province": province.name, "region": region.name})
        data["province"] = province
        return data

    def application_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name]
                for name in ("title", "summary", "sector", "region", "province", "email")}


class HolderForm(forms.Form):
    """One holder of the project: matched to the registry by the duplicate rules."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_year = forms.CharField(
        label=_("Birth year"), max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                      "dir": "ltr", "size": 6}),
        help_text=_("Four digits, e.g. 1994."))
    disability = forms.BooleanField(label=_("Person with a disability"), required=False)
    region = RegionField(label=_("Region where they live"))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            widget=PhoneInput,
                            help_text=_("e.g. 06 12 34 56 78 (optional: it helps us find "
                                        "the person if they are already known)."))

    def clean_birth_year(self):
        value = (self.cleaned_data.get("birth_year") or "").strip()
        this_year = timezone.localdate().year
        latest = this_year - YOUNGEST_AGE
        if not (value.isascii() and value.isdigit() and len(value) == 4):
            raise ValidationError(_("“%(value)s” is not a year: type four digits, e.g. "
                                    "1994.") % {"value": value}, code="invalid_year")
        year = int(value)
        if year > this_year:
            raise ValidationError(_("The birth year %(value)s is in the future.")
                                  % {"value": year}, code="future_year")
        if not OLDEST <= year <= latest:
            raise ValidationError(_("The birth year %(value)s is not possible for a project "
                                    "holder: between %(oldest)s and %(latest)s.")
                                  % {"value": year, "oldest": OLDEST, "latest": latest},
                                  code="implausible_year")
        return year

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        if value and not normalise.phone_is_valid(value):
            raise ValidationError(_("“%(value)s” is not a phone number: type it as 06 12 34 "
                                    "56 78 or +212 6 12 34 56 78.") % {"value": value},
                                  code="invalid_phone")
        return value

    def holder_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in
                ("first_name", "last_name", "sex", "birth_year", "disability", "region",
                 "phone")}


class BaseHolderFormSet(forms.BaseFormSet):
    """Rows shown again with what was typed (``initial``) are new rows all the same: the
    management form counts no initial row, so that a blank extra row is left out."""

    def initial_form_count(self):
        return super().initial_form_count() if self.is_bound else 0


HolderFormSet = forms.formset_factory(HolderForm, formset=BaseHolderFormSet, extra=0,
                                      min_num=1, max_num=MAX_HOLDERS, validate_min=True,
                                      validate_max=True)
HOLDERS_PREFIX = "holders"


def holder_formset(data=None, *, initial=None):
    formset = HolderFormSet(data, initial=initial, prefix=HOLDERS_PREFIX)
    formset.error_messages["too_few_forms"] = _("Name at least one holder of the project.")
    formset.error_messages["too_many_forms"] = _("A project has at most %(num)d holders in "
                                                 "this form.")
    return formset
