from django.conf import settings
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
    # The language the user chose (profile page, or the menu's buttons once logged in),
    # applied at each login; blank: the browser's.
    language = models.CharField(_("language"), max_length=8, blank=True,
                                choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    # Shorthands for templates; the rules live in essor.accounts.permissions.
    def _can(self, name: str) -> bool:
        from essor.accounts.permissions import can

        return can(self, name)

    @property
    def is_national(self) -> bool:
        return self._can("core.national_scope")

    @property
    def sees_personal_data(self) -> bool:
        return self._can("registry.see_personal_data")

    @property
    def edits_registry(self) -> bool:
        return self._can("registry.edit_person")

    @property
    def reads_people(self) -> bool:
        return self._can("registry.read_people")
