"""The phases' state machine: every allowed and refused transition, the checklist, the
dated history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from essor.audit.models import AuditEntry
from essor.incubation import services
from essor.incubation.models import Milestone, PhaseChange, Project

from .factories import HolderFactory, IncubatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 2)
PHASES = ["pre_creation", "creation", "development", "extension"]


@pytest.fixture
def project(coach):
    incubator = IncubatorFactory(coaches=[coach])
    project = ProjectFactory(incubator=incubator)
    HolderFactory(project=project)
    return project


def reach_required(project, up_to):
    for milestone in Milestone.objects.filter(required=True,
                                              phase__in=PHASES[:PHASES.index(up_to)]):
        services.milestone_reach(project=project, milestone=milestone, by=None,
                                 date=project.joined_on)


def at(project, phase, date=datetime.date(2025, 4, 1)):
    Project.objects.filter(pk=project.pk).update(phase=phase, phase_since=date)
    project.refresh_from_db()
    return project


@pytest.mark.parametrize("current,target,kind", [
    (a, b, ("forward" if PHASES.index(b) - PHASES.index(a) == 1
            else "skip" if PHASES.index(b) > PHASES.index(a) else "back"))
    for a in PHASES for b in PHASES if a != b
] + [(a, "dropped", "drop") for a in PHASES] + [("dropped", b, "resume") for b in PHASES])
def test_every_transition_is_named_and_only_forward_goes_without_a_reason(
        project, coach, current, target, kind):
    reach_required(project, "extension")
    at(project, current)
    assert services.transition_kind(current, target) == kind
    if kind != "forward":
        with pytest.raises(ValidationError) as refused:
            services.project_move(project=project, phase=target, by=coach, date=DAY)
        assert "reason" in refused.value.message_dict
        assert Project.objects.get(pk=project.pk).phase == current
    moved = services.project_move(project=project, phase=target, by=coach, date=DAY,
                                  reason="" if kind == "forward" else "Décision du comité")
    assert moved.phase == target and moved.phase_since == DAY
    change = PhaseChange.objects.filter(project=project).last()
    assert (change.from_phase, change.to_phase, change.date) == (current, target, DAY)
    entry = AuditEntry.objects.get(action="incubation.project.phase")
    assert entry.changes["phase"] == [current, target] and entry.changes["kind"] == kind
    assert (moved.left_on == DAY) == (kind == "drop")


def test_the_same_phase_and_an_unknown_phase_are_refused(project, coach):
    for target in ("pre_creation", "launched"):
        with pytest.raises(ValidationError):
            services.project_move(project=project, phase=target, by=coach, reason="x")


def test_creation_waits_for_the_required_milestones(project, coach):
    with pytest.raises(ValidationError) as refused:
        services.project_move(project=project, phase="creation", by=coach, date=DAY)
    assert "Plan d'affaires validé" in str(refused.value)
    reach_required(project, "creation")
    assert services.project_move(project=project, phase="creation", by=coach,
                                 date=DAY).phase == "creation"


def test_skipping_needs_the_milestones_of_every_phase_skipped(project, coach):
    reach_required(project, "creation")  # the business plan, not the legal creation
    with pytest.raises(ValidationError) as refused:
        services.project_move(project=project, phase="development", by=coach, date=DAY,
                              reason="Déjà créée")
    assert "Création légale" in str(refused.value)


def test_a_milestone_the_admin_no_longer_requires_does_not_block(project, coach,
                                                                  national_admin):
    plan = Milestone.objects.get(code="business_plan")
    services.milestone_set_required(milestone=plan, required=False, by=national_admin)
    assert services.project_move(project=project, phase="creation", by=coach,
                                 date=DAY).phase == "creation"
    with pytest.raises(PermissionDenied):
        services.milestone_set_required(milestone=plan, required=True, by=coach)


def test_going_back_does_not_check_milestones(project, coach):
    at(project, "development")
    moved = services.project_move(project=project, phase="pre_creation", by=coach, date=DAY,
                                  reason="Le modèle économique est à revoir")
    assert moved.phase == "pre_creation"


def test_dates_are_refused_in_the_future_and_before_the_current_phase(project, coach):
    reach_required(project, "creation")
    for date in (timezone.localdate() + datetime.timedelta(days=1),
                 project.phase_since - datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            services.project_move(project=project, phase="creation", by=coach, date=date)
        assert date.isoformat() in str(refused.value)


def test_who_may_move_a_project(project, coach, casablanca_officer, oriental_officer,
                                analyst, partner):
    reach_required(project, "creation")
    other = IncubatorFactory()
    other_coach = type(coach).objects.create_user("karim_coach", role="coach")
    other.coaches.add(other_coach)
    for refused in (oriental_officer, analyst, partner, other_coach):
        with pytest.raises(PermissionDenied):
            services.project_move(project=project, phase="creation", by=refused, date=DAY)
    assert services.project_move(project=project, phase="creation", by=casablanca_officer,
                                 date=DAY).phase == "creation"


def test_a_project_in_extension_leaves_and_a_dropped_one_comes_back(project, coach):
    reach_required(project, "creation")
    with pytest.raises(ValidationError):
        services.project_leave(project=project, by=coach, date=DAY)
    at(project, "extension")
    left = services.project_leave(project=project, by=coach, date=DAY)
    assert left.left_on == DAY
    with pytest.raises(ValidationError):
        services.project_leave(project=project, by=coach, date=DAY)
    dropped = services.project_move(project=at(project, "creation"), phase="dropped",
                                    by=coach, date=DAY, reason="Abandon du porteur")
    resumed = services.project_move(project=dropped, phase="creation", by=coach, date=DAY,
                                    reason="Reprise avec une nouvelle associée")
    assert resumed.left_on is None
