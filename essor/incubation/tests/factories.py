import datetime

import factory

from essor.incubation.models import (
    Call,
    CoachingSession,
    Cohort,
    Holder,
    Incubator,
    Milestone,
    PhaseChange,
    Project,
)
from essor.registry.models import Organisation
from essor.registry.tests.factories import OrganisationFactory, PersonFactory
from essor.territory.models import Region


def _casablanca():
    return Region.objects.get(code="MA-06")


class IncubatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incubator
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"incubateur-{n}")
    name = factory.Sequence(lambda n: f"Incubateur de la faculté {n}")
    name_ar = factory.Sequence(lambda n: f"حاضنة الكلية {n}")
    host = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.FACULTY,
                              region=factory.SelfAttribute("..region"))
    region = factory.LazyFunction(_casablanca)
    capacity = 20
    opened_on = datetime.date(2022, 10, 3)

    @factory.post_generation
    def coaches(self, create, extracted, **kwargs):
        if create and extracted:
            self.coaches.set(extracted)


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    incubator = factory.SubFactory(IncubatorFactory)
    code = factory.Sequence(lambda n: f"appel-{n}")
    title = factory.Sequence(lambda n: f"Appel à projets {n}")
    criteria = "Projets portés par des jeunes et des femmes."
    opens_on = datetime.date(2025, 1, 6)
    closes_on = datetime.date(2025, 2, 28)
    places = 10
    status = Call.Status.PUBLISHED


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    incubator = factory.SubFactory(IncubatorFactory)
    code = factory.Sequence(lambda n: f"cohorte-{n}")
    name = factory.Sequence(lambda n: f"Cohorte {n}")
    starts_on = datetime.date(2025, 3, 3)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project in pre-creation with its entry in the history (and no holder: add them
    with HolderFactory, then services.project_refresh_targets)."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    incubator = factory.SubFactory(IncubatorFactory)
    code = factory.Sequence(lambda n: f"projet-{n}")
    title = factory.Sequence(lambda n: f"Projet coopératif {n}")
    sector = Organisation.Sector.CRAFTS
    region = factory.SelfAttribute("incubator.region")
    joined_on = datetime.date(2025, 3, 3)
    phase_since = factory.SelfAttribute("joined_on")

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            PhaseChange.objects.create(project=self, from_phase="", to_phase=self.phase,
                                       date=self.phase_since)


class HolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holder

    project = factory.SubFactory(ProjectFactory)
    person = factory.SubFactory(PersonFactory, region=factory.SelfAttribute("..project.region"))
    lead = True


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"jalon-{n}")
    phase = "pre_creation"
    name_fr = factory.Sequence(lambda n: f"Jalon {n}")
    name_ar = factory.Sequence(lambda n: f"مرحلة {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingSession

    project = factory.SubFactory(ProjectFactory)
    coach = None
    date = datetime.date(2025, 4, 10)
    duration_hours = 2
    topics = "Plan d'affaires"
    notes = "Notes confidentielles du coach"
