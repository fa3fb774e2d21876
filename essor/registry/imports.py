"""Imports of organisations and people, with the duplicate rules of the registry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from essor.core import cleaning, normalise
from essor.core.imports import Importer, RowInvalid, register

from . import services
from .models import Organisation, validate_national_id, validate_phone


class RowCleaner:
    """Collects one message per bad cell, so a row reports all its faults at once."""

    def __init__(self, row: dict[str, str]):
        self.row = row
        self.errors: list[tuple[str, str]] = []

    def take(self, column: str, convert=None, *, required: bool = False, **kwargs):
        value = (self.row.get(column) or "").strip()
        if required and not value:
            self.errors.append((column, _("This column is required.")))
            return None
        if convert is None:
            return value
        try:
            return convert(value, **kwargs)
        except cleaning.CellError as exc:
            self.errors.append((column, str(exc)))
        except ValidationError as exc:
            self.errors.append((column, " ".join(exc.messages)))
        return None

    def done(self) -> None:
        if self.errors:
            raise RowInvalid(self.errors)


def _validated(validator):
    def check(value: str) -> str:
        validator(value)
        return value
    return check


@register
class OrganisationImporter(Importer):
    kind = "organisations"
    label = gettext_lazy("Organisations")
    columns = ["name", "name_ar", "kind", "region", "province", "sector", "city",
               "founding_year", "members_women", "members_men", "ice",
               "registration_number", "email", "phone"]
    required = ["name", "kind", "region"]
    example = [{"name": "Coopérative Tifawine", "name_ar": "تعاونية تيفاوين",
                "kind": "cooperative", "region": "MA-09", "province": "MA-TIZ",
                "sector": "argan", "city": "Tiznit", "founding_year": "2014",
                "members_women": "23", "members_men": "2", "ice": "",
                "registration_number": "", "email": "", "phone": "0528 86 12 34"}]

    def clean_row(self, row):
        c = RowCleaner(row)
        data = {
            "name": c.take("name", required=True),
            "name_ar": c.take("name_ar"),
            "kind": c.take("kind", cleaning.choice, required=True,
                           choices=Organisation.Kind.choices),
            "region": c.take("region", cleaning.region, required=True),
            "sector": c.take("sector", lambda v: cleaning.choice(
                v, Organisation.Sector.choices) if v else ""),
            "city": c.take("city"),
            "founding_year": c.take("founding_year", cleaning.year),
            "members_women": c.take("members_women", cleaning.count),
            "members_men": c.take("members_men", cleaning.count),
            "ice": c.take("ice", lambda v: v.replace(" ", "")),
            "registration_number": c.take("registration_number"),
            "email": c.take("email"),
            "phone": c.take("phone", _validated(validate_phone)),
        }
        if data["region"] is not None:
            data["province"] = c.take("province", cleaning.province, region=data["region"])
        c.done()
        return data

    def write_row(self, cleaned):
        return services.organisation_get_or_create(by=self.by, **cleaned)[1]


@register
class PersonImporter(Importer):
    kind = "people"
    label = gettext_lazy("People")
    columns = ["first_name", "last_name", "first_name_ar", "last_name_ar", "sex",
               "birth_year", "disability", "region", "province", "phone", "national_id"]
    required = ["first_name", "last_name", "sex", "region"]
    example = [{"first_name": "Fatima Zahra", "last_name": "Benali",
                "first_name_ar": "فاطمة الزهراء", "last_name_ar": "بنعلي", "sex": "F",
                "birth_year": "1994", "disability": "no", "region": "MA-02",
                "province": "MA-OUJ", "phone": "06 61 23 45 67", "national_id": "F123456"}]

    def clean_row(self, row):
        c = RowCleaner(row)
        data = {
            "first_name": c.take("first_name", required=True),
            "last_name": c.take("last_name", required=True),
            "first_name_ar": c.take("first_name_ar"),
            "last_name_ar": c.take("last_name_ar"),
            "sex": c.take("sex", cleaning.sex, required=True),
            "birth_year": c.take("birth_year", cleaning.year, low=1920),
            "disability": c.take("disability", cleaning.boolean),
            "region": c.take("region", cleaning.region, required=True),
            "phone": c.take("phone", _validated(validate_phone)),
            "national_id": c.take("national_id", lambda v: _validated(validate_national_id)(
                normalise.national_id_key(v))),
        }
        if data["region"] is not None:
            data["province"] = c.take("province", cleaning.province, region=data["region"])
        c.done()
        return data

    def write_row(self, cleaned):
        return services.person_get_or_create(by=self.by, **cleaned)[1]
