"""Calls for projects run by the staff: created and edited within their incubators,
published and closed, found only in their scope; applications decided one by one or the
top N, each decision stored with its score, reason, who and when, audited; a selection
makes the project of the call's cohort with the application's holders."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from essor.audit.models import AuditEntry
from essor.incubation import calls
from essor.incubation.models import Application, ApplicationHolder, Call, Cohort, Project
from essor.registry.tests.factories import PersonFactory

from .factories import CallFactory, IncubatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def incubator(casablanca_settat, coach):
    return IncubatorFactory(region=casablanca_settat, code="cira-ess", name="CIRA-ESS",
                            coaches=[coach])


@pytest.fixture
def call(incubator):
    today = timezone.localdate()
    return CallFactory(incubator=incubator, code="cira-ess-2026", title="Appel CIRA-ESS 2026",
                       opens_on=today - datetime.timedelta(days=10),
                       closes_on=today + datetime.timedelta(days=10), places=2)


def make_application(call, region, people, *, confirmed=True, title="Coopérative Nour"):
    application = Application.objects.create(
        call=call, title=title, summary="Transformation de plantes aromatiques.",
        sector="argan", region=region, email="nour@essor.invalid",
        email_confirmed_at=timezone.now() if confirmed else None)
    for index, person in enumerate(people):
        ApplicationHolder.objects.create(application=application, person=person,
                                         lead=index == len(people) - 1)
    return application


@pytest.fixture
def application(call, casablanca_settat):
    today = timezone.localdate()
    return make_application(call, casablanca_settat, [
        PersonFactory(first_name="Hamid", last_name="Sbai", sex="M", birth_year=1970,
                      region=casablanca_settat),
        PersonFactory(first_name="Salma", last_name="Idrissi", sex="F",
                      birth_year=today.year - 24, region=casablanca_settat)])


# -- calls ------------------------------------------------------------------------------------

def test_an_officer_creates_a_call_of_an_incubator_of_their_region(client_as, incubator,
                                                                   casablanca_officer):
    client = client_as(casablanca_officer)
    response = client.post(reverse("incubation:call_create"), {
        "incubator": incubator.pk, "code": "cira-ess-2027", "title": "Appel 2027",
        "title_ar": "طلب مشاريع 2027", "criteria": "Jeunes et femmes.", "opens_on": "2027-01-04",
        "closes_on": "2027-02-26", "places": "12"})

    call = Call.objects.get(code="cira-ess-2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("incubation:call_detail", kwargs={"pk": call.pk})
    assert call.status == Call.Status.DRAFT and call.places == 12
    assert AuditEntry.objects.filter(action="incubation.call.created",
                                     object_id=str(call.pk)).exists()


def test_a_call_closing_before_it_opens_is_refused_by_name(client_as, incubator,
                                                           casablanca_officer):
    response = client_as(casablanca_officer).post(reverse("incubation:call_create"), {
        "incubator": incubator.pk, "code": "cira-ess-2027", "title": "Appel 2027",
        "opens_on": "2027-03-01", "closes_on": "2027-02-01", "places": "12"})

    assert response.status_code == 200
    assert "The call closes on 2027-02-01, before it opens (2027-03-01)." in (
        response.content.decode())
    assert 'value="Appel 2027"' in response.content.decode()
    assert not Call.objects.filter(code="cira-ess-2027").exists()


def test_an_officer_of_another_region_cannot_create_a_call_of_the_incubator(
        client_as, incubator, oriental_officer):
    response = client_as(oriental_officer).post(reverse("incubation:call_create"), {
        "incubator": incubator.pk, "code": "x-2027", "title": "Appel", "opens_on": "2027-01-04",
        "closes_on": "2027-02-26", "places": "12"})

    assert response.status_code == 200
    assert f"The incubator {incubator.pk} is not one of the incubators you run." in (
        response.content.decode())
    with pytest.raises(PermissionDenied):
        calls.call_create(by=oriental_officer, incubator=incubator, code="x-2027",
                          title="Appel", opens_on=datetime.date(2027, 1, 4),
                          closes_on=datetime.date(2027, 2, 26))


def test_a_call_is_published_closed_and_published_again(client_as, call, casablanca_officer):
    Call.objects.filter(pk=call.pk).update(status=Call.Status.DRAFT)
    client = client_as(casablanca_officer)
    status_url = reverse("incubation:call_status", kwargs={"pk": call.pk})

    for status in ("published", "closed", "published"):
        client.post(status_url, {"status": status})
        call.refresh_from_db()
        assert call.status == status

    client.post(status_url, {"status": "draft"})
    call.refresh_from_db()
    assert call.status == "published"
    assert AuditEntry.objects.filter(action="incubation.call.status").count() == 3


def test_a_call_is_edited_and_its_changes_audited(client_as, call, casablanca_officer):
    response = client_as(casablanca_officer).post(
        reverse("incubation:call_edit", kwargs={"pk": call.pk}), {
            "incubator": call.incubator_id, "code": call.code, "title": "Appel CIRA-ESS 2026 bis",
            "opens_on": call.opens_on.isoformat(), "closes_on": call.closes_on.isoformat(),
            "places": "4"})

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.places == 4 and call.title == "Appel CIRA-ESS 2026 bis"
    entry = AuditEntry.objects.get(action="incubation.call.updated")
    assert entry.changes["places"] == [2, 4]


def test_the_selection_criteria_are_saved_on_the_call(client_as, call, casablanca_officer):
    response = client_as(casablanca_officer).post(
        reverse("incubation:selection", kwargs={"pk": call.pk}),
        {"women": "5", "young": "2.5", "disability": "0", "home_region": "1",
         "sector_balance": "2"})

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.selection_rules == {"women": 5, "young": 2.5, "disability": 0,
                                    "home_region": 1, "sector_balance": 2}


# -- scope ------------------------------------------------------------------------------------

def test_another_regions_officer_finds_neither_the_call_nor_its_applications(
        client_as, call, application, oriental_officer):
    client = client_as(oriental_officer)
    assert client.get(reverse("incubation:call_detail", kwargs={"pk": call.pk})).status_code == 404
    assert client.get(reverse("incubation:application_detail",
                              kwargs={"pk": application.pk})).status_code == 404
    assert client.post(reverse("incubation:application_detail", kwargs={"pk": application.pk}),
                       {"status": "rejected", "reason": "x"}).status_code == 404
    assert client.get(reverse("incubation:selection", kwargs={"pk": call.pk})).status_code == 404
    listed = client.get(reverse("incubation:call_list")).content.decode()
    assert "Appel CIRA-ESS 2026" not in listed


def test_a_coach_of_another_incubator_does_not_find_the_call(client_as, call, casablanca_settat):
    from essor.accounts.models import User

    other = User.objects.create_user(username="rachid_coach", password="correct horse battery",
                                     role="coach")
    other.regions.set([casablanca_settat])
    IncubatorFactory(region=casablanca_settat, coaches=[other])
    client = client_as(other)
    assert client.get(reverse("incubation:call_detail", kwargs={"pk": call.pk})).status_code == 404


def test_the_list_of_calls_counts_applications_in_a_fixed_number_of_queries(
        client_as, incubator, casablanca_settat, national_admin, django_assert_max_num_queries):
    for n in range(6):
        extra = CallFactory(incubator=incubator, code=f"appel-liste-{n}",
                            title=f"Appel liste {n}")
        make_application(extra, casablanca_settat, [PersonFactory(region=casablanca_settat)])
    client = client_as(national_admin)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("incubation:call_list")).content.decode()

    assert page.count("appel-liste-") == 6


def test_the_calls_page_shows_applications_in_a_fixed_number_of_queries(
        client_as, call, casablanca_settat, national_admin, django_assert_max_num_queries):
    for n in range(8):
        make_application(call, casablanca_settat, [PersonFactory(region=casablanca_settat),
                                                   PersonFactory(region=casablanca_settat)],
                         title=f"Projet {n}")
    client = client_as(national_admin)

    with django_assert_max_num_queries(14):
        page = client.get(reverse("incubation:call_detail", kwargs={"pk": call.pk}))

    assert page.content.decode().count('id="application-table"') == 1
    assert page.content.decode().count("Projet ") >= 8


# -- decisions --------------------------------------------------------------------------------

def test_not_selecting_needs_a_reason_named_on_the_form(client_as, application,
                                                        casablanca_officer):
    response = client_as(casablanca_officer).post(
        reverse("incubation:application_detail", kwargs={"pk": application.pk}),
        {"status": "rejected", "reason": ""})

    assert response.status_code == 200
    assert f"Say why {application.reference} is not selected." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_rejection_is_stored_with_its_score_reason_and_author_and_audited(
        client_as, application, casablanca_officer):
    response = client_as(casablanca_officer).post(
        reverse("incubation:application_detail", kwargs={"pk": application.pk}),
        {"status": "rejected", "reason": "Projet hors du champ de l'ESS."})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.decision_reason == "Projet hors du champ de l'ESS."
    assert application.decided_by == casablanca_officer and application.decided_at
    # One woman of two holders (3 × 1/2), one of two young (3 × 1/2), the incubator's
    # region (1), the first of its sector (2).
    assert str(application.score) == "6.00"
    entry = AuditEntry.objects.get(action="incubation.application.decided")
    assert entry.actor == casablanca_officer
    assert entry.changes["status"] == ["submitted", "rejected"]
    assert entry.changes["score"] == "6.00"
    assert entry.changes["reason"] == "Projet hors du champ de l'ESS."
    assert entry.changes["points"] == {"women": 1.5, "young": 1.5, "disability": 0.0,
                                       "home_region": 1.0, "sector_balance": 2.0}
    assert not Project.objects.exists()


def test_selecting_makes_the_project_of_the_calls_cohort_with_its_holders(
        client_as, call, application, coach):
    response = client_as(coach).post(
        reverse("incubation:application_detail", kwargs={"pk": application.pk}),
        {"status": "selected", "reason": ""})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SELECTED and application.decided_by == coach
    project = Project.objects.get(application=application)
    cohort = Cohort.objects.get(call=call)
    assert project.cohort == cohort and cohort.incubator == call.incubator
    assert project.phase == "pre_creation" and project.incubator == call.incubator
    assert project.title == "Coopérative Nour" and project.sector == "argan"
    assert [(h.person.first_name, h.lead) for h in project.holders.order_by("-lead", "pk")] == [
        ("Salma", True), ("Hamid", False)]
    assert project.targets_women and project.targets_young and not project.targets_disability
    assert project.phase_changes.get().to_phase == "pre_creation"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"incubation.application.decided", "incubation.cohort.created",
            "incubation.project.created"} <= actions
    decided = AuditEntry.objects.get(action="incubation.application.decided")
    assert decided.changes["project"] == project.pk


def test_an_unconfirmed_application_is_not_selected(call, casablanca_settat, coach):
    unconfirmed = make_application(call, casablanca_settat,
                                   [PersonFactory(region=casablanca_settat)], confirmed=False)
    with pytest.raises(ValidationError, match="is not confirmed yet"):
        calls.application_decide(application=unconfirmed, status="selected", by=coach)
    assert not Project.objects.exists()


def test_no_selection_past_the_places(call, casablanca_settat, coach):
    for n in range(2):
        calls.application_decide(
            application=make_application(call, casablanca_settat,
                                         [PersonFactory(region=casablanca_settat)],
                                         title=f"Projet {n}"),
            status="selected", by=coach)
    third = make_application(call, casablanca_settat, [PersonFactory(region=casablanca_settat)])
    with pytest.raises(ValidationError, match="The 2 places of the call are taken."):
        calls.application_decide(application=third, status="selected", by=coach)
    assert Cohort.objects.count() == 1 and Project.objects.count() == 2


def test_a_selected_application_is_not_decided_again(application, coach):
    calls.application_decide(application=application, status="selected", by=coach)
    with pytest.raises(ValidationError, match="cannot be"):
        calls.application_decide(application=application, status="rejected", by=coach,
                                 reason="Erreur")


def test_a_rejected_application_is_selected_with_a_reason(application, coach):
    calls.application_decide(application=application, status="rejected", by=coach,
                             reason="Dossier incomplet")
    with pytest.raises(ValidationError, match="selected now"):
        calls.application_decide(application=application, status="selected", by=coach)

    calls.application_decide(application=application, status="selected", by=coach,
                             reason="Pièces reçues")

    application.refresh_from_db()
    assert application.status == "selected" and application.decision_reason == "Pièces reçues"
    assert Project.objects.filter(application=application).exists()


def test_an_officer_does_not_select_a_holder_of_another_region_but_the_admin_does(
        call, casablanca_settat, oriental, casablanca_officer, national_admin):
    mixed = make_application(call, casablanca_settat, [
        PersonFactory(region=casablanca_settat), PersonFactory(region=oriental)])

    with pytest.raises(ValidationError, match="outside your scope"):
        calls.application_decide(application=mixed, status="selected", by=casablanca_officer)
    assert not Project.objects.exists()

    calls.application_decide(application=mixed, status="selected", by=national_admin)
    assert Project.objects.get().holders.count() == 2


def test_the_top_n_are_selected_as_the_page_showed_them(client_as, call, casablanca_settat,
                                                        oriental, casablanca_officer):
    young_woman = make_application(call, casablanca_settat, [PersonFactory(
        sex="F", birth_year=timezone.localdate().year - 22, region=casablanca_settat)],
        title="Projet A")
    man = make_application(call, casablanca_settat, [PersonFactory(
        sex="M", birth_year=1960, region=casablanca_settat)], title="Projet B")
    woman = make_application(call, casablanca_settat, [PersonFactory(
        sex="F", birth_year=1970, region=casablanca_settat)], title="Projet C")
    client = client_as(casablanca_officer)
    select = reverse("incubation:selection_select_top", kwargs={"pk": call.pk})

    page = client.get(reverse("incubation:selection", kwargs={"pk": call.pk})).content.decode()
    assert page.index("Projet A") < page.index("Projet C") < page.index("Projet B")

    client.post(select, {"application": [young_woman.pk, man.pk]})  # not what was shown
    assert not Application.objects.filter(status="selected").exists()

    client.post(select, {"application": [young_woman.pk, woman.pk]})
    assert set(Application.objects.filter(status="selected")) == {young_woman, woman}
    assert Project.objects.count() == 2
    assert AuditEntry.objects.filter(action="incubation.application.decided").count() == 2


def test_the_application_page_shows_its_points_and_holders(client_as, application, coach):
    page = client_as(coach).get(reverse("incubation:application_detail",
                                        kwargs={"pk": application.pk})).content.decode()
    assert "Salma Idrissi" in page and "Hamid Sbai" in page
    assert 'id="application-points"' in page and 'id="decision-form"' in page
    assert application.holders.get(lead=True).person.phone not in page  # no phone shown


@pytest.fixture(autouse=True)
def _in_english(settings):
    """The messages are checked in English, the catalogues' source."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
