from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from essor.core import normalise
from essor.core.places import is_arabic
from essor.core.text import CleanText

ice_validator = RegexValidator(r"^\d{15}$", _("An ICE is 15 digits."))


def validate_national_id(value: str) -> None:
    if value and not normalise.national_id_is_valid(value):
        raise ValidationError(
            _("A national ID is one or two letters followed by digits, e.g. AB123456."),
            code="invalid_national_id")


def validate_phone(value: str) -> None:
    if value and not normalise.phone_is_valid(value):
        raise ValidationError(
            _("Enter a phone number such as 06 12 34 56 78 or +212 6 12 34 56 78."),
            code="invalid_phone")


def validate_not_future_year(value: int) -> None:
    if value and value > timezone.localdate().year:
        raise ValidationError(_("This year is in the future."), code="future_year")


class Sex(models.TextChoices):
    FEMALE = "F", _("woman")
    MALE = "M", _("man")


class RegionScoped(CleanText, models.Model):
    """A record that belongs to one region and, optionally, one of its provinces."""

    region = models.ForeignKey("territory.Region", on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("region"))
    province = models.ForeignKey("territory.Province", on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+",
                                 verbose_name=_("province or prefecture"))

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        phone = getattr(self, "phone", "")
        if phone and normalise.phone_is_valid(phone):
            self.phone = normalise.phone_canonical(phone)  # one stored form: 06 12 34 56 78
        province = self.province if self.province_id else None
        if province is not None and self.region_id and province.region_id != self.region_id:
            raise ValidationError(
                {"province": _("This province is not in the selected region.")})


class Organisation(RegionScoped):
    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("cooperative")
        ASSOCIATION = "association", _("association")
        MUTUAL = "mutual", _("mutual")
        FOUNDATION = "foundation", _("foundation")
        ESS_ENTERPRISE = "ess_enterprise", _("ESS enterprise")
        REGIONAL_COUNCIL = "regional_council", _("regional council")
        UNIVERSITY = "university", _("university")
        FACULTY = "faculty", _("faculty")
        PUBLIC_BODY = "public_body", _("public body")

    class Sector(models.TextChoices):
        AGRICULTURE = "agriculture", _("agriculture and agri-food")
        CRAFTS = "crafts", _("crafts")
        TEXTILE = "textile", _("textile and clothing")
        ARGAN = "argan", _("argan and aromatic plants")
        FISHERIES = "fisheries", _("fisheries")
        TOURISM = "tourism", _("solidarity tourism")
        SERVICES = "services", _("services")
        HOUSING = "housing", _("housing")
        EDUCATION = "education", _("education and training")
        HEALTH = "health", _("health and social care")
        OTHER = "other", _("other")

    name = models.CharField(_("name (Latin script)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic script)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    founding_year = models.PositiveSmallIntegerField(
        _("founding year"), null=True, blank=True,
        validators=[MinValueValidator(1900), validate_not_future_year])
    members_women = models.PositiveIntegerField(_("women members"), null=True, blank=True)
    members_men = models.PositiveIntegerField(_("men members"), null=True, blank=True)
    ice = models.CharField(_("ICE"), max_length=15, blank=True, validators=[ice_validator],
                           help_text=_("Common company identifier, 15 digits."))
    registration_number = models.CharField(
        _("registration number"), max_length=40, blank=True,
        help_text=_("Cooperative or association registration number."))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["ice"], condition=~Q(ice=""),
                                    name="organisation_ice_unique"),
            models.UniqueConstraint(fields=["name_key", "kind", "region"],
                                    name="organisation_natural_key"),
            models.CheckConstraint(condition=Q(ice="") | Q(ice__regex=r"^[0-9]{15}$"),
                                   name="organisation_ice_digits"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_keys()
        super().save(*args, **kwargs)

    @property
    def local_name(self) -> str:
        """The name in the script of the reader's language, when it is recorded."""
        return self.name_ar if self.name_ar and is_arabic() else self.name

    @property
    def other_name(self) -> str:
        return self.name if self.local_name != self.name else self.name_ar

    @property
    def members_total(self) -> int | None:
        if self.members_women is None and self.members_men is None:
            return None
        return (self.members_women or 0) + (self.members_men or 0)

    def refresh_keys(self) -> None:
        self.name_key = normalise.name_key(self.name)


class Person(RegionScoped):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name_ar = models.CharField(_("first name (Arabic script)"), max_length=100, blank=True)
    last_name_ar = models.CharField(_("last name (Arabic script)"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True,
        validators=[MinValueValidator(1920), validate_not_future_year])
    disability = models.BooleanField(_("person with a disability"), default=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    national_id = models.CharField(_("national ID (CIN)"), max_length=12, blank=True,
                                   validators=[validate_national_id])
    # Keys for the duplicate rules, kept in step by save() and indexed for imports.
    national_id_key = models.CharField(max_length=12, editable=False, db_index=True)
    name_key = models.CharField(max_length=200, editable=False)
    phone_key = models.CharField(max_length=20, editable=False)
    name_skeleton = models.CharField(max_length=200, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["name_key", "phone_key"], name="person_name_phone")]
        constraints = [
            models.UniqueConstraint(fields=["national_id_key"], condition=~Q(national_id_key=""),
                                    name="person_national_id_unique"),
            models.CheckConstraint(condition=Q(sex__in=["F", "M"]), name="person_sex_valid"),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1920),
                name="person_birth_year_plausible"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.refresh_keys()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def full_name_ar(self) -> str:
        return f"{self.first_name_ar} {self.last_name_ar}".strip()

    @property
    def local_name(self) -> str:
        """The name in the script of the reader's language, when it is recorded."""
        return self.full_name_ar if self.full_name_ar and is_arabic() else self.full_name

    @property
    def other_name(self) -> str:
        return self.full_name if self.local_name != self.full_name else self.full_name_ar

    def refresh_keys(self) -> None:
        self.national_id = normalise.national_id_key(self.national_id)
        self.national_id_key = self.national_id
        self.name_key = normalise.name_key(self.first_name, self.last_name)
        self.phone_key = normalise.phone_key(self.phone)
        self.name_skeleton = normalise.name_skeleton(self.first_name, self.last_name)


class Membership(models.Model):
    """A person's place in an organisation (member, president, manager…)."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        PRESIDENT = "president", _("president")
        MANAGER = "manager", _("manager")
        EMPLOYEE = "employee", _("employee")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships",
                               verbose_name=_("person"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="memberships", verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["person", "organisation"],
                                               name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation}"


class DismissedMatch(models.Model):
    """Two people a user confirmed to be different: no longer proposed for merging."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="dismissed_match_unique"),
            models.CheckConstraint(condition=Q(person_a__lt=models.F("person_b")),
                                   name="dismissed_match_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ≠ {self.person_b_id}"
