from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


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
