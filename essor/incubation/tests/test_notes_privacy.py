"""A coaching session's notes are read by the coaches of the project's incubator only: a
coach of another incubator, an analyst, a partner, the national admin and an officer
get 404 or 403, or see no note — on the project's page, the agenda, the session's edit
page — and the audit log never holds what a note says."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from essor.accounts.models import User
from essor.audit.models import AuditEntry
from essor.incubation import selectors_coaching, services

from .factories import IncubatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db
SECRET = "Tension entre les deux associées, à surveiller"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
OUTSIDERS = ["other_coach", "analyst", "partner", "national_admin", "casablanca_officer",
             "oriental_officer"]
# Who may not read the notes but runs the incubator (and so opens its pages).
RUNNERS = ["national_admin", "casablanca_officer"]


@pytest.fixture
def project(coach, casablanca_settat):
    incubator = IncubatorFactory(region=casablanca_settat, name="CIRA-ESS", coaches=[coach])
    return ProjectFactory(incubator=incubator, title="Coopérative Safran Tadla",
                          joined_on=datetime.date(2025, 3, 3))


@pytest.fixture
def session(project, coach):
    """Recorded and then edited through the services, as the pages do."""
    session = services.session_create(
        by=coach, project=project, date=datetime.date(2025, 4, 10), duration_hours=2,
        mode="on_site", topics="Gouvernance", notes="Première version",
        next_steps=[{"text": "Rédiger le règlement intérieur",
                     "due_on": datetime.date(2025, 5, 1)}])
    return services.session_update(session=session, by=coach, notes=SECRET)


@pytest.fixture
def other_coach(casablanca_settat):
    user = User.objects.create_user(username="anas_coach", password="correct horse battery",
                                    role="coach")
    user.regions.set([casablanca_settat])
    IncubatorFactory(region=casablanca_settat, name="Incubateur FSJES Mohammedia",
                     coaches=[user])
    return user


@pytest.fixture
def who(request, other_coach, persona):
    def get(name):
        return other_coach if name == "other_coach" else persona(name)
    return get


def test_the_incubator_s_coach_reads_the_notes(client_as, coach, session):
    page = client_as(coach).get(reverse("incubation:session_edit", kwargs={"pk": session.pk}))
    assert page.status_code == 200 and SECRET in page.content.decode()
    assert selectors_coaching.sessions_for_project(coach, session.project)[0].notes == SECRET


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_get_no_note_from_the_selectors(name, who, session):
    user = who(name)
    [listed] = selectors_coaching.sessions_for_project(user, session.project)
    assert listed.notes == "" and listed.notes_visible is False


@pytest.mark.parametrize("name", OUTSIDERS)
def test_the_project_s_sessions_show_outsiders_no_note(name, who, coach, session):
    """The part of the project's page that lists its sessions, rendered for each."""
    user = who(name)
    request = RequestFactory().get("/")
    request.user = user
    html = render_to_string("incubation/coaching/_project_sessions.html", {
        "project": session.project,
        "sessions": selectors_coaching.sessions_for_project(user, session.project)},
        request=request)
    assert "Gouvernance" in html and SECRET not in html
    request.user = coach
    own = render_to_string("incubation/coaching/_project_sessions.html", {
        "project": session.project,
        "sessions": selectors_coaching.sessions_for_project(coach, session.project)},
        request=request)
    assert SECRET in own


@pytest.mark.parametrize("name", OUTSIDERS)
def test_the_project_page_shows_outsiders_no_note(name, who, client_as, coach, session):
    url = reverse("incubation:project_detail", kwargs={"pk": session.project_id})
    response = client_as(who(name)).get(url)
    assert response.status_code in (200, 403, 404)
    assert SECRET not in response.content.decode()
    assert SECRET in client_as(coach).get(url).content.decode()


@pytest.mark.parametrize(("name", "status"), [
    ("other_coach", 404), ("analyst", 403), ("partner", 403), ("oriental_officer", 404),
    ("national_admin", 200), ("casablanca_officer", 200)])
def test_the_session_edit_page_shows_outsiders_no_note(name, status, who, client_as,
                                                       session):
    url = reverse("incubation:session_edit", kwargs={"pk": session.pk})
    response = client_as(who(name)).get(url, **EN)
    assert response.status_code == status
    text = response.content.decode()
    assert SECRET not in text and 'name="notes"' not in text


@pytest.mark.parametrize("name", RUNNERS)
def test_who_cannot_read_the_notes_cannot_overwrite_them(name, who, client_as, coach,
                                                         session):
    url = reverse("incubation:session_edit", kwargs={"pk": session.pk})
    response = client_as(who(name)).post(url, {
        "coach": coach.pk, "date": "2025-04-10", "duration_hours": "2", "mode": "on_site",
        "topics": "Gouvernance et comptes", "notes": "remplacée"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.topics, session.notes) == ("Gouvernance et comptes", SECRET)


@pytest.mark.parametrize(("name", "status"), [
    ("other_coach", 404), ("analyst", 403), ("partner", 403), ("oriental_officer", 404)])
def test_outsiders_do_not_find_the_session_s_pages(name, status, who, client_as, session):
    client = client_as(who(name))
    step = session.next_steps.get()
    assert client.get(reverse("incubation:session_new",
                              kwargs={"pk": session.project_id})).status_code == status
    assert client.post(reverse("incubation:next_step_done",
                               kwargs={"pk": step.pk})).status_code == status
    assert client.post(reverse("incubation:session_delete",
                               kwargs={"pk": session.pk})).status_code == status
    step.refresh_from_db()
    assert step.done_on is None and type(session).objects.filter(pk=session.pk).exists()


@pytest.mark.parametrize(("name", "status"), [
    ("other_coach", 404), ("analyst", 403), ("partner", 403), ("oriental_officer", 404),
    ("national_admin", 200), ("casablanca_officer", 200)])
def test_the_agenda_shows_outsiders_no_note(name, status, who, client_as, coach, session):
    response = client_as(who(name)).get(reverse("incubation:agenda"),
                                        {"coach": coach.pk, "start": "2025-04-07"})
    assert response.status_code == status
    text = response.content.decode()
    assert SECRET not in text
    if status == 200:
        assert "Gouvernance" in text  # the session is there, without its notes


def test_the_coach_s_own_agenda_shows_no_note_either(client_as, coach, session):
    """The agenda is a list of dates and topics: notes stay on the project's page."""
    text = client_as(coach).get(reverse("incubation:agenda"),
                                {"start": "2025-04-07"}).content.decode()
    assert "Gouvernance" in text and SECRET not in text


def test_the_audit_log_never_holds_the_notes(client_as, national_admin, coach, session):
    services.session_delete(session=session, by=coach)
    entries = list(AuditEntry.objects.filter(action__startswith="incubation.session."))
    assert {e.action for e in entries} == {"incubation.session.created",
                                           "incubation.session.updated",
                                           "incubation.session.deleted"}
    for entry in entries:
        dumped = f"{entry.changes} {entry.object_repr}"
        assert SECRET not in dumped and "Première version" not in dumped
    updated = next(e for e in entries if e.action == "incubation.session.updated")
    assert updated.changes["notes"] == "changed"
    page = client_as(national_admin).get(reverse("audit:entry_list"), **EN).content.decode()
    assert "recorded a coaching session" in page and "edited a coaching session" in page
    assert SECRET not in page and "Première version" not in page
