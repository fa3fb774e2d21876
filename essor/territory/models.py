from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LocalisedName(models.Model):
    """A place named in French and in Arabic, as the Kingdom officially writes it."""

    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ar if (get_language() or "fr").startswith("ar") else self.name_fr


class Region(LocalisedName):
    code = models.CharField(_("ISO 3166-2 code"), max_length=8, unique=True)  # MA-06
    hcp_code = models.CharField(_("census office code"), max_length=4, unique=True)  # 06
    population = models.PositiveIntegerField(_("population (2024 census)"), default=0)
    population_women = models.PositiveIntegerField(_("women (2024 census)"), default=0)
    population_men = models.PositiveIntegerField(_("men (2024 census)"), default=0)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Province(LocalisedName):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        PREFECTURE = "prefecture", _("prefecture")

    code = models.CharField(_("ISO 3166-2 code"), max_length=8, unique=True)  # MA-CAS
    hcp_code = models.CharField(_("census office code"), max_length=8, unique=True)  # 06.141
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="provinces",
                               verbose_name=_("region"))
    population = models.PositiveIntegerField(_("population (2024 census)"), default=0)
    population_women = models.PositiveIntegerField(_("women (2024 census)"), default=0)
    population_men = models.PositiveIntegerField(_("men (2024 census)"), default=0)

    class Meta:
        ordering = ["region__code", "name_fr"]
        verbose_name = _("province or prefecture")
        verbose_name_plural = _("provinces and prefectures")
