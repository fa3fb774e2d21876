from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from essor.accounts.permissions import can
from essor.core.forms import CodeInput, PhoneInput
from essor.core.scoping import region_ids
from essor.territory.models import Province, Region

from .models import Organisation, Person, Sex


class ScopedRegionMixin:
    """Region and province choices limited to the user's scope (no cross-region writes)."""

    fields: dict[str, Any]  # the form's, once mixed into one

    def limit_regions(self, user) -> None:
        ids = region_ids(user)
        regions = Region.objects.all()
        provinces = Province.objects.select_related("region")
        if ids is not None:
            regions = regions.filter(pk__in=ids)
            provinces = provinces.filter(region__in=ids)
        self.fields["region"].queryset = regions
        self.fields["province"].queryset = provinces
        # Choosing a region reloads the province list with that region's provinces.
        self.fields["region"].widget.attrs.update({
            "hx-get": reverse("territory:province_options"),
            "hx-target": "#id_province", "hx-trigger": "change"})
        if ids is not None and len(ids) == 1:
            self.fields["region"].initial = next(iter(ids))


class OrganisationForm(ScopedRegionMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "name_ar", "kind", "sector", "region", "province", "city",
                  "founding_year", "members_women", "members_men", "ice",
                  "registration_number", "email", "phone"]
        widgets = {"name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
                   "ice": CodeInput(attrs={"inputmode": "numeric"}),
                   "registration_number": CodeInput, "phone": PhoneInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_regions(user)


class OrganisationProfileForm(forms.ModelForm):
    """What an organisation account may change of its own record."""

    class Meta:
        model = Organisation
        fields = ["name_ar", "sector", "city", "members_women", "members_men", "email",
                  "phone"]
        widgets = {"name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
                   "phone": PhoneInput}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class PersonForm(ScopedRegionMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["first_name", "last_name", "first_name_ar", "last_name_ar", "sex",
                  "birth_year", "disability", "region", "province", "phone", "national_id"]
        widgets = {
            "first_name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "last_name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "sex": forms.RadioSelect,
            "phone": PhoneInput,
            "national_id": CodeInput(attrs={"autocapitalize": "characters"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_regions(user)
        self.fields["sex"].choices = Sex.choices
        if not can(user, "registry.see_personal_data"):
            # Field roles add people but never read or type national IDs.
            del self.fields["national_id"]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *Organisation.Kind.choices])
    sector = forms.ChoiceField(label=_("Sector"), required=False,
                               choices=[("", _("All sectors")), *Organisation.Sector.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user)  # type: ignore[attr-defined]


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False,
                            choices=[("", _("Both sexes")), *Sex.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user)  # type: ignore[attr-defined]


def region_choices(user):
    ids = region_ids(user)
    regions = Region.objects.all() if ids is None else Region.objects.filter(pk__in=ids)
    return [("", _("All regions")), *((r.code, r.name) for r in regions)]
