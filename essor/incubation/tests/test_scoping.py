"""Who finds which incubator and project on the board, the incubators' list and pages
and a project's page: the national admin every one; an officer those of their regions
(another region's: 404, and none on the lists); a coach the incubators they coach in,
whatever their region (another incubator's: 404); analysts and partners are refused."""

import pytest
from django.urls import reverse

from essor.accounts.models import User

from .factories import IncubatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def cira(coach, casablanca_settat):
    return IncubatorFactory(region=casablanca_settat, name="CIRA-ESS", coaches=[coach])


@pytest.fixture
def casa_project(cira):
    return ProjectFactory(incubator=cira, title="Coopérative Safran Tadla")


@pytest.fixture
def oujda_project(oriental):
    incubator = IncubatorFactory(region=oriental, name="Incubateur FSJES Oujda")
    return ProjectFactory(incubator=incubator, title="Association Figuig Oasis")


@pytest.fixture
def other_coach(casablanca_settat):
    """A coach of another incubator of the same region."""
    user = User.objects.create_user(username="anas_coach", password="correct horse battery",
                                    role="coach")
    user.regions.set([casablanca_settat])
    IncubatorFactory(region=casablanca_settat, name="Incubateur FSJES Mohammedia",
                     coaches=[user])
    return user


@pytest.fixture
def who(other_coach, persona):
    def get(name):
        return other_coach if name == "other_coach" else persona(name)
    return get


PROJECT_PAGE = [("national_admin", 200), ("casablanca_officer", 200), ("coach", 200),
                ("oriental_officer", 404), ("other_coach", 404), ("analyst", 403),
                ("partner", 403), ("trainer", 403), ("organisation_account", 403)]


@pytest.mark.parametrize(("name", "status"), PROJECT_PAGE)
def test_the_project_s_pages_by_role(name, status, who, client_as, casa_project):
    client = client_as(who(name))
    for url_name in ("project_detail", "project_edit", "project_move", "project_outcomes",
                     "follow_up"):
        url = reverse(f"incubation:{url_name}", kwargs={"pk": casa_project.pk})
        assert client.get(url, **EN).status_code == status, url_name


@pytest.mark.parametrize(("name", "status"), PROJECT_PAGE)
def test_the_incubator_s_page_by_role(name, status, who, client_as, cira):
    url = reverse("incubation:incubator_detail", kwargs={"pk": cira.pk})
    assert client_as(who(name)).get(url).status_code == status


@pytest.mark.parametrize(("name", "status"), [
    ("national_admin", 200), ("casablanca_officer", 403), ("coach", 403),
    ("oriental_officer", 403), ("analyst", 403), ("partner", 403)])
def test_only_the_national_admin_creates_and_edits_incubators(name, status, who, client_as,
                                                              cira):
    client = client_as(who(name))
    assert client.get(reverse("incubation:incubator_create")).status_code == status
    assert client.get(reverse("incubation:incubator_edit",
                              kwargs={"pk": cira.pk})).status_code == status


@pytest.mark.parametrize(("name", "sees_casa", "sees_oujda"), [
    ("national_admin", True, True), ("casablanca_officer", True, False),
    ("oriental_officer", False, True), ("coach", True, False), ("other_coach", False, False)])
def test_the_board_and_the_incubators_list_show_the_scope_only(name, sees_casa, sees_oujda,
                                                               who, client_as, casa_project,
                                                               oujda_project):
    client = client_as(who(name))
    board = client.get(reverse("incubation:pipeline")).content.decode()
    listed = client.get(reverse("incubation:incubator_list")).content.decode()
    assert ("Coopérative Safran Tadla" in board) is sees_casa
    assert ("Association Figuig Oasis" in board) is sees_oujda
    assert ("CIRA-ESS" in listed) is sees_casa
    assert ("Incubateur FSJES Oujda" in listed) is sees_oujda


def test_a_coach_reads_their_incubators_in_another_region(client_as, coach, oujda_project):
    """Coaches are scoped by the incubators they coach in, not by region."""
    oujda_project.incubator.coaches.add(coach)
    response = client_as(coach).get(reverse("incubation:project_detail",
                                            kwargs={"pk": oujda_project.pk}))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["analyst", "partner", "trainer"])
def test_who_does_not_run_incubation_has_no_board(name, persona, client_as, casa_project):
    client = client_as(persona(name))
    assert client.get(reverse("incubation:pipeline")).status_code == 403
    assert client.get(reverse("incubation:incubator_list")).status_code == 403


def test_another_region_s_filter_finds_nothing(client_as, oriental_officer, cira,
                                               casa_project):
    """An incubator of another region in the board's filter is not a choice."""
    response = client_as(oriental_officer).get(reverse("incubation:pipeline"),
                                               {"incubator": cira.pk}, **EN)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Coopérative Safran Tadla" not in text
    assert "Select a valid choice" in text


@pytest.mark.parametrize(("name", "status"), [("oriental_officer", 404),
                                              ("other_coach", 404), ("analyst", 403)])
def test_outsiders_cannot_move_the_project(name, status, who, client_as, casa_project):
    response = client_as(who(name)).post(reverse("incubation:project_move",
                                                 kwargs={"pk": casa_project.pk}),
                                         {"phase": "creation"})
    assert response.status_code == status
    casa_project.refresh_from_db()
    assert casa_project.phase == "pre_creation"
