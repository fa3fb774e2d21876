"""In a real browser, on a tablet: a coach tries to move a project from pre-creation to
creation on the board, is told which required milestone is missing, ticks it on the
project's page, drags the card to creation, then records a coaching session from the
project's page and finds it on the agenda — in French and in Arabic, without sideways
scrolling (and the board stacks its columns on a phone)."""

import datetime
import os

import pytest
from django.utils import timezone

from essor.incubation.models import CoachingSession, Milestone, PhaseChange

from .factories import HolderFactory, IncubatorFactory, ProjectFactory

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locale", ["fr-FR", "ar"])
def test_a_coach_moves_a_project_to_creation_and_records_a_session(live_server, coach,
                                                                   casablanca_settat, locale):
    from essor.browser import browser_page

    # The checklist of the data migration, which a previous transactional test flushed.
    Milestone.objects.update_or_create(code="business_plan", defaults={
        "phase": "pre_creation", "name_fr": "Plan d'affaires validé",
        "name_ar": "مخطط الأعمال مصادق عليه", "required": True, "order": 10})
    incubator = IncubatorFactory(region=casablanca_settat, name="CIRA-ESS", coaches=[coach])
    project = ProjectFactory(incubator=incubator, title="Coopérative Safran Tadla",
                             joined_on=days(-90), phase_since=days(-90))
    HolderFactory(project=project, person__first_name="Khadija", person__last_name="Alaoui")
    url = live_server.url
    shots = os.environ.get("ESSOR_SHOTS", "")
    card = f"#card-{project.pk}"
    with browser_page(width=820, height=1180, locale=locale) as page:
        page.goto(f"{url}/accounts/login/")
        page.fill("#id_username", "salma_coach")
        page.fill("#id_password", "correct horse battery")
        page.click("form:not(#language-switch) button[type=submit]")
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/incubation/")
        assert page.get_attribute("html", "dir") == ("rtl" if locale == "ar" else "ltr")
        assert page.locator(f"#column-pre_creation {card}").count() == 1
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        if shots:
            page.screenshot(path=os.path.join(shots, f"board-{locale[:2]}.png"),
                            full_page=True)
        # The next phase's button: refused, the missing milestone named.
        page.click(f"{card} .move-forward button[type=submit]")
        page.wait_for_selector("#move-form .alert-danger")
        assert "مخطط الأعمال" in page.inner_text("#move-form .alert-danger") if locale == "ar" \
            else "Plan d'affaires validé" in page.inner_text("#move-form .alert-danger")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        # Ticked on the project's page, from the link the refusal gives.
        page.click("#move-form a[href$='#milestones']")
        page.wait_for_selector("#milestones")
        page.click("#milestones [data-milestone=business_plan] button[type=submit]")
        page.wait_for_selector("#milestones [data-milestone=business_plan] .bi-check-circle-fill")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        # Dragged to creation on the board: no reason needed one step forward.
        page.goto(f"{url}/incubation/")
        page.locator(card).drag_to(page.locator("#column-creation"))
        page.wait_for_selector(f"#column-creation {card}")
        assert PhaseChange.objects.filter(project=project, to_phase="creation").exists()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        # A session recorded from the project's page.
        page.click(f"{card} h3 a")
        page.wait_for_url(f"{url}/incubation/projects/{project.pk}/")
        page.click("#project-sessions a[href$='/sessions/new/']")
        page.fill("#id_date", days(-1).isoformat())
        page.fill("#id_duration_hours", "2")
        page.check("input[name=mode][value=on_site]")
        page.fill("#id_topics", "Statuts de la coopérative")
        page.click("#session-form button[type=submit]")
        page.wait_for_url(f"{url}/incubation/projects/{project.pk}/")
        assert "Statuts de la coopérative" in page.inner_text("#project-sessions")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        if shots:
            page.screenshot(path=os.path.join(shots, f"project-{locale[:2]}.png"),
                            full_page=True)
        page.goto(f"{url}/incubation/agenda/")
        page.wait_for_selector("#agenda-weeks [data-session]")
        assert "Statuts de la coopérative" in page.inner_text("#agenda-weeks")
        # On a phone the board's columns stack.
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(f"{url}/incubation/")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        first, second = (page.locator(f"#column-{p}").bounding_box()
                         for p in ("pre_creation", "creation"))
        assert second["y"] >= first["y"] + first["height"]
        if shots:
            page.screenshot(path=os.path.join(shots, f"board-phone-{locale[:2]}.png"),
                            full_page=True)
    assert CoachingSession.objects.get().coach == coach
