"""Incubation: incubators (CIRA-ESS and the faculties' incubators), their calls for
projects and cohorts, the projects and their holders, the phases a project goes through
(pre-creation → creation → development → extension, or dropped) with a dated history,
milestones, coaching sessions and their next steps, and what the projects became.

The rules (which phase may follow which, what a transition needs, who may read a
coaching note) live in ``services`` and ``essor.accounts.permissions``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from essor.core.codes import readable_code
from essor.core.text import CleanText
from essor.registry.models import Organisation, Person, RegionScoped


def _arabic() -> bool:
    return (get_language() or "").startswith("ar")


def application_reference() -> str:
    return readable_code(8)


class Phase(models.TextChoices):
    PRE_CREATION = "pre_creation", _("pre-creation")
    CREATION = "creation", _("creation")
    DEVELOPMENT = "development", _("development")
    EXTENSION = "extension", _("extension")
    DROPPED = "dropped", _("dropped")


# The phases in their order; ``dropped`` stands outside it.
PHASE_ORDER = [Phase.PRE_CREATION, Phase.CREATION, Phase.DEVELOPMENT, Phase.EXTENSION]


class Incubator(RegionScoped):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="incubators",
                             verbose_name=_("host institution"))
    coaches = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                     related_name="incubators", verbose_name=_("coaches"),
                                     limit_choices_to={"role": "coach"})
    capacity = models.PositiveSmallIntegerField(
        _("capacity (projects at a time)"), default=20, validators=[MinValueValidator(1)])
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("incubator")
        verbose_name_plural = _("incubators")

    def __str__(self) -> str:
        return self.local_name

    @property
    def local_name(self) -> str:
        return self.name_ar if _arabic() and self.name_ar else self.name


class Call(CleanText, models.Model):
    """A call for projects of one incubator: open between its dates to the public form."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")

    incubator = models.ForeignKey(Incubator, on_delete=models.PROTECT, related_name="calls",
                                  verbose_name=_("incubator"))
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    criteria = models.TextField(_("criteria"), blank=True)
    criteria_ar = models.TextField(_("criteria (Arabic)"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    places = models.PositiveSmallIntegerField(_("places in the cohort"), default=15,
                                              validators=[MinValueValidator(1)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    # Weights of the selection criteria (essor.incubation.selection.Rules); {} = defaults.
    selection_rules = models.JSONField(_("selection rules"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "code"]
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                              name="call_dates_ordered")]

    def __str__(self) -> str:
        return self.local_title

    @property
    def local_title(self) -> str:
        return self.title_ar if _arabic() and self.title_ar else self.title

    @property
    def local_criteria(self) -> str:
        return self.criteria_ar if _arabic() and self.criteria_ar else self.criteria


class Cohort(CleanText, models.Model):
    incubator = models.ForeignKey(Incubator, on_delete=models.PROTECT, related_name="cohorts",
                                  verbose_name=_("incubator"))
    call = models.OneToOneField(Call, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="cohort", verbose_name=_("call for projects"))
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.name


class Application(RegionScoped):
    """A project submitted to a call through the public form, by one or several holders
    (``ApplicationHolder``, each matched to the registry)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        SELECTED = "selected", _("selected")
        REJECTED = "rejected", _("not selected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications",
                             verbose_name=_("call for projects"))
    reference = models.CharField(_("reference"), max_length=12, unique=True,
                                 default=application_reference, editable=False)
    title = models.CharField(_("project title"), max_length=200)
    summary = models.TextField(_("summary of the project"), max_length=3000)
    sector = models.CharField(_("sector"), max_length=20, choices=Organisation.Sector.choices)
    email = models.EmailField(_("e-mail"))
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.SUBMITTED)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True,
                                blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["call", "submitted_at", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"


class ApplicationHolder(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="holders", verbose_name=_("application"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT,
                               related_name="incubation_applications",
                               verbose_name=_("person"))
    lead = models.BooleanField(_("lead holder"), default=False)

    class Meta:
        ordering = ["-lead", "pk"]
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        constraints = [models.UniqueConstraint(fields=["application", "person"],
                                               name="application_holder_once")]

    def __str__(self) -> str:
        return f"{self.person} — {self.application}"


class Project(RegionScoped):
    class RevenueBand(models.TextChoices):
        NONE = "none", _("no revenue yet")
        UNDER_50K = "under_50k", _("under 50,000 MAD a year")
        FROM_50K = "50k_200k", _("50,000 to 200,000 MAD a year")
        FROM_200K = "200k_1m", _("200,000 to 1 million MAD a year")
        OVER_1M = "over_1m", _("over 1 million MAD a year")

    incubator = models.ForeignKey(Incubator, on_delete=models.PROTECT, related_name="projects",
                                  verbose_name=_("incubator"))
    cohort = models.ForeignKey(Cohort, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="projects", verbose_name=_("cohort"))
    application = models.OneToOneField(Application, on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="project",
                                       verbose_name=_("application"))
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Organisation.Sector.choices)
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices,
                             default=Phase.PRE_CREATION)
    phase_since = models.DateField(_("in this phase since"))
    joined_on = models.DateField(_("joined the incubator on"))
    left_on = models.DateField(
        _("left the incubator on"), null=True, blank=True,
        help_text=_("Once coaching has ended (after extension, or dropped): the follow-ups "
                    "at 12 and 24 months count from this date."))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True,
        related_name="incubated_projects", verbose_name=_("organisation created"),
        help_text=_("The registry organisation the project became once legally created."))
    # Derived from the holders by services.project_refresh_targets; stored for the filters.
    targets_young = models.BooleanField(_("young people"), default=False, editable=False)
    targets_women = models.BooleanField(_("women"), default=False, editable=False)
    targets_disability = models.BooleanField(_("people with disabilities"), default=False,
                                             editable=False)
    jobs_women = models.PositiveSmallIntegerField(_("jobs created for women"), default=0)
    jobs_men = models.PositiveSmallIntegerField(_("jobs created for men"), default=0)
    revenue_band = models.CharField(_("revenue"), max_length=10, choices=RevenueBand.choices,
                                    blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [models.Index(fields=["incubator", "phase"]),
                   models.Index(fields=["joined_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(left_on__isnull=True)
                                   | Q(left_on__gte=models.F("joined_on")),
                                   name="project_left_after_joining"),
        ]

    def __str__(self) -> str:
        return self.local_title

    @property
    def local_title(self) -> str:
        return self.title_ar if _arabic() and self.title_ar else self.title

    @property
    def jobs_total(self) -> int:
        return self.jobs_women + self.jobs_men


class Holder(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="holders",
                                verbose_name=_("project"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="held_projects",
                               verbose_name=_("person"))
    lead = models.BooleanField(_("lead holder"), default=False)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["-lead", "pk"]
        verbose_name = _("project holder")
        verbose_name_plural = _("project holders")
        constraints = [models.UniqueConstraint(fields=["project", "person"],
                                               name="project_holder_once")]

    def __str__(self) -> str:
        return f"{self.person} — {self.project}"


class PhaseChange(CleanText, models.Model):
    """One step of a project's history: from one phase to another, on a date. The
    project's first row has an empty ``from_phase`` (it entered the incubator)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phase_changes",
                                verbose_name=_("project"))
    from_phase = models.CharField(_("from"), max_length=12, choices=Phase.choices, blank=True)
    to_phase = models.CharField(_("to"), max_length=12, choices=Phase.choices)
    date = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+", verbose_name=_("by"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["project", "date", "pk"]
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        indexes = [models.Index(fields=["to_phase", "date"])]

    def __str__(self) -> str:
        return f"{self.project}: {self.from_phase or '—'} → {self.to_phase} ({self.date})"


class Milestone(CleanText, models.Model):
    """A milestone of a phase's checklist (business plan, legal creation, first sale…).
    A project cannot move past the phase of a ``required`` milestone without it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    phase = models.CharField(_("phase"), max_length=12,
                             choices=[(p.value, p.label) for p in PHASE_ORDER])
    name_fr = models.CharField(_("name (French)"), max_length=150)
    name_ar = models.CharField(_("name (Arabic)"), max_length=150)
    required = models.BooleanField(
        _("required to leave the phase"), default=False,
        help_text=_("A project cannot enter the next phase before this milestone is reached."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ar if _arabic() else self.name_fr


class MilestoneReached(CleanText, models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones",
                                verbose_name=_("project"))
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="reached",
                                  verbose_name=_("milestone"))
    date = models.DateField(_("reached on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["project", "date", "pk"]
        verbose_name = _("milestone reached")
        verbose_name_plural = _("milestones reached")
        constraints = [models.UniqueConstraint(fields=["project", "milestone"],
                                               name="milestone_reached_once")]

    def __str__(self) -> str:
        return f"{self.project}: {self.milestone}"


class CoachingSession(CleanText, models.Model):
    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("on site")
        REMOTE = "remote", _("remote")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sessions",
                                verbose_name=_("project"))
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="coaching_sessions", verbose_name=_("coach"),
                              limit_choices_to={"role": "coach"})
    date = models.DateField(_("date"))
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=4, decimal_places=1, default=Decimal("1.5"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("12"))])
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices,
                            default=Mode.ON_SITE)
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    # Read by the coaches of the project's incubator only (incubation.read_notes).
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        indexes = [models.Index(fields=["coach", "date"])]

    def __str__(self) -> str:
        return f"{self.project} — {self.date}"


class NextStep(CleanText, models.Model):
    session = models.ForeignKey(CoachingSession, on_delete=models.CASCADE,
                                related_name="next_steps", verbose_name=_("session"))
    text = models.CharField(_("next step"), max_length=300)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        return self.text


class FollowUp(CleanText, models.Model):
    """What became of a project 12 or 24 months after it left the incubator."""

    class Months(models.IntegerChoices):
        TWELVE = 12, _("12 months")
        TWENTY_FOUR = 24, _("24 months")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="follow_ups",
                                verbose_name=_("project"))
    months = models.PositiveSmallIntegerField(_("after"), choices=Months.choices)
    date = models.DateField(_("date"))
    active = models.BooleanField(_("still active"))
    jobs_women = models.PositiveSmallIntegerField(_("jobs held by women"), null=True,
                                                  blank=True)
    jobs_men = models.PositiveSmallIntegerField(_("jobs held by men"), null=True, blank=True)
    revenue_band = models.CharField(_("revenue"), max_length=10,
                                    choices=Project.RevenueBand.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["project", "months"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [models.UniqueConstraint(fields=["project", "months"],
                                               name="follow_up_once")]

    def __str__(self) -> str:
        return f"{self.project}: {self.months}"
