"""Demo accounts, one per role, all with the same printed demo password."""

from essor.registry.models import Organisation
from essor.territory.models import Region

from .models import Role, User

PASSWORD = "essor-demo-2026"  # noqa: S105 - printed by `essor demo`, for demo databases only

PERSONAS = [
    # username, role, first name, last name, region codes
    ("admin", Role.NATIONAL_ADMIN, "Nadia", "Berrada", []),
    ("oriental", Role.REGIONAL_OFFICER, "Omar", "Zerouali", ["MA-02"]),
    ("casablanca", Role.REGIONAL_OFFICER, "Karima", "Lamrani", ["MA-06"]),
    ("formateur", Role.TRAINER, "Youssef", "Amrani", ["MA-02"]),
    ("coach", Role.COACH, "Salma", "Kettani", ["MA-06"]),
    ("analyste", Role.ANALYST, "Hicham", "Naciri", ["MA-02"]),
    ("partenaire", Role.PARTNER, "Rachid", "Filali", ["MA-02"]),
    ("cooperative", Role.ORGANISATION, "Hanane", "Ouchen", ["MA-09"]),
]


def load() -> list[User]:
    users = []
    for username, role, first, last, regions in PERSONAS:
        organisation = None
        if role == Role.PARTNER:
            organisation, _created = Organisation.objects.get_or_create(
                name="Conseil de la Région de l'Oriental", kind="regional_council",
                region=Region.objects.get(code="MA-02"),
                defaults={"name_ar": "مجلس جهة الشرق", "city": "Oujda"})
        elif role == Role.ORGANISATION:
            organisation = (Organisation.objects.filter(region__code="MA-09",
                                                        kind="cooperative").order_by("pk")
                            .first())
        user = User(username=username, role=role, first_name=first, last_name=last,
                    email=f"{username}@essor.invalid", organisation=organisation,
                    is_superuser=role == Role.NATIONAL_ADMIN,
                    is_staff=role == Role.NATIONAL_ADMIN)
        user.set_password(PASSWORD)
        user.save()
        user.regions.set(Region.objects.filter(code__in=regions))
        users.append(user)
    return users
