"""Forms of the promotion pages. They shape and check input; the services write."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from essor.accounts.permissions import can
from essor.core.forms import PhoneInput
from essor.registry.forms import ScopedRegionMixin, region_choices
from essor.registry.models import (
    Organisation,
    Sex,
    validate_not_future_year,
    validate_phone,
)
from essor.territory.models import Region

from .models import Application, Event, Participation
from .selection import CRITERIA, WEIGHTS, Rules

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ARABIC = {"dir": "rtl", "lang": "ar"}
CODE_PREFIX = {Event.Kind.NATIONAL_FAIR: "SN", Event.Kind.REGIONAL_FAIR: "SR",
               Event.Kind.ITINERANT_MARKET: "MI"}


def _years():
    this_year = timezone.localdate().year
    return [("", _("All years")), *((y, str(y)) for y in range(this_year + 2, 2014, -1))]


class EventFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *Event.Kind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *Event.Status.choices])
    region = forms.ChoiceField(label=_("Region"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
        if can(user, "core.own_organisation_only"):
            # Open calls come from every region.
            self.fields["region"].choices = [("", _("All regions")),
                                             *((r.code, r.name) for r in Region.objects.all())]
        else:
            self.fields["region"].choices = region_choices(user)


class EventForm(ScopedRegionMixin, forms.ModelForm):
    """Region and province within the user's scope; national fairs for national admins."""

    class Meta:
        model = Event
        fields = ["kind", "code", "title", "title_ar", "edition", "start_date", "end_date",
                  "application_deadline", "venue", "venue_ar", "city", "city_ar", "organiser",
                  "organiser_ar", "region", "province", "stands"]
        widgets = {"title_ar": forms.TextInput(attrs=ARABIC),
                   "venue_ar": forms.TextInput(attrs=ARABIC),
                   "city_ar": forms.TextInput(attrs=ARABIC),
                   "organiser_ar": forms.TextInput(attrs=ARABIC), "start_date": DATE,
                   "end_date": DATE, "application_deadline": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_regions(user)
        if not can(user, "promotion.manage_event", Event(kind=Event.Kind.NATIONAL_FAIR)):
            self.fields["kind"].choices = [(value, label) for value, label
                                           in self.fields["kind"].choices
                                           if value != Event.Kind.NATIONAL_FAIR]
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Leave empty to number the event automatically, "
                                          "e.g. MI-MA06-2025-03.")

    def clean(self):
        data = super().clean()
        deadline, start = data.get("application_deadline"), data.get("start_date")
        if deadline and start and deadline > start:
            self.add_error("application_deadline",
                           _("The application deadline is after the start of the event."))
        if not data.get("code") and not self.instance.pk and not self.errors:
            data["code"] = next_code(data["kind"], data["region"], data["start_date"])
        elif not data.get("code") and self.instance.pk:
            data["code"] = self.instance.code
        return data


def next_code(kind: str, region: Region, start: datetime.date) -> str:
    """The first free code of the form MI-MA06-2025-03."""
    base = f"{CODE_PREFIX[kind]}-{region.code.replace('-', '')}-{start.year}"
    taken = set(Event.objects.filter(code__startswith=base).values_list("code", flat=True))
    number = len(taken) + 1
    while f"{base}-{number:02d}" in taken:
        number += 1
    return f"{base}-{number:02d}"


# -- applications -----------------------------------------------------------------------------

NEW_HOLDER = "new"
APPLICANT_KINDS = [Organisation.Kind.COOPERATIVE, Organisation.Kind.ASSOCIATION,
                   Organisation.Kind.MUTUAL, Organisation.Kind.FOUNDATION,
                   Organisation.Kind.ESS_ENTERPRISE]


class ApplicationForm(forms.Form):
    """An application to exhibit, with the person who will hold the stand: one of the
    organisation's members, or someone typed in (matched against the registry)."""

    products = forms.CharField(label=_("Products shown"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("What the organisation will show and sell."))
    stand_needs = forms.CharField(label=_("Stand needs"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("Electricity, refrigeration, a table, "
                                              "accessibility…"))
    first_time = forms.BooleanField(label=_("This is the organisation's first time "
                                            "exhibiting at a fair or market"), required=False)
    holder = forms.ChoiceField(label=_("Person who will hold the stand"),
                               widget=forms.RadioSelect)
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=Sex.choices,
                            widget=forms.RadioSelect)
    birth_year = forms.IntegerField(label=_("Birth year"), required=False, min_value=1920,
                                    validators=[validate_not_future_year])
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            validators=[validate_phone], widget=PhoneInput)

    NEW_FIELDS = ("first_name", "last_name", "sex", "birth_year", "phone")

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.person_id): m.person for m in organisation.memberships
                        .select_related("person").order_by("person__last_name", "person_id")}
        self.fields["holder"].choices = [
            *((pk, person.local_name) for pk, person in self.members.items()),
            (NEW_HOLDER, _("Someone else: type their details below")),
        ]
        self.fields["holder"].initial = NEW_HOLDER if not self.members else None

    def clean(self):
        data = super().clean()
        if data.get("holder") == NEW_HOLDER:
            for name in ("first_name", "last_name", "sex"):
                if not data.get(name):
                    self.add_error(name, _("Needed for the person holding the stand."))
        return data

    @property
    def member(self):
        choice = self.cleaned_data["holder"]
        return None if choice == NEW_HOLDER else self.members[choice]

    def person_data(self) -> dict:
        return {name: self.cleaned_data[name] or ("" if name != "birth_year" else None)
                for name in self.NEW_FIELDS}

    def application_data(self) -> dict:
        return {name: self.cleaned_data[name]
                for name in ("products", "stand_needs", "first_time")}


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *Application.Status.choices])


# -- selection --------------------------------------------------------------------------------

class SelectionRulesForm(forms.Form):
    """The weights of the selection criteria (points), and the region quota."""

    region_quota = forms.IntegerField(
        label=_("Region quota (%)"), required=False, min_value=1, max_value=100,
        help_text=_("No region may hold more than this share of the stands. Empty: no "
                    "quota."))

    def __init__(self, *args, rules: Rules, national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for name in WEIGHTS:
            label, help_text = CRITERIA[name]
            self.fields[name] = forms.DecimalField(
                label=label, help_text=help_text, min_value=0, max_value=20,
                max_digits=4, decimal_places=1, initial=rules.weight(name),
                widget=forms.NumberInput(attrs={"step": "0.5"}))
        # The quota comes last, and only where every region exhibits.
        quota = self.fields.pop("region_quota")
        if national:
            quota.initial = rules.region_quota
            self.fields["region_quota"] = quota
        self.national = national

    def rules(self) -> Rules:
        data = self.cleaned_data
        return Rules.from_json({**{name: float(data[name]) for name in WEIGHTS},
                                "region_quota": data.get("region_quota")},
                               national=self.national)


# -- stands and results -----------------------------------------------------------------------

class StandsForm(forms.Form):
    count = forms.IntegerField(label=_("Number of stands"), min_value=1, max_value=2000,
                               help_text=_("Stands are numbered from 1; existing numbers are "
                                           "kept."))
    area = forms.CharField(label=_("Area"), required=False, max_length=60,
                           help_text=_("Hall, tent or aisle of the new stands (optional)."))


class ParticipationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")),
                                        *Participation.Status.choices])


class ResultsForm(forms.Form):
    sales_mad = forms.DecimalField(label=_("Declared sales (MAD)"), required=False,
                                   min_value=0, max_digits=12, decimal_places=2)
    visitors = forms.IntegerField(label=_("Visitors"), required=False, min_value=0,
                                  max_value=10_000_000)


RATINGS = [(n, str(n)) for n in range(1, 6)]


class SatisfactionForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Overall satisfaction (1 to 5)"), coerce=int,
                                    choices=RATINGS, widget=forms.RadioSelect)
    organisation_rating = forms.TypedChoiceField(
        label=_("Organisation of the event (1 to 5)"), coerce=int, required=False,
        empty_value=None, choices=RATINGS, widget=forms.RadioSelect)
    would_return = forms.BooleanField(label=_("We would exhibit again"), required=False,
                                      initial=True)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
