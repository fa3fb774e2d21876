"""The observatories' staff pages: who reads which, publishing datasets and notes through
the services (audited, refused values named, nothing typed lost), the regional profile."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from essor.audit.models import AuditEntry
from essor.observatory import services
from essor.observatory.compute import values
from essor.observatory.models import Dataset, Observatory, ObservatoryNote
from essor.territory.models import Region

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def observatories(oriental, casablanca_settat, analyst):
    east = Observatory.objects.create(code="oriental", name_fr="Observatoire de l'Oriental",
                                      name_ar="مرصد الشرق")
    east.regions.set([oriental])
    east.analysts.set([analyst])
    casa = Observatory.objects.create(code="casablanca-settat",
                                      name_fr="Observatoire de Casablanca-Settat",
                                      name_ar="مرصد الدار البيضاء سطات")
    casa.regions.set([casablanca_settat])
    return {"oriental": east, "casablanca": casa}


def test_each_reader_lists_the_observatories_of_their_regions(
        observatories, client_as, national_admin, oriental_officer, analyst):
    url = reverse("observatory:observatory_list")
    for user, expected in ((national_admin, {"oriental", "casablanca-settat"}),
                           (oriental_officer, {"oriental"}), (analyst, {"oriental"})):
        listed = client_as(user).get(url).context["observatories"]
        assert {o.code for o in listed} == expected


def test_the_observatorys_analyst_publishes_a_dataset_audited(observatories, client_as,
                                                              analyst):
    client = client_as(analyst)
    response = client.post(reverse("observatory:dataset_new", args=["oriental"]), {
        "indicator_code": "training.beneficiaries", "breakdowns": "sex, age_band"})
    assert response.status_code == 302
    dataset = Dataset.objects.get(observatory=observatories["oriental"])
    assert (dataset.by, dataset.published) == (("sex", "age_band"), False)
    client.post(reverse("observatory:dataset_publish", args=["oriental", dataset.pk]),
                {"published": "1"})
    dataset.refresh_from_db()
    assert dataset.published and dataset.published_at
    actions = list(AuditEntry.objects.filter(object_id=str(dataset.pk)).values_list(
        "action", "actor__username"))
    assert ("observatory.dataset_created", analyst.username) in actions
    assert ("observatory.dataset_published", analyst.username) in actions
    # another observatory's dataset: not found
    casa = Dataset.objects.create(observatory=observatories["casablanca"],
                                  indicator_code="training.beneficiaries")
    response = client.post(reverse("observatory:dataset_publish",
                                   args=["casablanca-settat", casa.pk]), {"published": "1"})
    assert response.status_code == 404
    response = client.post(reverse("observatory:dataset_publish",
                                   args=["oriental", casa.pk]), {"published": "1"})
    assert response.status_code == 404
    casa.refresh_from_db()
    assert not casa.published


@pytest.mark.parametrize(("data", "named"), [
    ({"indicator_code": "training.beneficiaries", "breakdowns": "colour"}, "colour"),
    ({"indicator_code": "training.workshops", "breakdowns": "sex"}, "sex"),
    ({"indicator_code": "training.beneficiaries", "breakdowns": "sex,region,theme"},
     "theme"),
    ({"indicator_code": "training.beneficiaries", "period_start": "2025-03-01",
      "period_end": "2025-01-01"}, "2025-01-01"),
])
def test_a_refused_dataset_is_named_and_what_was_typed_is_kept(observatories, client_as,
                                                               analyst, data, named):
    data = {"title_fr": "Bénéficiaires de l'Oriental", **data}
    response = client_as(analyst).post(
        reverse("observatory:dataset_new", args=["oriental"]), data, **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert named in body
    assert "Bénéficiaires de l&#x27;Oriental" in body
    assert not Dataset.objects.exists()


def test_an_officer_reads_the_observatory_but_publishes_nothing(
        observatories, client_as, oriental_officer):
    client = client_as(oriental_officer)
    response = client.get(reverse("observatory:observatory_detail", args=["oriental"]))
    assert response.status_code == 200
    assert response.context["dataset_form"] is None
    with pytest.raises(PermissionDenied):
        services.dataset_create(observatory=observatories["oriental"],
                                indicator_code="training.beneficiaries",
                                by=oriental_officer)
    response = client.post(reverse("observatory:note_new", args=["oriental"]),
                           {"title": "t", "body": "b", "language": "fr"})
    assert response.status_code == 403
    assert not ObservatoryNote.objects.exists()


def test_notes_are_written_then_published(observatories, analyst):
    with pytest.raises(ValidationError) as refused:
        services.note_create(observatory=observatories["oriental"], title=" ", body="x",
                             by=analyst)
    assert "title" in refused.value.message_dict
    note = services.note_create(observatory=observatories["oriental"], title="Méthode",
                                body="Des personnes distinctes.", language="fr", by=analyst)
    assert not note.published and note.author == analyst
    services.note_publish(note, published=True, by=analyst)
    note.refresh_from_db()
    assert note.published
    assert AuditEntry.objects.filter(action="observatory.note_published",
                                     object_id=str(note.pk)).exists()


def test_the_regional_profile_sets_the_region_against_morocco(
        records, observatories, client_as, national_admin):
    response = client_as(national_admin).get(
        reverse("observatory:region_profile", args=["MA-02"]), **EN)
    assert response.status_code == 200
    profile = response.context["profile"]
    line = next(x for x in profile["lines"]
                if x.region.indicator.code == "training.beneficiaries")
    assert line.region.total == values("training.beneficiaries", region="MA-02").total == 3
    assert line.national.total == values("training.beneficiaries").total == 4
    assert line.part == 3 / 4
    oriental = Region.objects.get(code="MA-02")
    assert line.region_per == pytest.approx(3 * 100_000 / oriental.population)
    total = sum(r.population for r in Region.objects.all())
    assert profile["population_share"] == oriental.population / total
    assert [o.code for o in profile["observatories"]] == ["oriental"]


def test_another_regions_profile_is_not_found(client_as, oriental_officer, analyst):
    for user in (oriental_officer, analyst):
        url = reverse("observatory:region_profile", args=["MA-06"])
        assert client_as(user).get(url).status_code == 404
    assert client_as(oriental_officer).get(
        reverse("observatory:region_profile", args=["MA-99"])).status_code == 404


def test_a_publication_that_would_undo_suppression_is_refused(client_as, analyst, oriental):
    """Beside the tables by sex and by disability already out, a sex by disability table
    would hide their margins to protect 2 women with a disability: the files already
    downloaded would give them back. Refused, naming the tables."""
    from essor.observatory.tests.test_opendata import _members

    _members(oriental, {("F", True): 2, ("F", False): 12, ("M", True): 6})
    east = Observatory.objects.create(code="oriental", name_fr="Oriental", name_ar="الشرق")
    east.regions.set([oriental])
    east.analysts.set([analyst])
    for by in ("disability", "sex"):
        services.dataset_publish(services.dataset_create(
            observatory=east, indicator_code="registry.members", breakdowns=by, by=analyst),
            published=True, by=analyst)
    both = services.dataset_create(observatory=east, indicator_code="registry.members",
                                   breakdowns="sex,disability", by=analyst)
    response = client_as(analyst).post(
        reverse("observatory:dataset_publish", args=["oriental", both.pk]),
        {"published": "1"}, follow=True, **EN)
    both.refresh_from_db()
    assert not both.published
    body = response.content.decode()
    assert "registry.members (sex)" in body and "registry.members (disability)" in body
    # another breakdown that hides nothing already out is published
    kinds = services.dataset_create(observatory=east, indicator_code="registry.members",
                                    breakdowns="organisation_kind", by=analyst)
    assert services.dataset_publish(kinds, published=True, by=analyst).published


def test_the_national_admin_sets_an_observatory_up_in_the_back_office_audited(
        client_as, national_admin, oriental, analyst):
    response = client_as(national_admin).post("/admin/observatory/observatory/add/", {
        "code": "oriental", "name_fr": "Observatoire de l'Oriental", "name_ar": "مرصد الشرق",
        "regions": [oriental.pk], "analysts": [analyst.pk], "description_fr": "",
        "description_ar": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    observatory = Observatory.objects.get(code="oriental")
    assert list(observatory.analysts.all()) == [analyst]
    entry = AuditEntry.objects.get(action="observatory.observatory_saved")
    assert entry.changes["regions"] == ["MA-02"] and entry.changes["analysts"] == [
        analyst.username]


def test_the_regional_profile_reads_the_census_once(records, client_as, national_admin,
                                                    django_assert_max_num_queries):
    """Ten figures per inhabitant from one read of the regions, not one per figure."""
    client = client_as(national_admin)
    url = reverse("observatory:region_profile", args=["MA-02"])
    client.get(url)
    with django_assert_max_num_queries(12):  # session, user, region, cache, census, page
        assert client.get(url).status_code == 200
