import factory

from essor.core import normalise
from essor.registry.models import Organisation, Person
from essor.territory.models import Region


def _region(code):
    return factory.LazyFunction(lambda: Region.objects.get(code=code))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Coopérative Al Baraka {n}")
    kind = "cooperative"
    region = _region("MA-06")
    sector = "crafts"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Iterator(["Fatima", "Khadija", "Aicha", "Naima", "Zineb"])
    last_name = factory.Sequence(lambda n: f"Benali{n}")
    sex = "F"
    birth_year = 1990
    region = _region("MA-06")
    # Stored as the registry's models store every phone.
    phone = factory.Sequence(lambda n: normalise.phone_canonical(f"06{n:08d}"))
