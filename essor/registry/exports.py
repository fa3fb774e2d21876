from typing import Any

from django.utils.translation import gettext_lazy as _

from essor.core import normalise
from essor.core.exports import Exporter


class OrganisationExporter(Exporter):
    filename = "organisations"

    def __init__(self, queryset):
        self.queryset = queryset

    def header(self):
        return [_("name"), _("name (Arabic script)"), _("kind"), _("sector"), _("region"),
                _("province"), _("city"), _("founding year"), _("women members"),
                _("men members"), _("ICE"), _("registration number")]

    def rows(self):
        for o in self.queryset.iterator(chunk_size=2000):
            yield [o.name, o.name_ar, o.get_kind_display(), o.get_sector_display(),
                   o.region.code, o.province.code if o.province_id else "", o.city,
                   o.founding_year, o.members_women, o.members_men, o.ice,
                   o.registration_number]


class PersonExporter(Exporter):
    filename = "people"

    def __init__(self, queryset, *, full: bool):
        self.queryset = queryset
        self.full = full

    def header(self):
        return [_("first name"), _("last name"), _("first name (Arabic script)"),
                _("last name (Arabic script)"), _("sex"), _("birth year"),
                _("person with a disability"), _("region"), _("province"), _("phone"),
                _("national ID (CIN)")]

    def rows(self):
        for p in self.queryset.iterator(chunk_size=2000):
            disability: Any
            if self.full:
                disability = _("yes") if p.disability else _("no")
                phone, national_id = normalise.phone_display(p.phone), p.national_id
            else:
                disability, phone, national_id = "", normalise.mask(p.phone), normalise.mask(
                    p.national_id)
            yield [p.first_name, p.last_name, p.first_name_ar, p.last_name_ar, p.sex,
                   p.birth_year, disability, p.region.code,
                   p.province.code if p.province_id else "", phone, national_id]
