"""Fairs and itinerant markets: events, applications, stands, participations."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from essor.core import codes
from essor.core.places import LocalPlace, local
from essor.core.text import CleanText
from essor.registry.models import Organisation, Person, RegionScoped

BADGE_CODE_LENGTH = 9  # printed in three groups of three: K7M-2QX-9PA


def new_badge_code() -> str:
    """A badge code read aloud and typed by hand (``essor.core.codes``)."""
    return codes.readable_code(BADGE_CODE_LENGTH)


def _token() -> str:
    """The first badge codes' default, kept for migration 0001."""
    return new_badge_code()


class Event(LocalPlace, RegionScoped):
    class Kind(models.TextChoices):
        NATIONAL_FAIR = "national_fair", _("national fair")
        REGIONAL_FAIR = "regional_fair", _("regional fair")
        ITINERANT_MARKET = "itinerant_market", _("itinerant market")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        OPEN = "open", _("open for applications")
        SELECTION = "selection", _("selection")
        HELD = "held", _("held")
        CLOSED = "closed", _("closed")

    # The order a status moves in; a step back is refused.
    FLOW = [Status.PLANNED, Status.OPEN, Status.SELECTION, Status.HELD, Status.CLOSED]
    HELD_STATUSES = (Status.HELD, Status.CLOSED)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    edition = models.PositiveSmallIntegerField(_("edition"), null=True, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    venue_ar = models.CharField(_("venue (Arabic)"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    city_ar = models.CharField(_("city (Arabic)"), max_length=100, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    organiser_ar = models.CharField(_("organiser (Arabic)"), max_length=200, blank=True)
    stands = models.PositiveSmallIntegerField(_("number of stands"), default=0)
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PLANNED)
    selection_rules = models.JSONField(_("selection criteria"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["kind", "status", "start_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")),
                                   name="event_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.local_title

    @property
    def local_title(self) -> str:
        arabic = (get_language() or "").startswith("ar")
        return self.title_ar if arabic and self.title_ar else self.title

    @property
    def local_organiser(self) -> str:
        return local(self.organiser, self.organiser_ar)

    @property
    def is_held(self) -> bool:
        return self.status in self.HELD_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class Application(CleanText, models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        SHORTLISTED = "shortlisted", _("shortlisted")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        WAITLISTED = "waitlisted", _("waitlisted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # Which status may follow which.
    MOVES = {
        Status.SUBMITTED: {Status.SHORTLISTED, Status.ACCEPTED, Status.REJECTED,
                           Status.WAITLISTED, Status.WITHDRAWN},
        Status.SHORTLISTED: {Status.ACCEPTED, Status.REJECTED, Status.WAITLISTED,
                             Status.WITHDRAWN},
        Status.WAITLISTED: {Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN},
        Status.ACCEPTED: {Status.WITHDRAWN},
        Status.REJECTED: set(),
        Status.WITHDRAWN: set(),
    }

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="applications",
                              verbose_name=_("event"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="applications",
                                     verbose_name=_("organisation"))
    holder = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="stand_applications",
                               verbose_name=_("person holding the stand"))
    products = models.TextField(_("products shown"), blank=True)
    stand_needs = models.TextField(_("stand needs"), blank=True)
    first_time = models.BooleanField(_("first time exhibiting"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["event", "submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [models.UniqueConstraint(fields=["event", "organisation"],
                                               name="application_once_per_event")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.event}"


class Stand(CleanText, models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="stand_set",
                              verbose_name=_("event"))
    number = models.PositiveSmallIntegerField(_("stand number"))
    area = models.CharField(_("area"), max_length=60, blank=True)

    class Meta:
        ordering = ["event", "number"]
        verbose_name = _("stand")
        verbose_name_plural = _("stands")
        constraints = [models.UniqueConstraint(fields=["event", "number"],
                                               name="stand_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}"


class ParticipationQuerySet(models.QuerySet):
    def exhibitors(self) -> "ParticipationQuerySet":
        """*Exhibitors*, the report's definition: participations (one per organisation per
        event) with status attended, in events that were held (held or closed). An attended
        participation of an event still marked planned or open is not counted anywhere."""
        return self.filter(status=Participation.Status.ATTENDED,
                           event__status__in=Event.HELD_STATUSES)


class Participation(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        ATTENDED = "attended", _("attended")
        ABSENT = "absent", _("absent")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations",
                              verbose_name=_("event"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="participations",
                                     verbose_name=_("organisation"))
    holder = models.ForeignKey(Person, on_delete=models.PROTECT,
                               related_name="stand_participations",
                               verbose_name=_("person holding the stand"))
    application = models.OneToOneField(Application, on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="participation",
                                       verbose_name=_("application"))
    stand = models.OneToOneField(Stand, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="participation", verbose_name=_("stand"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.REGISTERED)
    badge_code = models.CharField(_("badge code"), max_length=24, unique=True,
                                  default=new_badge_code, editable=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    sales_mad = models.DecimalField(_("declared sales (MAD)"), max_digits=12, decimal_places=2,
                                    null=True, blank=True,
                                    validators=[MinValueValidator(0)])
    visitors = models.PositiveIntegerField(_("visitors"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "organisation__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        indexes = [models.Index(fields=["event", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"],
                                    name="participation_once_per_event"),
            models.CheckConstraint(condition=Q(sales_mad__isnull=True) | Q(sales_mad__gte=0),
                                   name="participation_sales_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.event}"

    @property
    def badge_code_display(self) -> str:
        """The badge code in groups of three, as printed: ``K7M-2QX-9PA``."""
        return codes.grouped(self.badge_code)


class Satisfaction(CleanText, models.Model):
    participation = models.OneToOneField(Participation, on_delete=models.CASCADE,
                                         related_name="satisfaction",
                                         verbose_name=_("participation"))
    rating = models.PositiveSmallIntegerField(
        _("overall satisfaction (1 to 5)"),
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    organisation_rating = models.PositiveSmallIntegerField(
        _("organisation of the event (1 to 5)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    would_return = models.BooleanField(_("would exhibit again"), default=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("satisfaction answer")
        verbose_name_plural = _("satisfaction answers")
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5),
                                              name="satisfaction_rating_range")]

    def __str__(self) -> str:
        return f"{self.participation}: {self.rating}/5"
