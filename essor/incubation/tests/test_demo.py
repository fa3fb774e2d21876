"""The demo's incubation: CIRA-ESS with a cohort a year since its opening and projects in
every phase, the university agreements' incubators, a history the services accept step by
step, coaching sessions and follow-ups, holders who also came to workshops and fairs, and
the demo coach's overdue next steps on her home.

The small demo (the registry the core demo tests use) is loaded once for the module, in a
transaction rolled back afterwards; the incubation part is the same size whatever the
registry."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from essor.accounts.models import User
from essor.incubation import demo, selectors_coaching, services
from essor.incubation.home import overdue_next_steps
from essor.incubation.models import (
    Application,
    Call,
    CoachingSession,
    Cohort,
    FollowUp,
    Holder,
    Incubator,
    Milestone,
    NextStep,
    Phase,
    Project,
)
from essor.promotion.models import Participation
from essor.registry.models import Membership
from essor.training.models import Enrolment

pytestmark = pytest.mark.django_db

SMALL = {"organisations": 120, "people": 900}


def run_demo():
    call_command("demo", stdout=StringIO(), **SMALL)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        run_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def cira(loaded):
    return Incubator.objects.select_related("host", "region").get(code="cira-ess")


def test_cira_ess_is_hosted_by_the_ain_chock_faculty_with_the_demo_coach(cira):
    assert "Ain Chock" in cira.host.name and cira.host.kind == "faculty"
    assert cira.region.code == "MA-06" and cira.opened_on.year == 2019
    coach = User.objects.get(username="coach")
    assert coach in cira.coaches.all()
    assert list(coach.incubators.values_list("code", flat=True)) == ["cira-ess"]
    assert all(c.role == "coach" for c in cira.coaches.all())


def test_cira_ess_has_one_cohort_a_year_since_its_opening_each_from_a_call(cira):
    cohorts = list(Cohort.objects.filter(incubator=cira).select_related("call")
                   .order_by("starts_on"))
    years = [c.starts_on.year for c in cohorts]
    assert years == list(range(cira.opened_on.year, demo.LAST_DAY.year + 1))
    for cohort in cohorts:
        call = cohort.call
        assert call.incubator_id == cira.pk and call.status == Call.Status.CLOSED
        assert cira.opened_on <= call.opens_on <= call.closes_on < cohort.starts_on
        statuses = Counter(call.applications.values_list("status", flat=True))
        assert statuses[Application.Status.SELECTED] == cohort.projects.count() == call.places
        assert statuses[Application.Status.REJECTED] > 0


def test_selection_is_by_score_with_a_reason_for_every_decision(loaded):
    for call in Call.objects.filter(status=Call.Status.CLOSED):
        applications = list(call.applications.all())
        selected = [a.score for a in applications if a.status == Application.Status.SELECTED]
        ranked_out = [a.score for a in applications
                      if a.status == Application.Status.REJECTED and a.score is not None]
        assert all(s is not None for s in selected)
        if ranked_out:  # the best eligible applications fill the places
            assert min(selected) >= max(ranked_out)
        assert all(a.decision_reason for a in applications)
        decided = [a for a in applications if a.status != Application.Status.WITHDRAWN]
        assert all(a.decided_by_id and a.decided_at and a.email_confirmed_at for a in decided)
        assert all(a.submitted_at.date() <= call.closes_on for a in applications)
    assert Application.objects.filter(status=Application.Status.REJECTED,
                                      score__isnull=True).exists()  # ineligible


def test_a_selected_application_became_its_project_with_the_same_holders(loaded):
    for project in Project.objects.select_related("application", "cohort"):
        application = project.application
        assert application.status == Application.Status.SELECTED
        assert application.call_id == project.cohort.call_id
        assert project.joined_on == project.cohort.starts_on
        assert (list(application.holders.values_list("person_id", "lead"))
                == list(project.holders.values_list("person_id", "lead")))


def test_projects_in_every_phase_at_cira_ess_and_fewer_in_the_agreements_incubators(cira):
    phases = Counter(cira.projects.values_list("phase", flat=True))
    assert set(phases) == set(Phase.values)
    assert all(count >= 2 for count in phases.values())
    left = cira.projects.filter(phase=Phase.EXTENSION, left_on__isnull=False)
    assert left.exists() and cira.projects.filter(phase=Phase.EXTENSION,
                                                 left_on__isnull=True).exists()
    others = Incubator.objects.exclude(pk=cira.pk).annotate(n=Count("projects"))
    assert {i.host.name for i in others} == {
        "Université Hassan II de Casablanca", "Université Hassan Ier de Settat",
        "Université Cadi Ayyad",
        "Faculté des Sciences Juridiques, Economiques et Sociales de Marrakech"}
    assert {i.region.code for i in others} == {"MA-06", "MA-07"}
    assert all(0 < i.n < cira.projects.count() / 3 for i in others)
    assert all(i.coaches.exists() for i in others)


def test_the_history_is_one_the_services_accept_step_by_step(loaded):
    """Each demo project's life replayed through the services (milestones, moves, leaving)
    ends where the demo's project is; a skip, a return, a drop and a resumption are
    among them, each with its reason."""
    admin = User.objects.get(username="admin")
    milestones = {m.pk: m for m in Milestone.objects.all()}
    kinds: Counter[str] = Counter()
    for original in Project.objects.prefetch_related("phase_changes", "milestones"):
        copy = services.project_create(
            by=admin, incubator=original.incubator, code=f"replay-{original.pk}",
            title=original.title, sector=original.sector, region=original.region,
            joined_on=original.joined_on)
        events = [(r.date, 0, "reach", r) for r in original.milestones.all()]
        events += [(c.date, 1, "move", c) for c in original.phase_changes.all()
                   if c.from_phase]
        for date, _order, what, row in sorted(events, key=lambda e: e[:2]):
            if what == "reach":
                services.milestone_reach(project=copy, milestone=milestones[row.milestone_id],
                                         by=admin, date=date)
            else:
                kinds[services.transition_kind(row.from_phase, row.to_phase) or ""] += 1
                if services.needs_reason(row.from_phase, row.to_phase):
                    assert row.reason
                copy = services.project_move(project=copy, phase=row.to_phase, by=admin,
                                             reason=row.reason, date=date)
        if original.left_on and original.phase == Phase.EXTENSION:
            copy = services.project_leave(project=copy, by=admin, date=original.left_on)
        assert (copy.phase, copy.phase_since, copy.left_on) == (
            original.phase, original.phase_since, original.left_on)
    assert {"forward", "skip", "back", "drop", "resume"} <= set(kinds)


def test_required_milestones_are_reached_before_the_phases_that_need_them(loaded):
    required = list(Milestone.objects.filter(required=True))
    assert {m.code for m in required} >= {"business_plan", "legal_creation"}
    past_creation = Project.objects.filter(Q(phase__in=[Phase.DEVELOPMENT, Phase.EXTENSION]))
    for project in past_creation.prefetch_related("milestones__milestone"):
        codes = {r.milestone.code for r in project.milestones.all()}
        assert {"business_plan", "legal_creation"} <= codes
        assert project.organisation_id is not None


def test_created_projects_became_registry_organisations_of_their_holders(loaded):
    created = Project.objects.filter(organisation__isnull=False).select_related(
        "organisation")
    assert created.count() > 20
    assert not created.filter(phase=Phase.PRE_CREATION).exists()
    for project in created:
        organisation = project.organisation
        assert organisation.region_id == project.region_id
        assert organisation.kind in ("cooperative", "association", "ess_enterprise")
        legal = project.milestones.get(milestone__code="legal_creation")
        assert organisation.founding_year == legal.date.year
        holders = set(project.holders.values_list("person_id", flat=True))
        assert holders <= set(Membership.objects.filter(organisation=organisation)
                              .values_list("person_id", flat=True))
    assert len({p.organisation_id for p in created}) == created.count()


def test_jobs_by_sex_and_revenue_bands_come_with_the_projects_that_went_far(loaded):
    going = Project.objects.filter(phase__in=[Phase.DEVELOPMENT, Phase.EXTENSION])
    women = sum(going.values_list("jobs_women", flat=True))
    men = sum(going.values_list("jobs_men", flat=True))
    assert women > men > 0
    assert len(set(going.values_list("revenue_band", flat=True))) >= 3
    assert not Project.objects.filter(phase=Phase.PRE_CREATION).exclude(
        jobs_women=0, jobs_men=0, revenue_band="").exists()


def test_holders_are_mostly_young_people_and_women_of_the_incubators_region(loaded):
    projects = Project.objects.count()
    assert Project.objects.filter(targets_women=True).count() > 0.6 * projects
    # most of them young, though a small registry runs out of young people to draw
    assert Project.objects.filter(targets_young=True).count() > 0.5 * projects
    assert not Holder.objects.exclude(person__region=F("project__region")).exists()
    assert not Project.objects.exclude(region=F("incubator__region")).exists()
    for project in Project.objects.order_by("pk")[:40]:  # the flags are the services'
        flags = (project.targets_young, project.targets_women, project.targets_disability)
        services.project_refresh_targets(project)
        assert flags == (project.targets_young, project.targets_women,
                         project.targets_disability)


def test_many_holders_also_attended_workshops_or_held_stands(loaded):
    holders = set(Holder.objects.values_list("person_id", flat=True))
    attended = set(Enrolment.objects.filter(attended=True).values_list("person_id", flat=True))
    exhibited = set(Participation.objects.filter(status=Participation.Status.ATTENDED)
                    .values_list("holder_id", flat=True))
    assert len(holders & attended) > 0.3 * len(holders)
    assert len(holders & exhibited) > 0.1 * len(holders)
    assert holders & attended & exhibited


def test_coaching_sessions_by_the_incubators_coaches_through_the_coached_periods(loaded):
    sessions = CoachingSession.objects.filter(date__lte=demo.LAST_DAY)
    assert sessions.count() > 10 * Project.objects.count()
    for incubator in Incubator.objects.all():
        assert not sessions.filter(project__incubator=incubator).exclude(
            coach__in=incubator.coaches.all()).exists()
    assert not sessions.filter(date__lt=F("project__joined_on")).exists()
    assert not sessions.filter(date__gt=F("project__left_on")).exists()
    assert set(sessions.values_list("mode", flat=True)) == set(CoachingSession.Mode.values)
    assert len(set(sessions.values_list("duration_hours", flat=True))) >= 3
    assert sessions.exclude(notes="").count() > sessions.count() / 2
    assert not sessions.filter(topics="").exists()
    steps = NextStep.objects.filter(session__date__lte=demo.LAST_DAY)
    assert steps.exists() and not steps.filter(due_on__lt=F("session__date")).exists()
    assert not steps.filter(done_on__isnull=True).exists()  # the past's steps were done


def test_follow_ups_at_12_and_24_months_after_leaving_active_or_not(loaded):
    follow_ups = FollowUp.objects.select_related("project")
    assert {(f.months, f.active) for f in follow_ups} >= {(12, True), (12, False),
                                                            (24, True)}
    for follow_up in follow_ups:
        left = follow_up.project.left_on
        assert left is not None
        assert follow_up.date >= left + datetime.timedelta(days=follow_up.months * 30)
        assert follow_up.date <= demo.LAST_DAY
        assert (follow_up.jobs_women is not None) == follow_up.active
    twelve = {f.project_id for f in follow_ups if f.months == 12}
    assert {f.project_id for f in follow_ups if f.months == 24} <= twelve


def test_the_demo_coach_has_overdue_next_steps_on_her_home_and_a_busy_agenda(loaded, client):
    coach = User.objects.get(username="coach")
    today = timezone.localdate()
    card = overdue_next_steps(coach, today)
    assert card["count"] >= 3
    client.force_login(coach)
    page = client.get(reverse("core:home")).content.decode()
    assert 'id="home-overdue-steps"' in page and card["steps"][0].text in page
    weeks = selectors_coaching.agenda(coach, coach, today)
    assert sum(len(w.sessions) for w in weeks if w.past or w.current) >= 5
    assert sum(len(w.sessions) for w in weeks if not w.past and not w.current) >= 1


def test_a_call_is_open_today_with_applications_waiting_for_a_decision(loaded, client):
    today = timezone.localdate()
    call = Call.objects.get(status=Call.Status.PUBLISHED, opens_on__lte=today,
                            closes_on__gte=today)
    assert call.incubator.code == "cira-ess" and not hasattr(call, "cohort")  # undecided
    waiting = call.applications.filter(status=Application.Status.SUBMITTED)
    assert waiting.filter(email_confirmed_at__isnull=False).count() >= 5
    assert waiting.filter(email_confirmed_at__isnull=True).exists()


def test_codes_leave_room_for_the_copies_of_demo_scale(loaded):
    """``essor demo --scale`` adds ``-c001`` to every code: it must still fit its column
    (PostgreSQL refuses what SQLite would keep)."""
    for model in (Incubator, Call, Cohort, Project):
        room = model._meta.get_field("code").max_length - len("-c001")
        longest = max(len(code) for code in model.objects.values_list("code", flat=True))
        assert longest <= room, (model.__name__, longest, room)
