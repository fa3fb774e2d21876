import datetime

import factory

from essor.registry.tests.factories import PersonFactory
from essor.territory.models import Region
from essor.training.models import Enrolment, Theme, Workshop


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    code = factory.Sequence(lambda n: f"AT-MA06-2025-{n:03d}")
    title = factory.Sequence(lambda n: f"Atelier de gestion coopérative {n}")
    title_ar = factory.Sequence(lambda n: f"ورشة التدبير التعاوني {n}")
    theme = factory.LazyFunction(lambda: Theme.objects.get(code="governance"))
    date = datetime.date(2025, 5, 11)
    region = factory.LazyFunction(lambda: Region.objects.get(code="MA-06"))
    city = "Settat"
    capacity = 25
    status = Workshop.Status.PLANNED


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    workshop = factory.SubFactory(WorkshopFactory)
    person = factory.SubFactory(PersonFactory, region=factory.SelfAttribute("..workshop.region"))
    status = Enrolment.Status.ENROLLED
