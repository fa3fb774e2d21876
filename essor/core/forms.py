from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


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
