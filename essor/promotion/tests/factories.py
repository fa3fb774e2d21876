import datetime

import factory

from essor.promotion.models import Application, Event, Participation, Stand
from essor.registry.tests.factories import OrganisationFactory, PersonFactory
from essor.territory.models import Region


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    code = factory.Sequence(lambda n: f"MI-2025-{n:03d}")
    kind = Event.Kind.ITINERANT_MARKET
    title = factory.Sequence(lambda n: f"Marché itinérant de l'ESS {n}")
    title_ar = factory.Sequence(lambda n: f"السوق المتجول للاقتصاد الاجتماعي والتضامني {n}")
    start_date = datetime.date(2025, 5, 10)
    end_date = datetime.date(2025, 5, 14)
    region = factory.LazyFunction(lambda: Region.objects.get(code="MA-06"))
    city = "Settat"
    stands = 20
    status = Event.Status.PLANNED


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory,
                                      region=factory.SelfAttribute("..event.region"))
    holder = factory.SubFactory(PersonFactory, region=factory.SelfAttribute("..event.region"))
    products = "Huile d'argan, amlou"


class StandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stand

    event = factory.SubFactory(EventFactory)
    number = factory.Sequence(lambda n: n + 1)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory,
                                      region=factory.SelfAttribute("..event.region"))
    holder = factory.SubFactory(PersonFactory, region=factory.SelfAttribute("..event.region"))
    status = Participation.Status.REGISTERED
