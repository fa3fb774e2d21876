"""Forms of the coaching pages: a session with up to three agreed next steps, and the
agenda's choice of a coach. They shape and check input; the services write."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from essor.accounts import permissions
from essor.accounts.models import Role, User

from .models import CoachingSession, Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NEXT_STEPS = 3


def coach_label(user) -> str:
    return user.get_full_name() or user.get_username()


class HoursField(forms.DecimalField):
    """Hours as a decimal, typed ``1.5`` or ``1,5`` (the French way)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        """A stored ``2.0`` shown as ``2``, ``1.50`` as ``1.5``."""
        if isinstance(value, Decimal) and value.is_finite():
            return value.quantize(Decimal(1)) if value == value.to_integral_value() \
                else value.normalize()
        return value


class SessionForm(forms.ModelForm):
    """The coach (one of the project's incubator's coaches; a coach records their own
    session by default), date, duration, mode, topics, the notes (only for who may read
    them: the incubator's coaches) and up to three new next steps with their due dates."""

    duration_hours = HoursField(
        label=_("Duration (hours)"), min_value=Decimal("0.5"), max_value=Decimal("12"),
        initial=Decimal("1.5"),
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        help_text=_("In hours, by half hours: 1.5 for an hour and a half."))

    class Meta:
        model = CoachingSession
        fields = ["coach", "date", "duration_hours", "mode", "topics", "notes"]
        widgets = {"date": DATE, "mode": forms.RadioSelect,
                   "notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        coaches = User.objects.filter(role=Role.COACH, incubators=project.incubator_id) \
            .order_by("last_name", "first_name", "username")
        coach = cast(forms.ModelChoiceField, self.fields["coach"])
        coach.queryset = coaches
        coach.label_from_instance = coach_label  # type: ignore[method-assign,assignment]
        coach.empty_label = _("Choose a coach")
        coach.error_messages["invalid_choice"] = _(
            "The coach %(value)s is not one of the coaches of this incubator.")
        if self.instance.pk or coaches.filter(pk=user.pk).exists():
            coach.empty_label = None
            if not self.instance.pk:
                coach.initial = user.pk
        self.fields["topics"].help_text = _("What the session dealt with, e.g. business "
                                            "plan, pricing, legal form.")
        self.notes_allowed = permissions.can(user, "incubation.read_notes", project)
        if self.notes_allowed:
            self.fields["notes"].help_text = _("Read only by the coaches of %(incubator)s.") \
                % {"incubator": project.incubator.local_name}
        else:
            del self.fields["notes"]  # who may not read the notes does not write them either
        self.step_rows = []
        for n in range(1, NEXT_STEPS + 1):
            self.fields[f"step_{n}_text"] = forms.CharField(
                label=_("Next step %(n)s") % {"n": n}, max_length=300, required=False)
            self.fields[f"step_{n}_due"] = forms.DateField(
                label=_("Due on"), required=False, widget=DATE)
            self.step_rows.append((self[f"step_{n}_text"], self[f"step_{n}_due"]))

    def clean_duration_hours(self):
        value = self.cleaned_data["duration_hours"]
        try:
            if value is not None and value % Decimal("0.5"):
                raise ValidationError(
                    _("%(value)s hours: give the duration by half hours (1, 1.5, 2…).")
                    % {"value": value})
        except InvalidOperation:  # pragma: no cover
            raise ValidationError(_("Give the duration in hours.")) from None
        return value

    def clean(self):
        data = super().clean() or {}
        date = data.get("date")
        steps = []
        for n in range(1, NEXT_STEPS + 1):
            text = (data.pop(f"step_{n}_text", "") or "").strip()
            due = data.pop(f"step_{n}_due", None)
            if text and not due:
                if f"step_{n}_due" not in self.errors:
                    self.add_error(f"step_{n}_due", _("When is “%(text)s” due?")
                                   % {"text": text})
            elif due and not text:
                self.add_error(f"step_{n}_text", _("Say what is due on %(date)s.")
                               % {"date": due.isoformat()})
            elif text and due:
                if date and due < date:
                    self.add_error(f"step_{n}_due", _(
                        "The due date %(due)s is before the session (%(date)s).")
                        % {"due": due.isoformat(), "date": date.isoformat()})
                else:
                    steps.append({"text": text, "due_on": due})
        self.next_steps = steps
        return data


class CoachChoiceForm(forms.Form):
    """The agenda's coach, among those of the incubators the user runs."""

    coach = forms.ModelChoiceField(label=_("Coach"), queryset=User.objects.none(),
                                   required=False, empty_label=_("Choose a coach"))
    start = forms.DateField(label=_("Week of"), required=False, widget=DATE)

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["coach"])
        field.queryset = coaches
        field.label_from_instance = coach_label  # type: ignore[method-assign,assignment]
