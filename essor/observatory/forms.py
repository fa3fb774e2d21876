"""The observatory's forms: a dataset to publish, a note. The rules are the services'
(essor.observatory.services): the view passes the cleaned data to them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .catalogue import all_indicators
from .models import Dataset, ObservatoryNote


class DatasetForm(forms.ModelForm):
    indicator_code = forms.ChoiceField(label=_("indicator"))

    class Meta:
        model = Dataset
        fields = ["indicator_code", "breakdowns", "period_start", "period_end", "title_fr",
                  "title_ar"]
        widgets = {"period_start": forms.DateInput(attrs={"type": "date"}),
                   "period_end": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = [  # type: ignore[attr-defined]
            (item.code, f"{item.name} · {item.code}") for item in all_indicators()]


class NoteForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("language"),
                                 choices=[("fr", _("French")), ("ar", _("Arabic"))])

    class Meta:
        model = ObservatoryNote
        fields = ["title", "body", "language"]
