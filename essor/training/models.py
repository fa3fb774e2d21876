"""Training workshops held alongside the events: themes, enrolment, attendance,
certificates and evaluations."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The readable alphabet is shared with the badges; re-exported for the importers and demo.
from essor.core.codes import CODE_ALPHABET as CODE_ALPHABET
from essor.core.codes import readable_code
from essor.core.places import LocalPlace
from essor.core.text import CleanText
from essor.registry.models import Person, RegionScoped


def certificate_code() -> str:
    return readable_code(10)


class Theme(CleanText, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=150)
    name_ar = models.CharField(_("name (Arabic)"), max_length=150)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ar if (get_language() or "").startswith("ar") else self.name_fr


class Workshop(LocalPlace, RegionScoped):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CLOSED = "closed", _("closed")

    FLOW = [Status.PLANNED, Status.HELD, Status.CLOSED]
    HELD_STATUSES = (Status.HELD, Status.CLOSED)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="workshops",
                              verbose_name=_("theme"))
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="workshops",
                                verbose_name=_("trainer"),
                                limit_choices_to={"role": "trainer"})
    trainer_name = models.CharField(_("external trainer"), max_length=150, blank=True)
    date = models.DateField(_("date"))
    duration_hours = models.DecimalField(_("duration (hours)"), max_digits=4, decimal_places=1,
                                         default=3, validators=[MinValueValidator(Decimal("0.5"))])
    city = models.CharField(_("city"), max_length=100, blank=True)
    city_ar = models.CharField(_("city (Arabic)"), max_length=100, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    venue_ar = models.CharField(_("venue (Arabic)"), max_length=200, blank=True)
    event = models.ForeignKey("promotion.Event", on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="workshops",
                              verbose_name=_("held alongside the event"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=30,
                                                validators=[MinValueValidator(1)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PLANNED)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-date", "code"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        indexes = [models.Index(fields=["status", "date"])]

    def __str__(self) -> str:
        return self.local_title

    @property
    def local_title(self) -> str:
        arabic = (get_language() or "").startswith("ar")
        return self.title_ar if arabic and self.title_ar else self.title

    @property
    def trainer_label(self) -> str:
        trainer = self.trainer if self.trainer_id else None
        if trainer is not None:
            return trainer.get_full_name() or trainer.get_username()
        return self.trainer_name

    @property
    def is_held(self) -> bool:
        return self.status in self.HELD_STATUSES


class EnrolmentQuerySet(models.QuerySet):
    def attendances(self) -> "EnrolmentQuerySet":
        """*Attendances*: person × workshop ticked present, in workshops that were held
        (held or closed). Beneficiaries are the distinct people of these rows."""
        return self.filter(attended=True, workshop__status__in=Workshop.HELD_STATUSES)


class Enrolment(models.Model):
    """A person enrolled in a workshop; ``attended`` is the attendance sheet's tick."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    class Source(models.TextChoices):
        STAFF = "staff", _("staff")
        IMPORT = "import", _("import")
        ONLINE = "online", _("online")
        WALK_IN = "walk_in", _("walk-in")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="enrolments",
                                 verbose_name=_("workshop"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments",
                               verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.ENROLLED)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices,
                              default=Source.STAFF)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    certificate_code = models.CharField(_("certificate code"), max_length=12, unique=True,
                                        default=certificate_code, editable=False)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["workshop", "enrolled_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        indexes = [models.Index(fields=["workshop", "status"]),
                   models.Index(fields=["attended", "workshop"])]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "person"], name="enrolment_once"),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(attended__isnull=True) | Q(attended=False),
                name="enrolment_waitlisted_not_attended"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.workshop}"


class Evaluation(CleanText, models.Model):
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE,
                                     related_name="evaluation", verbose_name=_("enrolment"))
    rating = models.PositiveSmallIntegerField(
        _("overall satisfaction (1 to 5)"),
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    usefulness = models.PositiveSmallIntegerField(
        _("usefulness for my activity (1 to 5)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5),
                                              name="evaluation_rating_range")]

    def __str__(self) -> str:
        return f"{self.enrolment}: {self.rating}/5"
