from django import forms
from django.utils.translation import gettext_lazy as _

from essor.core.forms import CodeInput

from . import actions
from .models import AuditEntry


class EntryFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    actor = forms.CharField(label=_("Who"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Kind of record"), required=False)
    object_id = forms.CharField(label=_("Record number"), required=False, max_length=40,
                                widget=CodeInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known = dict(actions.choices())
        # Codes recorded but not (yet) declared are still offered, under their code.
        stored = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        extra = sorted(set(stored) - set(known))
        self.fields["action"].choices = [("", _("All actions")), *known.items(),
                                         *((code, code) for code in extra)]
        self.fields["object_type"].choices = [("", _("All kinds")), *actions.object_types()]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
