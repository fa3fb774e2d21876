"""Coaching sessions and their next steps through the pages, the coach's agenda, the
coaches' workload and the overdue next steps on a coach's home."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from essor.accounts.models import User
from essor.audit.models import AuditEntry
from essor.core.home import cards_for
from essor.incubation import selectors_coaching, services
from essor.incubation.models import CoachingSession, NextStep

from .factories import IncubatorFactory, ProjectFactory, SessionFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def incubator(coach, casablanca_settat):
    return IncubatorFactory(region=casablanca_settat, name="CIRA-ESS", coaches=[coach])


@pytest.fixture
def project(incubator):
    return ProjectFactory(incubator=incubator, title="Coopérative Tissage Ouled Saïd",
                          joined_on=days(-200), phase_since=days(-200))


@pytest.fixture
def colleague(incubator, casablanca_settat):
    user = User.objects.create_user(username="imane_coach", password="correct horse battery",
                                    role="coach", first_name="Imane", last_name="Berrada")
    user.regions.set([casablanca_settat])
    incubator.coaches.add(user)
    return user


def new_session_url(project):
    return reverse("incubation:session_new", kwargs={"pk": project.pk})


def form_data(coach, **changes):
    data = {"coach": coach.pk, "date": days(-1).isoformat(), "duration_hours": "1,5",
            "mode": "remote", "topics": "Prix de vente, statut coopératif",
            "notes": "Les porteuses hésitent sur la forme juridique."}
    for n in (1, 2, 3):
        data[f"step_{n}_text"] = ""
        data[f"step_{n}_due"] = ""
    data.update(changes)
    return data


# -- recording a session ----------------------------------------------------------------------

def test_a_coach_records_a_session_with_its_next_steps(client_as, coach, project):
    client = client_as(coach)
    page = client.get(new_session_url(project), **EN)
    assert page.status_code == 200
    assert b'name="notes"' in page.content and b'name="step_3_text"' in page.content
    response = client.post(new_session_url(project), form_data(
        coach, step_1_text="Déposer le dossier à l'ODCO", step_1_due=days(10).isoformat(),
        step_2_text="Chiffrer les métiers à tisser", step_2_due=days(20).isoformat()), **EN)
    assert response.status_code == 302
    session = CoachingSession.objects.get(project=project)
    assert (session.coach, session.duration_hours, session.mode) == (coach, Decimal("1.5"),
                                                                     "remote")
    assert session.notes == "Les porteuses hésitent sur la forme juridique."
    assert sorted(session.next_steps.values_list("text", flat=True)) == [
        "Chiffrer les métiers à tisser", "Déposer le dossier à l'ODCO"]
    entry = AuditEntry.objects.get(action="incubation.session.created")
    assert entry.changes["next_steps"] == 2


@pytest.mark.parametrize(("changes", "message"), [
    ({"step_1_text": "Ouvrir un compte bancaire"},
     "When is “Ouvrir un compte bancaire” due?"),
    ({"step_2_due": "2031-01-15"}, "Say what is due on 2031-01-15."),
    ({"step_1_text": "Relancer la banque", "step_1_due": "2020-01-02"},
     "The due date 2020-01-02 is before the session"),
    ({"duration_hours": "1,25"}, "1.25 hours: give the duration by half hours"),
    ({"duration_hours": "15"}, "Ensure this value is less than or equal to 12"),
])
def test_a_refused_session_says_why_and_keeps_what_was_typed(client_as, coach, project,
                                                             changes, message):
    response = client_as(coach).post(new_session_url(project),
                                     form_data(coach, **changes), **EN)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text.replace("&#x27;", "'").replace("&quot;", '"')
    assert "Prix de vente, statut coopératif" in text
    assert "Les porteuses hésitent sur la forme juridique." in text
    assert not CoachingSession.objects.exists()


def test_the_session_date_before_the_project_joined_is_refused(client_as, coach, project):
    response = client_as(coach).post(new_session_url(project),
                                     form_data(coach, date=days(-300).isoformat()), **EN)
    assert response.status_code == 200
    assert "is before the project joined the incubator" in response.content.decode()
    assert not CoachingSession.objects.exists()


def test_a_coach_of_another_incubator_is_not_a_choice(client_as, coach, project,
                                                      casablanca_settat):
    stranger = User.objects.create_user(username="other_coach", password="x", role="coach")
    IncubatorFactory(region=casablanca_settat, coaches=[stranger])
    response = client_as(coach).post(new_session_url(project),
                                     form_data(stranger), **EN)
    assert response.status_code == 200
    assert f"The coach {stranger.pk} is not one of the coaches" in response.content.decode()
    assert not CoachingSession.objects.exists()


def test_an_officer_records_a_session_for_a_coach_without_notes(client_as, casablanca_officer,
                                                               coach, project):
    client = client_as(casablanca_officer)
    page = client.get(new_session_url(project), **EN)
    assert page.status_code == 200
    assert b'name="notes"' not in page.content
    response = client.post(new_session_url(project), form_data(coach, notes="typed anyway"))
    assert response.status_code == 302
    session = CoachingSession.objects.get()
    assert (session.coach, session.notes) == (coach, "")


def test_editing_a_session_adds_steps_and_audits_that_notes_changed(client_as, coach,
                                                                   project):
    session = SessionFactory(project=project, coach=coach, date=days(-5),
                             notes="Première note")
    url = reverse("incubation:session_edit", kwargs={"pk": session.pk})
    client = client_as(coach)
    assert "Première note" in client.get(url).content.decode()
    response = client.post(url, form_data(coach, date=days(-5).isoformat(),
                                          notes="Deuxième note", topics="Comptabilité",
                                          step_1_text="Ouvrir le livre de caisse",
                                          step_1_due=days(3).isoformat()))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.topics, session.notes) == ("Comptabilité", "Deuxième note")
    assert list(session.next_steps.values_list("text", flat=True)) == [
        "Ouvrir le livre de caisse"]
    entry = AuditEntry.objects.get(action="incubation.session.updated")
    assert entry.changes["notes"] == "changed"


def test_the_duration_is_shown_as_typed_without_trailing_zeros(client_as, coach, project):
    whole = SessionFactory(project=project, coach=coach, date=days(-5), duration_hours=2)
    half = SessionFactory(project=project, coach=coach, date=days(-4),
                          duration_hours=Decimal("1.5"))
    client = client_as(coach)
    for session, shown in ((whole, 'value="2"'), (half, 'value="1.5"')):
        page = client.get(reverse("incubation:session_edit", kwargs={"pk": session.pk}))
        field = page.content.decode().split('id="id_duration_hours"')[0].rsplit("<input", 1)[1]
        assert shown in field


def test_an_officer_editing_a_session_keeps_its_notes(client_as, casablanca_officer, coach,
                                                      project):
    session = SessionFactory(project=project, coach=coach, date=days(-5),
                             notes="Note du coach")
    url = reverse("incubation:session_edit", kwargs={"pk": session.pk})
    response = client_as(casablanca_officer).post(
        url, form_data(coach, date=days(-5).isoformat(), topics="Marketing",
                       notes="écrasée ?"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.topics, session.notes) == ("Marketing", "Note du coach")


def test_a_coach_deletes_a_session(client_as, coach, project):
    session = SessionFactory(project=project, coach=coach, date=days(-5))
    response = client_as(coach).post(reverse("incubation:session_delete",
                                             kwargs={"pk": session.pk}))
    assert response.status_code == 302
    assert not CoachingSession.objects.exists()
    assert AuditEntry.objects.filter(action="incubation.session.deleted").count() == 1


def test_a_next_step_is_ticked_and_unticked(client_as, coach, project):
    session = SessionFactory(project=project, coach=coach, date=days(-5))
    step = services.next_step_add(session=session, by=coach, text="Envoyer le devis",
                                  due_on=days(-1))
    url = reverse("incubation:next_step_done", kwargs={"pk": step.pk})
    agenda = reverse("incubation:agenda")
    client = client_as(coach)
    response = client.post(url, {"done": "1", "next": agenda})
    assert response.status_code == 302 and response["Location"] == agenda
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()
    client.post(url, {"done": "0", "next": "https://elsewhere.example/"})
    step.refresh_from_db()
    assert step.done_on is None


# -- the agenda -------------------------------------------------------------------------------

def test_the_agenda_shows_the_coach_s_weeks_and_flags_overdue_steps(client_as, coach,
                                                                   colleague, project):
    past = SessionFactory(project=project, coach=coach, date=days(-7), topics="Étude de marché")
    SessionFactory(project=project, coach=coach, date=days(7), topics="Visite de l'atelier")
    SessionFactory(project=project, coach=colleague, date=days(-2), topics="Session d'Imane")
    SessionFactory(project=project, coach=coach, date=days(-100), topics="Trop ancienne")
    late = services.next_step_add(session=past, by=coach, text="Questionnaire clients",
                                  due_on=days(-3))
    services.next_step_add(session=past, by=coach, text="Contacter l'INDH", due_on=days(5))
    response = client_as(coach).get(reverse("incubation:agenda"), **EN)
    assert response.status_code == 200
    text = response.content.decode().replace("&#x27;", "'")
    assert "Étude de marché" in text and "Visite de l'atelier" in text
    assert "Session d'Imane" not in text and "Trop ancienne" not in text
    weeks = response.context["weeks"]
    assert len(weeks) == 9 and sum(w.current for w in weeks) == 1
    assert sum(len(w.sessions) for w in weeks) == 2
    steps = response.context["steps"]
    assert [(s.text, s.overdue) for s in steps] == [("Questionnaire clients", True),
                                                    ("Contacter l'INDH", False)]
    assert f'data-step="{late.pk}" data-overdue' in text
    assert response.context["overdue"] == 1
    earlier = client_as(coach).get(reverse("incubation:agenda"),
                                   {"start": days(-100).isoformat()})
    assert "Trop ancienne" in earlier.content.decode()


def test_staff_pick_a_coach_of_their_scope(client_as, national_admin, oriental_officer,
                                           casablanca_officer, coach, colleague, project):
    SessionFactory(project=project, coach=coach, date=days(-1), topics="Plan de trésorerie")
    url = reverse("incubation:agenda")
    admin = client_as(national_admin)
    assert admin.get(url).context["coach"] is None
    page = admin.get(url, {"coach": coach.pk})
    assert page.context["coach"] == coach and "Plan de trésorerie" in page.content.decode()
    assert client_as(casablanca_officer).get(url, {"coach": coach.pk}).status_code == 200
    assert client_as(oriental_officer).get(url, {"coach": coach.pk}).status_code == 404
    assert client_as(oriental_officer).get(url, {"coach": "abc"}).status_code == 404
    # A coach reads their own agenda, not a colleague's.
    assert client_as(coach).get(url, {"coach": colleague.pk}).status_code == 404
    assert client_as(coach).get(url, {"coach": coach.pk}).status_code == 200


def test_the_agenda_in_arabic(client_as, coach, project):
    SessionFactory(project=project, coach=coach, date=days(0), topics="خطة العمل")
    response = client_as(coach).get(reverse("incubation:agenda"),
                                    HTTP_ACCEPT_LANGUAGE="ar")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in text and "خطة العمل" in text


# -- the workload -----------------------------------------------------------------------------

def test_the_workload_counts_sessions_hours_and_steps_per_coach(client_as, casablanca_officer,
                                                               coach, colleague, project,
                                                               incubator):
    other = ProjectFactory(incubator=incubator, joined_on=days(-200), phase_since=days(-200))
    left = ProjectFactory(incubator=incubator, joined_on=days(-200), phase_since=days(-200),
                          left_on=days(-150))
    first = SessionFactory(project=project, coach=coach, date=days(-3), duration_hours=2)
    SessionFactory(project=other, coach=coach, date=days(-40), duration_hours=Decimal("1.5"))
    SessionFactory(project=left, coach=coach, date=days(-160), duration_hours=3)
    SessionFactory(project=project, coach=coach, date=days(4), duration_hours=1)  # planned
    SessionFactory(project=project, coach=colleague, date=days(-29), duration_hours=1)
    services.next_step_add(session=first, by=coach, text="a", due_on=days(-1))
    services.next_step_add(session=first, by=coach, text="b", due_on=days(2))
    done = services.next_step_add(session=first, by=coach, text="c", due_on=days(-2))
    services.next_step_done(step=done, by=coach)
    response = client_as(casablanca_officer).get(reverse("incubation:workload"), **EN)
    assert response.status_code == 200
    rows = {row.coach: row for row in response.context["rows"]}
    mine, hers = rows[coach], rows[colleague]
    assert mine.projects == 2  # the project that left is no longer followed
    assert mine.sessions == {30: 1, 90: 2}
    assert mine.hours == {30: Decimal("2"), 90: Decimal("3.5")}
    assert (mine.open_steps, mine.overdue_steps) == (2, 1)
    assert (hers.projects, hers.sessions, hers.open_steps) == (1, {30: 1, 90: 1}, 0)


def test_the_workload_of_another_region_is_empty(client_as, oriental_officer, coach, project):
    SessionFactory(project=project, coach=coach, date=days(-3))
    response = client_as(oriental_officer).get(reverse("incubation:workload"))
    assert response.context["rows"] == []


# -- the home card ----------------------------------------------------------------------------

def test_a_coach_s_home_flags_overdue_next_steps(client_as, coach, colleague, project,
                                                 casablanca_officer):
    session = SessionFactory(project=project, coach=coach, date=days(-10))
    services.next_step_add(session=session, by=coach, text="Relancer la commune",
                           due_on=days(-2))
    services.next_step_add(session=session, by=coach, text="Pas encore dû", due_on=days(2))
    done = services.next_step_add(session=session, by=coach, text="Déjà fait",
                                  due_on=days(-4))
    services.next_step_done(step=done, by=coach)
    theirs = SessionFactory(project=project, coach=colleague, date=days(-10))
    services.next_step_add(session=theirs, by=colleague, text="Tâche d'Imane",
                           due_on=days(-2))
    shown = {c.name: c for c in cards_for(coach, timezone.localdate())}
    card = shown["incubation.overdue_next_steps"].context
    assert [s.text for s in card["steps"]] == ["Relancer la commune"] and card["count"] == 1
    page = client_as(coach).get(reverse("core:home"), **EN).content.decode()
    assert "Overdue next steps" in page and "Relancer la commune" in page
    assert "Pas encore dû" not in page and "Tâche d&#x27;Imane" not in page
    assert "incubation.overdue_next_steps" not in {
        c.name for c in cards_for(casablanca_officer, timezone.localdate())}


def test_overdue_steps_of_an_incubator_the_coach_left_are_not_shown(coach, project,
                                                                    incubator):
    session = SessionFactory(project=project, coach=coach, date=days(-10))
    NextStep.objects.create(session=session, text="Ancienne tâche", due_on=days(-1))
    assert selectors_coaching.overdue_next_steps(coach, timezone.localdate()).count() == 1
    incubator.coaches.remove(coach)
    fresh = User.objects.get(pk=coach.pk)
    assert selectors_coaching.overdue_next_steps(fresh, timezone.localdate()).count() == 0


def test_staff_choose_the_coach_a_coach_is_chosen_by_default(coach, colleague, project,
                                                            national_admin):
    from essor.incubation.forms_coaching import SessionForm

    own = SessionForm(user=coach, project=project)
    assert own.fields["coach"].initial == coach.pk and own.fields["coach"].empty_label is None
    staff = SessionForm(user=national_admin, project=project)
    assert staff.fields["coach"].initial is None and staff.fields["coach"].empty_label
    assert set(staff.fields["coach"].queryset) == {coach, colleague}
    assert "notes" in own.fields and "notes" not in staff.fields


# -- in a real browser ------------------------------------------------------------------------

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locale", ["fr-FR", "ar"])
def test_a_coach_records_a_session_on_a_phone_and_finds_it_on_the_agenda(
        live_server, coach, casablanca_settat, locale):
    import os

    from essor.browser import browser_page

    incubator = IncubatorFactory(region=casablanca_settat, name="CIRA-ESS", coaches=[coach])
    project = ProjectFactory(incubator=incubator, title="Coopérative Tissage Ouled Saïd",
                             joined_on=days(-60), phase_since=days(-60))
    url = live_server.url
    shots = os.environ.get("ESSOR_SHOTS", "")
    with browser_page(width=360, height=740, locale=locale) as page:
        page.goto(f"{url}/accounts/login/")
        page.fill("#id_username", "salma_coach")
        page.fill("#id_password", "correct horse battery")
        page.click("form:not(#language-switch) button[type=submit]")
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/incubation/projects/{project.pk}/sessions/new/")
        assert page.get_attribute("html", "dir") == ("rtl" if locale == "ar" else "ltr")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        page.fill("#id_date", days(-1).isoformat())  # held yesterday, recorded today
        page.fill("#id_duration_hours", "2.5")
        page.check("input[name=mode][value=remote]")
        page.fill("#id_topics", "Plan d'affaires")
        page.fill("#id_notes", "Hésitations sur le local")
        page.fill("#id_step_1_text", "Demander trois devis")  # its due date forgotten
        page.click("#session-form button[type=submit]")
        page.wait_for_selector("#id_step_1_due.is-invalid, #id_step_1_due[aria-invalid]")
        assert page.input_value("#id_topics") == "Plan d'affaires"
        assert page.input_value("#id_notes") == "Hésitations sur le local"
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        if shots:
            page.screenshot(path=os.path.join(shots, f"form-{locale[:2]}.png"),
                            full_page=True)
        page.fill("#id_step_1_due", days(-1).isoformat())  # agreed for the day: overdue now
        page.click("#session-form button[type=submit]")
        page.wait_for_url(f"{url}/incubation/projects/{project.pk}/")  # saved: not the form again
        if shots:
            page.screenshot(path=os.path.join(shots, f"saved-{locale[:2]}.png"),
                            full_page=True)
        page.goto(f"{url}/incubation/agenda/")
        page.wait_for_selector("#agenda-weeks [data-session]")
        assert "Plan d'affaires" in page.inner_text("#agenda-weeks")
        assert "Hésitations" not in page.content()
        assert page.locator("#agenda-steps [data-overdue]").count() == 1
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        if shots:
            page.screenshot(path=os.path.join(shots, f"agenda-{locale[:2]}.png"),
                            full_page=True)
        page.click("#agenda-steps [data-overdue] button[type=submit]")
        page.wait_for_selector("#agenda-steps [data-overdue]", state="detached")
    session = CoachingSession.objects.get()
    assert (session.duration_hours, session.mode) == (Decimal("2.5"), "remote")
    assert session.next_steps.get().done_on == timezone.localdate()
