"""Forms of the training pages. They shape and check input; the services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from essor.accounts.models import Role, User
from essor.accounts.permissions import can
from essor.core.forms import CodeInput, PhoneInput
from essor.core.scoping import region_ids
from essor.promotion.forms import ARABIC, DATE, _years
from essor.promotion.models import Event
from essor.registry.forms import ScopedRegionMixin, region_choices
from essor.registry.models import (
    Sex,
    validate_national_id,
    validate_not_future_year,
    validate_phone,
)
from essor.territory.models import Region

from .models import Theme, Workshop


class WorkshopFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *Workshop.Status.choices])
    region = forms.ChoiceField(label=_("Region"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
        self.fields["region"].choices = region_choices(user)
        self.fields["theme"].choices = [("", _("All themes")),
                                        *((t.code, t.name) for t in Theme.objects.all())]


class WorkshopForm(ScopedRegionMixin, forms.ModelForm):
    """Region and province within the user's scope; a trainer of that region (or an
    external trainer's name); the event it is held alongside (which must be of the
    workshop's region: ``services.check_workshop_event``, checked on save)."""

    class Meta:
        model = Workshop
        fields = ["code", "title", "title_ar", "theme", "date", "duration_hours", "region",
                  "province", "city", "city_ar", "venue", "venue_ar", "trainer", "trainer_name",
                  "event", "capacity"]
        widgets = {"title_ar": forms.TextInput(attrs=ARABIC), "date": DATE,
                   "city_ar": forms.TextInput(attrs=ARABIC),
                   "venue_ar": forms.TextInput(attrs=ARABIC)}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_regions(user)
        ids = region_ids(user)
        trainers = User.objects.filter(role=Role.TRAINER, is_active=True).order_by(
            "last_name", "first_name", "username")
        events = Event.objects.select_related("region").order_by("-start_date")
        if ids is not None:
            trainers = trainers.filter(regions__in=ids).distinct()
            events = events.filter(region__in=ids)
        self.fields["trainer"].queryset = trainers
        self.fields["trainer"].label_from_instance = (
            lambda u: u.get_full_name() or u.get_username())
        self.fields["event"].queryset = events
        self.fields["event"].label_from_instance = (
            lambda e: f"{e.local_title} ({e.start_date:%d/%m/%Y})")
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Leave empty to number the workshop automatically, "
                                          "e.g. AT-MA06-2025-007.")
        self.fields["trainer_name"].help_text = _("Only for a trainer without an account.")

    def clean(self):
        data = super().clean()
        region, trainer = data.get("region"), data.get("trainer")
        if trainer and region and not trainer.regions.filter(pk=region.pk).exists():
            self.add_error("trainer", _("This trainer does not work in the chosen region."))
        if trainer and data.get("trainer_name"):
            self.add_error("trainer_name", _("Choose a trainer or type a name, not both."))
        if not data.get("code") and self.instance.pk:
            data["code"] = self.instance.code
        elif not data.get("code") and not self.errors:
            data["code"] = next_code(region, data["date"].year)
        return data


def next_code(region: Region, year: int) -> str:
    """The first free code of the form AT-MA06-2025-007."""
    base = f"AT-{region.code.replace('-', '')}-{year}"
    taken = set(Workshop.objects.filter(code__startswith=base).values_list("code", flat=True))
    number = len(taken) + 1
    while f"{base}-{number:03d}" in taken:
        number += 1
    return f"{base}-{number:03d}"


class WalkInForm(forms.Form):
    """Someone who came without enrolling. Field roles never type national IDs."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_year = forms.IntegerField(label=_("Birth year"), required=False, min_value=1920,
                                    validators=[validate_not_future_year],
                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            validators=[validate_phone], widget=PhoneInput)
    national_id = forms.CharField(label=_("National ID (CIN)"), max_length=20, required=False,
                                  validators=[validate_national_id],
                                  widget=CodeInput(attrs={
                                      "autocapitalize": "characters"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not can(user, "registry.see_personal_data"):
            del self.fields["national_id"]

    def person_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items()
                if value not in ("", None)}

    def _target(self, name: str) -> str:
        """The id of a field's input (a radio group's first button)."""
        field = self[name]
        return field.id_for_label or f"{field.auto_id}_0"

    def focus_first_error(self) -> None:
        """The first field in error (the first field when the error is the whole
        form's) gets ``autofocus``: the page opens on it, on a phone as on a desktop."""
        wrong = [name for name in self.fields if name in self.errors] or list(self.fields)
        self.fields[wrong[0]].widget.attrs["autofocus"] = True

    def error_summary(self) -> list[dict]:
        """Every error with its field's label and a link target, for the summary shown
        at the top of the page."""
        summary = [{"label": "", "message": message, "target": "walk-in"}
                   for message in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                summary.append({"label": self.fields[name].label, "message": message,
                                "target": self._target(name)})
        return summary


RATINGS = [(n, str(n)) for n in range(1, 6)]


class EvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Overall satisfaction (1 to 5)"), coerce=int,
                                    choices=RATINGS, widget=forms.RadioSelect)
    usefulness = forms.TypedChoiceField(label=_("Usefulness for my activity (1 to 5)"),
                                        coerce=int, required=False, empty_value=None,
                                        choices=RATINGS, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class FiguresForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(),
                                    required=False, empty_label=_("All regions"))
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(),
                                   required=False, empty_label=_("All themes"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ids = region_ids(user)
        field = self.fields["region"]
        field.queryset = Region.objects.all() if ids is None else Region.objects.filter(
            pk__in=ids)
        if ids is not None:
            # Below the national level, figures are always those of one's own region.
            field.required, field.empty_label = True, None
            field.initial = min(ids) if ids else None

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data
