"""Holders: the target groups derived from them, kept in step when a holder's record
changes or two records of one person merge."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from essor.incubation import services
from essor.incubation.models import Holder, Project
from essor.registry import services as registry_services
from essor.registry.tests.factories import PersonFactory

from .factories import HolderFactory, IncubatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(coach):
    return ProjectFactory(incubator=IncubatorFactory(coaches=[coach]),
                          joined_on=datetime.date(2025, 3, 3))


def flags(project):
    project = Project.objects.get(pk=project.pk)
    return project.targets_women, project.targets_young, project.targets_disability


def test_targets_follow_the_holders(project, coach):
    man = PersonFactory(region=project.region, sex="M", birth_year=1970, disability=False)
    services.holder_add(project=project, person=man, by=coach)
    assert flags(project) == (False, False, False)
    young_woman = PersonFactory(region=project.region, sex="F", birth_year=1991)
    holder = services.holder_add(project=project, person=young_woman, by=coach)
    assert flags(project) == (True, True, False)  # 2025 − 1991 = 34: young
    services.holder_remove(holder=holder, by=coach)
    assert flags(project) == (False, False, False)


def test_a_corrected_record_refreshes_the_projects_it_holds(project, casablanca_officer):
    person = PersonFactory(region=project.region, sex="M", birth_year=1980)
    HolderFactory(project=project, person=person)
    services.project_refresh_targets(project)
    registry_services.person_update(person=person, by=casablanca_officer, birth_year=1995,
                                    disability=True)
    assert flags(project) == (False, True, True)


def test_a_merge_keeps_one_holder_and_the_lead(project, casablanca_officer):
    keep = PersonFactory(region=project.region, sex="F", birth_year=1960)
    drop = PersonFactory(region=project.region, sex="F", birth_year=1960, disability=True)
    HolderFactory(project=project, person=keep, lead=False)
    HolderFactory(project=project, person=drop, lead=True)
    other = ProjectFactory(incubator=project.incubator)
    HolderFactory(project=other, person=drop)
    registry_services.person_merge(keep=keep, drop=drop, by=casablanca_officer)
    rows = list(Holder.objects.filter(project=project))
    assert [(h.person_id, h.lead) for h in rows] == [(keep.pk, True)]
    assert Holder.objects.get(project=other).person_id == keep.pk
    assert flags(project)[2] is True  # the disability filled by the merge


def test_a_holder_twice_and_the_last_holder_are_refused(project, coach):
    person = PersonFactory(region=project.region)
    holder = services.holder_add(project=project, person=person, by=coach)
    with pytest.raises(ValidationError):
        services.holder_add(project=project, person=person, by=coach)
    with pytest.raises(ValidationError):
        services.holder_remove(holder=holder, by=coach)


def test_an_officer_adds_no_holder_of_another_region(project, casablanca_officer, oriental):
    stranger = PersonFactory(region=oriental)
    with pytest.raises(PermissionDenied):
        services.holder_add(project=project, person=stranger, by=casablanca_officer)
