from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("national admin")
    REGIONAL_OFFICER = "regional_officer", _("regional officer")
    TRAINER = "trainer", _("trainer")
    COACH = "coach", _("coach")
    ANALYST = "analyst", _("analyst")
    PARTNER = "partner", _("partner")
    ORGANISATION = "organisation", _("organisation account")


# Roles whose work needs national ID numbers and phones of the people they handle.
ROLES_SEEING_PERSONAL_DATA = {Role.NATIONAL_ADMIN, Role.REGIONAL_OFFICER}
# Roles that read and write the registry of their region(s).
ROLES_EDITING_REGISTRY = {Role.NATIONAL_ADMIN, Role.REGIONAL_OFFICER}
# Field roles that look up and add people of their region(s) (walk-ins, project holders).
ROLES_READING_PEOPLE = ROLES_EDITING_REGISTRY | {Role.TRAINER, Role.COACH}


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices,
                            default=Role.ORGANISATION)
    regions = models.ManyToManyField("territory.Region", blank=True, related_name="users",
                                     verbose_name=_("regions"))
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="accounts", verbose_name=_("organisation"),
        help_text=_("For organisation and partner accounts: the organisation they act for."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_national(self) -> bool:
        return self.role == Role.NATIONAL_ADMIN

    @property
    def sees_personal_data(self) -> bool:
        return self.role in ROLES_SEEING_PERSONAL_DATA

    @property
    def edits_registry(self) -> bool:
        return self.role in ROLES_EDITING_REGISTRY

    @property
    def reads_people(self) -> bool:
        return self.role in ROLES_READING_PEOPLE
