"""The pipeline board, the incubators' pages and a project's page: moves with and without
a reason, refusals that name the value and keep what was typed, the milestones'
checklist, the organisation created, the outcomes, leaving and the follow-ups, the
holders (masked phones for who should not read them), and the pages' query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from essor.accounts.models import User
from essor.audit.models import AuditEntry
from essor.core import normalise
from essor.incubation import services
from essor.incubation.models import Milestone, MilestoneReached, PhaseChange, Project
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

from .factories import (
    CohortFactory,
    HolderFactory,
    IncubatorFactory,
    ProjectFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
JOINED = datetime.date(2025, 3, 3)
PHONE = normalise.phone_canonical("0661234567")


@pytest.fixture
def cira(coach, casablanca_settat):
    return IncubatorFactory(region=casablanca_settat, name="CIRA-ESS", code="cira-ess",
                            coaches=[coach], capacity=2)


@pytest.fixture
def project(cira):
    project = ProjectFactory(incubator=cira, title="Coopérative Safran Tadla", joined_on=JOINED)
    HolderFactory(project=project, person__first_name="Khadija", person__last_name="Alaoui",
                  person__phone=PHONE, person__birth_year=1999)
    services.project_refresh_targets(project)
    return project


def reach(project, *codes):
    for code in codes:
        MilestoneReached.objects.create(project=project, milestone=Milestone.objects.get(
            code=code), date=JOINED)


def move_url(project):
    return reverse("incubation:project_move", kwargs={"pk": project.pk})


def detail_url(project):
    return reverse("incubation:project_detail", kwargs={"pk": project.pk})


# -- the board --------------------------------------------------------------------------------

def test_the_board_shows_each_project_in_its_phase_with_its_card(client_as, coach, project,
                                                                 cira):
    ProjectFactory(incubator=cira, title="Association Ajial Berrechid", phase="creation")
    ProjectFactory(incubator=cira, title="Coopérative abandonnée", phase="dropped",
                   left_on=JOINED)
    response = client_as(coach).get(reverse("incubation:pipeline"), **EN)
    board = response.context["board"]
    columns = {c.phase: [p.title for p in c.cards] for c in board.columns}
    assert columns == {"pre_creation": ["Coopérative Safran Tadla"],
                       "creation": ["Association Ajial Berrechid"], "development": [],
                       "extension": []}
    assert (board.dropped, board.left) == (1, 0)
    text = response.content.decode()
    assert "1 holder" in text and "young people" in text and "women" in text
    assert "Missing before the next phase:" in text and "Plan d&#x27;affaires validé" in text
    assert "Coopérative abandonnée" not in text and "1 project dropped" in text


def test_the_board_filters_by_incubator_and_cohort(client_as, national_admin, project, cira):
    cohort = CohortFactory(incubator=cira, name="Promotion 2025")
    ProjectFactory(incubator=cira, cohort=cohort, title="Coopérative Argan Chaouia")
    other = ProjectFactory(title="Projet de Marrakech")
    client = client_as(national_admin)
    by_incubator = client.get(reverse("incubation:pipeline"), {"incubator": cira.pk})
    titles = {p.title for c in by_incubator.context["board"].columns for p in c.cards}
    assert titles == {"Coopérative Safran Tadla", "Coopérative Argan Chaouia"}
    by_cohort = client.get(reverse("incubation:pipeline"), {"cohort": cohort.pk})
    assert {p.title for c in by_cohort.context["board"].columns
            for p in c.cards} == {"Coopérative Argan Chaouia"}
    mismatched = client.get(reverse("incubation:pipeline"),
                            {"incubator": other.incubator_id, "cohort": cohort.pk}, **EN)
    assert "is not one of" in mismatched.content.decode()


def test_the_board_s_queries_do_not_grow_with_its_projects(client_as, coach, cira,
                                                           django_assert_max_num_queries):
    for n in range(12):
        p = ProjectFactory(incubator=cira, phase=["pre_creation", "creation"][n % 2])
        HolderFactory(project=p)
    client = client_as(coach)
    client.get(reverse("incubation:pipeline"))
    # session, user, the coach's incubators, the gone projects' counts, the cards, the
    # required milestones and those reached, the new project button, the filters' lists
    with django_assert_max_num_queries(10):
        response = client.get(reverse("incubation:pipeline"))
    assert response.context["board"].total == 12


def test_a_card_s_button_moves_the_project_to_the_next_phase(client_as, coach, project):
    reach(project, "business_plan")
    board = reverse("incubation:pipeline") + f"?incubator={project.incubator_id}"
    response = client_as(coach).post(move_url(project), {"phase": "creation", "next": board})
    assert response.status_code == 302 and response["Location"] == board
    project.refresh_from_db()
    assert (project.phase, project.phase_since) == ("creation", timezone.localdate())
    change = PhaseChange.objects.filter(project=project).last()
    assert (change.from_phase, change.to_phase, change.by) == ("pre_creation", "creation",
                                                               coach)


def test_a_move_refused_for_missing_milestones_names_them_and_keeps_the_reason(
        client_as, coach, project):
    response = client_as(coach).post(move_url(project), {
        "phase": "development", "reason": "Création légale rapide, plan déjà validé"}, **EN)
    assert response.status_code == 200
    text = response.content.decode()
    assert "cannot enter development before these milestones" in text
    assert "Plan d&#x27;affaires validé" in text
    assert "Création légale rapide, plan déjà validé" in text  # nothing typed is lost
    project.refresh_from_db()
    assert project.phase == "pre_creation"


def test_a_skip_without_a_reason_is_refused_and_with_one_is_recorded(client_as, coach,
                                                                     project):
    reach(project, "business_plan", "legal_creation")
    client = client_as(coach)
    refused = client.post(move_url(project), {"phase": "development", "reason": " "}, **EN)
    assert "Moving from pre-creation to development needs a reason." in (
        refused.content.decode())
    project.refresh_from_db()
    assert project.phase == "pre_creation"
    client.post(move_url(project), {"phase": "development",
                                    "reason": "Coopérative déjà immatriculée à l'entrée"})
    project.refresh_from_db()
    assert project.phase == "development"
    change = PhaseChange.objects.filter(project=project).last()
    assert change.reason == "Coopérative déjà immatriculée à l'entrée"
    entry = AuditEntry.objects.get(action="incubation.project.phase")
    assert entry.changes["kind"] == "skip"


def test_dropping_from_the_board_needs_a_reason_and_leaves_the_board(client_as, coach,
                                                                     project):
    client = client_as(coach)
    client.post(move_url(project), {"phase": "dropped", "reason": "Porteuse partie à Agadir"})
    project.refresh_from_db()
    assert project.phase == "dropped" and project.left_on == timezone.localdate()
    board = client.get(reverse("incubation:pipeline")).context["board"]
    assert board.total == 0 and board.dropped == 1


def test_a_move_to_an_unknown_phase_names_it(client_as, coach, project):
    response = client_as(coach).post(move_url(project), {"phase": "graduated"}, **EN)
    assert "graduated is not one of the available choices" in response.content.decode()


def test_a_move_in_the_future_is_refused_with_its_date(client_as, coach, project):
    reach(project, "business_plan")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_as(coach).post(move_url(project), {"phase": "creation",
                                                         "date": tomorrow.isoformat()}, **EN)
    assert f"The date {tomorrow.isoformat()} is in the future." in response.content.decode()


def test_the_card_offers_the_next_phase_and_the_reason_for_the_others(client_as, coach,
                                                                      project):
    text = client_as(coach).get(reverse("incubation:pipeline"), **EN).content.decode()
    assert "Move to creation" in text
    assert 'value="development" data-needs-reason="1"' in text
    assert 'value="creation" data-needs-reason="0"' in text
    assert 'name="reason"' in text


# -- the project's page -----------------------------------------------------------------------

def test_the_project_page_shows_its_history_milestones_and_sessions(client_as, coach,
                                                                    project):
    reach(project, "business_plan")
    services.project_move(project=project, phase="creation", by=coach)
    SessionFactory(project=project, coach=coach, topics="Statuts de la coopérative")
    text = client_as(coach).get(detail_url(project), **EN).content.decode()
    assert "Coopérative Safran Tadla" in text
    assert "Joined in pre-creation" in text and "Pre-creation → creation" in text
    assert "Statuts de la coopérative" in text
    assert "reached on" in text and "required" in text
    assert "Khadija" in text


def test_the_project_page_s_queries_are_bounded(client_as, coach, project,
                                                django_assert_max_num_queries):
    for _n in range(5):
        HolderFactory(project=project, lead=False)
        SessionFactory(project=project, coach=coach)
    reach(project, "business_plan", "market_study")
    client = client_as(coach)
    client.get(detail_url(project))
    # session, user, the coach's incubators, the project with its holders, history and
    # follow-ups, the checklist, the sessions with their next steps, the missing milestones
    with django_assert_max_num_queries(13):
        client.get(detail_url(project))


def test_a_coach_sees_the_holders_phones_masked_an_officer_in_full(client_as, coach,
                                                                    casablanca_officer,
                                                                    project):
    coach_page = client_as(coach).get(detail_url(project)).content.decode()
    officer_page = client_as(casablanca_officer).get(detail_url(project)).content.decode()
    shown = normalise.phone_display(PHONE)
    assert shown not in coach_page and normalise.mask(PHONE) in coach_page
    assert shown in officer_page
    assert "Disability" not in client_as(coach).get(detail_url(project), **EN).content.decode()


def test_a_holder_is_found_in_the_registry_added_and_removed(client_as, coach, project,
                                                             casablanca_settat):
    person = PersonFactory(first_name="Youssef", last_name="Tazi", sex="M",
                           region=casablanca_settat)
    client = client_as(coach)
    found = client.get(detail_url(project), {"q": "Tazi"}).context["found"]
    assert [p.pk for p in found] == [person.pk]
    client.post(reverse("incubation:holder_add", kwargs={"pk": project.pk}),
                {"person": person.pk})
    assert set(project.holders.values_list("person__last_name", flat=True)) == {"Alaoui",
                                                                                 "Tazi"}
    holder = project.holders.get(person=person)
    client.post(reverse("incubation:holder_remove", kwargs={"pk": holder.pk}))
    assert list(project.holders.values_list("person__last_name", flat=True)) == ["Alaoui"]


def test_the_last_holder_stays_with_a_message(client_as, coach, project):
    holder = project.holders.get()
    response = client_as(coach).post(reverse("incubation:holder_remove",
                                             kwargs={"pk": holder.pk}), follow=True, **EN)
    assert "A project keeps at least one holder." in response.content.decode()
    assert project.holders.count() == 1


def test_a_milestone_is_ticked_with_its_date_and_unticked(client_as, coach, project):
    milestone = Milestone.objects.get(code="business_plan")
    url = reverse("incubation:milestone_reach", kwargs={"pk": project.pk,
                                                        "milestone": milestone.pk})
    client = client_as(coach)
    client.post(url, {"date": "2025-04-02"})
    assert MilestoneReached.objects.get(project=project).date == datetime.date(2025, 4, 2)
    client.post(url, {"undo": "1"})
    assert not MilestoneReached.objects.filter(project=project).exists()


def test_a_milestone_before_the_project_joined_is_refused_with_the_date(client_as, coach,
                                                                        project):
    milestone = Milestone.objects.get(code="business_plan")
    response = client_as(coach).post(reverse("incubation:milestone_reach", kwargs={
        "pk": project.pk, "milestone": milestone.pk}), {"date": "2024-01-05"},
        follow=True, **EN)
    assert "The date 2024-01-05 is before the project joined" in response.content.decode()
    assert not MilestoneReached.objects.filter(project=project).exists()


def test_the_national_admin_marks_a_milestone_required(client_as, national_admin,
                                                       casablanca_officer, project):
    milestone = Milestone.objects.get(code="market_study")
    url = reverse("incubation:milestone_required", kwargs={"pk": milestone.pk})
    assert client_as(casablanca_officer).post(url, {"required": "1"}).status_code == 403
    response = client_as(national_admin).post(url, {"required": "1", "project": project.pk})
    assert response["Location"].startswith(detail_url(project))
    milestone.refresh_from_db()
    assert milestone.required is True
    assert "Make optional" in client_as(national_admin).get(detail_url(project),
                                                            **EN).content.decode()


def test_the_organisation_is_linked_once_the_project_reached_creation(client_as, coach,
                                                                      project,
                                                                      casablanca_settat):
    cooperative = OrganisationFactory(name="Coopérative Safran Tadla", kind="cooperative",
                                      region=casablanca_settat)
    url = reverse("incubation:project_organisation", kwargs={"pk": project.pk})
    client = client_as(coach)
    refused = client.post(url, {"organisation": cooperative.pk}, follow=True, **EN)
    assert "A project in pre-creation has no organisation yet" in refused.content.decode()
    reach(project, "business_plan")
    services.project_move(project=project, phase="creation", by=coach)
    found = client.get(detail_url(project), {"org_q": "Safran"}).context["found_organisations"]
    assert found == [cooperative]
    client.post(url, {"organisation": cooperative.pk})
    project.refresh_from_db()
    assert project.organisation == cooperative


def test_a_host_institution_is_not_an_organisation_created(client_as, coach, project, cira):
    reach(project, "business_plan")
    services.project_move(project=project, phase="creation", by=coach)
    foundation = OrganisationFactory(name="Fondation Zakoura", kind="foundation",
                                     region=cira.region)
    response = client_as(coach).post(reverse("incubation:project_organisation",
                                             kwargs={"pk": project.pk}),
                                     {"organisation": foundation.pk}, follow=True, **EN)
    assert "not a foundation" in response.content.decode()
    project.refresh_from_db()
    assert project.organisation is None


def test_the_outcomes_are_saved_and_a_bad_value_keeps_the_form(client_as, coach, project):
    url = reverse("incubation:project_outcomes", kwargs={"pk": project.pk})
    client = client_as(coach)
    bad = client.post(url, {"jobs_women": "3", "jobs_men": "-1", "revenue_band": "under_50k"},
                      **EN)
    assert bad.status_code == 200 and 'value="3"' in bad.content.decode()
    client.post(url, {"jobs_women": "3", "jobs_men": "1", "revenue_band": "under_50k"})
    project.refresh_from_db()
    assert (project.jobs_women, project.jobs_men, project.revenue_band) == (3, 1, "under_50k")


def test_a_project_leaves_after_its_extension_and_gets_its_follow_ups(client_as, coach,
                                                                      project):
    client = client_as(coach)
    leave = reverse("incubation:project_leave", kwargs={"pk": project.pk})
    refused = client.post(leave, {}, follow=True, **EN)
    assert "Only a project in extension leaves the incubator" in refused.content.decode()
    Project.objects.filter(pk=project.pk).update(phase="extension",
                                                 phase_since=datetime.date(2025, 6, 1))
    follow_up = reverse("incubation:follow_up", kwargs={"pk": project.pk})
    early = client.post(follow_up, {"months": "12", "date": "2025-06-02", "active": "yes"},
                        **EN)
    assert "once the project has left the incubator" in early.content.decode()
    client.post(leave, {"date": "2025-06-30"})
    project.refresh_from_db()
    assert project.left_on == datetime.date(2025, 6, 30)
    client.post(follow_up, {"months": "12", "date": "2026-07-01", "active": "yes",
                            "jobs_women": "4", "jobs_men": "2", "revenue_band": "50k_200k"})
    record = project.follow_ups.get()
    assert (record.months, record.active, record.jobs_women) == (12, True, 4)
    text = client.get(detail_url(project), **EN).content.decode()
    assert "still active" in text and "due on" in text  # the 24-month one is still due


def test_a_follow_up_before_leaving_date_names_the_date(client_as, coach, project):
    Project.objects.filter(pk=project.pk).update(phase="extension", left_on=JOINED)
    response = client_as(coach).post(reverse("incubation:follow_up", kwargs={
        "pk": project.pk}), {"months": "24", "date": "2025-01-01", "active": "no"}, **EN)
    assert "The date 2025-01-01 is before the project left the incubator" in (
        response.content.decode())


# -- a project's form -------------------------------------------------------------------------

def test_a_coach_adds_a_project_numbered_automatically(client_as, coach, cira,
                                                       casablanca_settat):
    response = client_as(coach).post(reverse("incubation:project_create"), {
        "incubator": cira.pk, "title": "Coopérative Couscous Beldi", "sector": "crafts",
        "region": casablanca_settat.pk, "joined_on": "2025-09-15"})
    project = Project.objects.get(title="Coopérative Couscous Beldi")
    assert response["Location"] == detail_url(project)
    assert project.code == "cira-ess-2025-001" and project.phase == "pre_creation"
    assert project.phase_changes.count() == 1


def test_a_project_s_cohort_of_another_incubator_is_refused(client_as, national_admin, cira,
                                                            casablanca_settat):
    cohort = CohortFactory(name="Cohorte Settat 2025")
    response = client_as(national_admin).post(reverse("incubation:project_create"), {
        "incubator": cira.pk, "cohort": cohort.pk, "title": "Projet Tissage",
        "sector": "textile", "region": casablanca_settat.pk}, **EN)
    assert response.status_code == 200
    text = response.content.decode()
    assert f"The cohort {cohort.code} is not one of this incubator" in text
    assert 'value="Projet Tissage"' in text


def test_a_project_is_edited(client_as, coach, project):
    client_as(coach).post(reverse("incubation:project_edit", kwargs={"pk": project.pk}), {
        "code": project.code, "title": "Coopérative Safran Taliouine", "sector": "argan",
        "region": project.region_id, "joined_on": "2025-03-03"})
    project.refresh_from_db()
    assert (project.title, project.sector) == ("Coopérative Safran Taliouine", "argan")


# -- incubators -------------------------------------------------------------------------------

def test_the_incubator_page_shows_capacity_occupancy_cohorts_and_phases(client_as, coach,
                                                                        project, cira):
    CohortFactory(incubator=cira, name="Promotion 2025")
    ProjectFactory(incubator=cira, phase="creation")
    ProjectFactory(incubator=cira, phase="development")
    response = client_as(coach).get(reverse("incubation:incubator_detail",
                                            kwargs={"pk": cira.pk}), **EN)
    text = response.content.decode()
    assert response.context["incubator"].occupancy == 3
    assert "over capacity" in text and "Promotion 2025" in text and "Salma" in text
    phases = {row.phase: row.count for row in response.context["phases"]}
    assert phases == {"pre_creation": 1, "creation": 1, "development": 1, "extension": 0,
                      "dropped": 0, "left": 0}


def test_the_national_admin_creates_an_incubator_with_its_coaches(client_as, national_admin,
                                                                  coach, casablanca_settat,
                                                                  casablanca_officer):
    faculty = OrganisationFactory(name="FSJES Ain Chock", kind="faculty",
                                  region=casablanca_settat)
    form = client_as(national_admin).get(reverse("incubation:incubator_create")).context["form"]
    offered = list(form.fields["coaches"].queryset)
    assert coach in offered and casablanca_officer not in offered
    response = client_as(national_admin).post(reverse("incubation:incubator_create"), {
        "code": "fsjes-ain-chock", "name": "Incubateur FSJES Ain Chock", "host": faculty.pk,
        "region": casablanca_settat.pk, "capacity": "15", "coaches": [coach.pk]})
    incubator = coach.incubators.get(code="fsjes-ain-chock")
    assert response["Location"] == reverse("incubation:incubator_detail",
                                           kwargs={"pk": incubator.pk})
    assert AuditEntry.objects.filter(action="incubation.incubator.created").exists()


def test_an_incubator_s_coaches_are_changed(client_as, national_admin, coach, cira):
    other = User.objects.create_user(username="anas_coach", password="x", role="coach")
    client_as(national_admin).post(reverse("incubation:incubator_edit",
                                           kwargs={"pk": cira.pk}), {
        "code": cira.code, "name": cira.name, "host": cira.host_id, "region": cira.region_id,
        "capacity": "25", "coaches": [other.pk]})
    cira.refresh_from_db()
    assert list(cira.coaches.all()) == [other] and cira.capacity == 25
    entry = AuditEntry.objects.get(action="incubation.incubator.updated")
    assert entry.changes["coaches"] == {"added": [other.pk], "removed": [coach.pk]}


def test_an_incubator_with_a_code_taken_keeps_the_form(client_as, national_admin, cira):
    response = client_as(national_admin).post(reverse("incubation:incubator_create"), {
        "code": cira.code, "name": "Incubateur bis", "host": cira.host_id,
        "region": cira.region_id, "capacity": "10"}, **EN)
    assert response.status_code == 200
    text = response.content.decode()
    assert "already exists" in text and 'value="Incubateur bis"' in text


# -- navigation -------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona_name", "shown"), [
    ("national_admin", True), ("casablanca_officer", True), ("coach", True),
    ("trainer", False), ("analyst", False), ("partner", False),
    ("organisation_account", False),
])
def test_the_incubation_entry_in_the_navigation(client_as, persona, persona_name, shown):
    nav = client_as(persona(persona_name)).get("/").context["nav"]

    assert any(item["url"] == reverse("incubation:pipeline") for item in nav) == shown


def test_the_public_calls_are_in_the_anonymous_navigation(client):
    nav = client.get(reverse("incubation:public_calls")).context["nav"]

    assert [item["url"] for item in nav if item["active"]] == [
        reverse("incubation:public_calls")]
