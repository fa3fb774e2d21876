"""Forms of the pipeline board, the incubators' and the projects' pages. They shape and
check input; the services write (and hold the rules: the phases' moves, the organisation
linked once the project reached creation, the follow-ups after leaving)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from essor.core.forms import CodeInput
from essor.registry.forms import ScopedRegionMixin

from . import selectors
from .forms_coaching import coach_label
from .models import PHASE_ORDER, Cohort, FollowUp, Incubator, Phase, Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ARABIC = {"dir": "rtl", "lang": "ar"}


def _cohort_label(cohort) -> str:
    return f"{cohort.name} · {cohort.incubator.local_name}"


def _organisation_label(organisation) -> str:
    return f"{organisation.local_name} ({organisation.region.name})"


class BoardFilterForm(forms.Form):
    incubator = forms.ModelChoiceField(label=_("Incubator"), required=False,
                                       queryset=Incubator.objects.none(),
                                       empty_label=_("All incubators"))
    cohort = forms.ModelChoiceField(label=_("Cohort"), required=False,
                                    queryset=Cohort.objects.none(),
                                    empty_label=_("All cohorts"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        incubator = cast(forms.ModelChoiceField, self.fields["incubator"])
        incubator.queryset = selectors.incubators_visible(user).order_by("name")
        incubator.label_from_instance = lambda i: i.local_name  # type: ignore[method-assign,assignment]
        cohort = cast(forms.ModelChoiceField, self.fields["cohort"])
        cohort.queryset = selectors.cohorts_visible(user)
        cohort.label_from_instance = _cohort_label  # type: ignore[method-assign,assignment]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        incubator, cohort = data.get("incubator"), data.get("cohort")
        if incubator and cohort and cohort.incubator_id != incubator.pk:
            self.add_error("cohort", _("The cohort %(cohort)s is not one of %(incubator)s's.")
                           % {"cohort": cohort.name, "incubator": incubator.local_name})
        return data


class MoveForm(forms.Form):
    """A move to another phase: its date (today by default) and its reason (asked by
    ``services.check_transition`` for every move but one step forward)."""

    phase = forms.ChoiceField(label=_("Move to"), choices=[
        *((p.value, p.label) for p in PHASE_ORDER), (Phase.DROPPED.value, Phase.DROPPED.label)])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Needed to skip a phase, go back, drop the project "
                                         "or take it back."))
    date = forms.DateField(label=_("Date"), required=False, widget=DATE)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["phase"])
        field.choices = [(m["phase"], m["label"]) for m in selectors.moves_of(project)]
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()


class IncubatorForm(forms.ModelForm):
    coaches = forms.ModelMultipleChoiceField(
        label=_("Coaches"), required=False, queryset=selectors.coaches_offered(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Users with the coach role; a coach may work in several incubators."))

    class Meta:
        model = Incubator
        fields = ["code", "name", "name_ar", "host", "region", "capacity", "opened_on",
                  "coaches"]
        widgets = {"name_ar": forms.TextInput(attrs=ARABIC), "opened_on": DATE,
                   "code": CodeInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        host = cast(forms.ModelChoiceField, self.fields["host"])
        host.queryset = selectors.hosts_offered(user)
        host.label_from_instance = _organisation_label  # type: ignore[method-assign,assignment]
        coaches = cast(forms.ModelMultipleChoiceField, self.fields["coaches"])
        coaches.queryset = selectors.coaches_offered()
        coaches.label_from_instance = coach_label  # type: ignore[method-assign,assignment]
        if self.instance.pk:
            self.initial.setdefault("coaches", list(self.instance.coaches.all()))


class ProjectForm(ScopedRegionMixin, forms.ModelForm):
    """A project's description; its incubator is chosen when it is added and kept (the
    phases move on the board, the outcomes on the project's page)."""

    class Meta:
        model = Project
        fields = ["incubator", "cohort", "code", "title", "title_ar", "summary", "sector",
                  "region", "province", "joined_on"]
        widgets = {"title_ar": forms.TextInput(attrs=ARABIC), "joined_on": DATE,
                   "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_regions(user)
        incubator = cast(forms.ModelChoiceField, self.fields["incubator"])
        incubator.queryset = selectors.incubators_visible(user).order_by("name")
        incubator.label_from_instance = lambda i: i.local_name  # type: ignore[method-assign,assignment]
        cohort = cast(forms.ModelChoiceField, self.fields["cohort"])
        cohort.queryset = selectors.cohorts_visible(user)
        cohort.label_from_instance = _cohort_label  # type: ignore[method-assign,assignment]
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Leave empty to number the project automatically, "
                                          "e.g. cira-ess-2025-007.")
        self.fields["joined_on"].required = False
        self.fields["joined_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if self.instance.pk:
            del self.fields["incubator"]
            self.fields["code"].required = True

    def clean(self):
        super().clean()
        data = self.cleaned_data
        incubator = data.get("incubator") or (self.instance.incubator
                                              if self.instance.pk else None)
        if incubator is not None and not data.get("code") and not self.instance.pk:
            joined = data.get("joined_on") or timezone.localdate()
            data["code"] = selectors.next_project_code(incubator, joined.year)
        return data

    def _post_clean(self):
        """The model is validated by the service (with the region's scope and the cohort
        of the incubator), not here: the form's errors are the service's."""


class HolderSearchForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)


class OutcomesForm(forms.ModelForm):
    """What the project became: the registry organisation it created (linked once it
    reached creation), the jobs created by sex, its revenue band."""

    class Meta:
        model = Project
        fields = ["jobs_women", "jobs_men", "revenue_band"]


class FollowUpForm(forms.ModelForm):
    months = forms.TypedChoiceField(label=_("After"), coerce=int,
                                    choices=FollowUp.Months.choices)
    active = forms.TypedChoiceField(label=_("Still active"), coerce=lambda v: v == "yes",
                                    choices=[("yes", _("yes")), ("no", _("no"))],
                                    widget=forms.RadioSelect)

    class Meta:
        model = FollowUp
        fields = ["months", "date", "active", "jobs_women", "jobs_men", "revenue_band", "note"]
        widgets = {"date": DATE}

    def _post_clean(self):
        """Validated by ``services.follow_up_record`` (after the project left)."""


class LeaveForm(forms.Form):
    date = forms.DateField(label=_("Left on"), required=False, widget=DATE)


class ReachForm(forms.Form):
    date = forms.DateField(label=_("Reached on"), required=False, widget=DATE)
