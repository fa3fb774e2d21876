from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Target(models.Model):
    """A target for one indicator over one period, nationally or for one region."""

    indicator_code = models.CharField(_("indicator"), max_length=80)
    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    region = models.ForeignKey("territory.Region", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("region"),
                               help_text=_("Leave empty for a national target."))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["indicator_code", "period_start", "region__code"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator_code", "period_start", "period_end",
                                            "region"], name="target_unique"),
            models.UniqueConstraint(fields=["indicator_code", "period_start", "period_end"],
                                    condition=Q(region__isnull=True),
                                    name="target_national_unique"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="target_period_ordered"),
        ]

    def __str__(self) -> str:
        scope = self.region.code if self.region_id and self.region else "national"
        return f"{self.indicator_code} {self.period_start}–{self.period_end} {scope}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .catalogue import REGISTRY, load_indicators

        super().clean()
        load_indicators()
        if self.indicator_code and self.indicator_code not in REGISTRY:
            raise ValidationError({"indicator_code": _("Unknown indicator: %(code)s")
                                   % {"code": self.indicator_code}})


class Observatory(models.Model):
    """A regional ESS observatory: its regions, its host organisation and its analysts."""

    code = models.SlugField(_("code"), max_length=40, unique=True)  # "oriental"
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    host = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, null=True,
                             blank=True, related_name="observatories",
                             verbose_name=_("host organisation"))
    regions = models.ManyToManyField("territory.Region", related_name="observatories",
                                     verbose_name=_("regions"))
    analysts = models.ManyToManyField("accounts.User", blank=True,
                                      related_name="observatories",
                                      verbose_name=_("analysts"))
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("observatory")
        verbose_name_plural = _("observatories")

    def __str__(self) -> str:
        return self.name_fr


class Dataset(models.Model):
    """One indicator published by an observatory, over a period and its regions, with up
    to two breakdowns: the open data publishes it with small cells suppressed."""

    observatory = models.ForeignKey(Observatory, on_delete=models.CASCADE,
                                    related_name="datasets", verbose_name=_("observatory"))
    indicator_code = models.CharField(_("indicator"), max_length=80)
    breakdowns = models.CharField(_("breakdowns"), max_length=80, blank=True,
                                  help_text=_("Up to two, separated by a comma: sex,age_band"))
    period_start = models.DateField(_("start of the period"), null=True, blank=True)
    period_end = models.DateField(_("end of the period"), null=True, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)

    class Meta:
        ordering = ["observatory__code", "indicator_code", "pk"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")

    def __str__(self) -> str:
        return f"{self.observatory.code}: {self.indicator_code}"

    @property
    def by(self) -> tuple[str, ...]:
        return tuple(code.strip() for code in self.breakdowns.split(",") if code.strip())


class ObservatoryNote(models.Model):
    """A note an observatory publishes beside its figures (an analysis, a method)."""

    observatory = models.ForeignKey(Observatory, on_delete=models.CASCADE,
                                    related_name="notes", verbose_name=_("observatory"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, default="fr")
    author = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name=_("author"))
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return self.title


class CollectedValue(models.Model):
    """A value of a collected indicator (from a survey, a census of cooperatives), entered
    or imported by an observatory: draft → submitted → validated. A validated value is
    locked until an audited un-validation (essor.observatory.services)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", pgettext_lazy("collected value", "submitted")
        VALIDATED = "validated", _("validated")

    observatory = models.ForeignKey(Observatory, on_delete=models.PROTECT,
                                    related_name="collected_values",
                                    verbose_name=_("observatory"))
    indicator_code = models.CharField(_("indicator"), max_length=80)
    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    region = models.ForeignKey("territory.Region", on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("region"))
    province = models.ForeignKey("territory.Province", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("province"))
    # The breakdown cell: {"sector": "agriculture", "sex": "F"}; {} for the total.
    cells = models.JSONField(_("breakdown"), default=dict, blank=True)
    cell_key = models.CharField(max_length=200, blank=True, editable=False)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.CharField(_("source"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    entered_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("entered by"))
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    validated_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("validated by"))
    validated_at = models.DateTimeField(_("validated on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["indicator_code", "period_start", "region__code", "cell_key"]
        verbose_name = _("collected value")
        verbose_name_plural = _("collected values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_code", "period_start", "period_end", "region", "cell_key"],
                condition=Q(province__isnull=True), name="collected_value_unique_region"),
            models.UniqueConstraint(
                fields=["indicator_code", "period_start", "period_end", "province",
                        "cell_key"], name="collected_value_unique_province"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="collected_value_period_ordered"),
        ]
        indexes = [models.Index(fields=["indicator_code", "status"])]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.region_id} {self.cell_key}: {self.value}"

    def save(self, *args, **kwargs) -> None:
        self.cell_key = ",".join(f"{k}={v}" for k, v in sorted((self.cells or {}).items()))
        super().save(*args, **kwargs)


class CollectedValueComment(models.Model):
    value = models.ForeignKey(CollectedValue, on_delete=models.CASCADE,
                              related_name="comments", verbose_name=_("value"))
    author = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name=_("author"))
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:40]
