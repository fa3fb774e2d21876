from django import forms
from django.conf import settings
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

# -- values written left to right -------------------------------------------------------------
# In an Arabic (right-to-left) page, a phone number typed as ``06 12 34`` would show as
# ``34 12 06``. Every input holding such a value gets ``dir="ltr"``, decided here once for
# every form of essor (the renderer below is settings.FORM_RENDERER):
# - inputs of these types, whatever their field;
# - code fields (``SlugField``: event, workshop and theme codes);
# - text inputs declared as identifiers with ``CodeInput`` (national ID, ICE, registration
#   number, badge and certificate codes) or as phone numbers with ``PhoneInput``.
# A widget given an explicit ``dir`` (``dir="rtl"`` on an Arabic name) keeps it.

LEFT_TO_RIGHT_TYPES = frozenset({"tel", "email", "number", "url", "date", "time",
                                 "datetime-local", "month", "week", "password"})


class CodeInput(forms.TextInput):
    """A code or identifier typed as text: written left to right in every page, and
    neither spell-checked nor auto-completed."""

    left_to_right = True

    def __init__(self, attrs=None):
        super().__init__({"spellcheck": "false", "autocomplete": "off", **(attrs or {})})


class PhoneInput(forms.TextInput):
    """A phone number: the phone keypad on a phone, written left to right."""

    input_type = "tel"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", **(attrs or {})})


def writes_left_to_right(field: forms.Field, widget: forms.Widget) -> bool:
    return (getattr(widget, "input_type", None) in LEFT_TO_RIGHT_TYPES
            or getattr(widget, "left_to_right", False)
            or (isinstance(field, forms.SlugField)
                and getattr(widget, "input_type", None) == "text"))


class BoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if ("dir" not in attrs and "dir" not in widget.attrs
                and writes_left_to_right(self.field, widget)):
            attrs["dir"] = "ltr"
        return attrs


class FormRenderer(TemplatesSetting):
    """Django's form templates as essor overrides them (templates/django/forms/), with
    essor's bound fields (values written left to right where they must be)."""

    bound_field_class = BoundField



class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    mode = forms.ChoiceField(label=_("Mode"), widget=forms.RadioSelect, initial="dry_run",
                             choices=[
                                 ("dry_run", _("Check only (dry run): nothing is written")),
                                 ("all", _("All or nothing: write only if every row is valid")),
                                 ("partial", _("Partial: write the valid rows, return the "
                                               "bad ones in a file")),
                             ])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Only .csv and .xlsx files can be imported."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("This file is too large."))
        head = upload.read(4)
        upload.seek(0)
        if name.endswith(".xlsx") and head != b"PK\x03\x04":
            raise forms.ValidationError(_("This file is not a readable XLSX workbook."))
        if name.endswith(".csv") and b"\x00" in upload.read(2048):
            raise forms.ValidationError(_("This file is not a text CSV file."))
        upload.seek(0)
        return upload


class ImportAgainForm(forms.Form):
    """The real import of a file checked by a dry run, kept on the server."""

    upload = forms.CharField(widget=forms.HiddenInput, max_length=64)
    mode = forms.ChoiceField(label=_("Mode"), widget=forms.RadioSelect, initial="all",
                             choices=[
                                 ("all", _("All or nothing: write only if every row is valid")),
                                 ("partial", _("Partial: write the valid rows, return the "
                                               "bad ones in a file")),
                             ])
