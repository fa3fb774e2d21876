"""The attendance sheet: ticks (audited), walk-ins matched by the duplicate rules, and
the paper sheet."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from essor.audit.models import AuditEntry
from essor.core.testing import embedded_fonts, repository_font_ids, requires_pango
from essor.registry.models import Membership, Person
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

from .factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def workshop(casablanca_settat):
    return WorkshopFactory(region=casablanca_settat, capacity=2)


def test_ticks_are_recorded_and_audited(client_as, casablanca_officer, workshop):
    enrolment = EnrolmentFactory(workshop=workshop)
    client = client_as(casablanca_officer)
    url = reverse("training:attendance", args=[workshop.pk])
    response = client.post(url, {"enrolment": enrolment.pk, "attended": "1"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.attended is True
    # htmx: the list comes back in place, unticked once confirmed.
    response = client.post(url, {"enrolment": enrolment.pk, "attended": "0", "confirm": "1"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="attendance-rows"' in response.content.decode()
    assert "<html" not in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.attended is False
    assert AuditEntry.objects.filter(action="training.attendance.marked").count() == 2


def test_a_waitlisted_person_who_came_is_ticked(client_as, casablanca_officer, workshop):
    for _ in range(2):
        EnrolmentFactory(workshop=workshop)
    waiting = EnrolmentFactory(workshop=workshop, status="waitlisted")
    client = client_as(casablanca_officer)
    page = client.get(reverse("training:attendance", args=[workshop.pk])).content.decode()
    assert waiting.person.local_name in page and "waiting list" in page
    client.post(reverse("training:attendance", args=[workshop.pk]),
                {"enrolment": waiting.pk, "attended": "1"})
    waiting.refresh_from_db()
    assert (waiting.attended, waiting.status) == (True, "enrolled")


def test_a_walk_in_is_matched_by_national_id(client_as, casablanca_officer, workshop,
                                             casablanca_settat):
    known = PersonFactory(region=casablanca_settat, first_name="Fatima", last_name="Zahra",
                          national_id="BK123456")
    before = Person.objects.count()
    response = client_as(casablanca_officer).post(
        reverse("training:walk_in", args=[workshop.pk]),
        {"first_name": "Fatima", "last_name": "Zahra", "sex": "F",
         "national_id": " bk 123 456 "}, follow=True)
    assert "Already registered" in response.content.decode()
    assert Person.objects.count() == before
    enrolment = workshop.enrolments.get()
    assert (enrolment.person, enrolment.attended, enrolment.source) == (known, True, "walk_in")


def test_a_new_walk_in_is_registered(client_as, casablanca_officer, workshop):
    response = client_as(casablanca_officer).post(
        reverse("training:walk_in", args=[workshop.pk]),
        {"first_name": "Rachid", "last_name": "Tazi", "sex": "M", "phone": "0661234567"},
        follow=True)
    assert "New person" in response.content.decode()
    assert workshop.enrolments.get(attended=True).person.last_name == "Tazi"


def test_after_the_date_the_page_says_ticks_can_be_entered(client_as, casablanca_officer,
                                                           workshop):
    page = client_as(casablanca_officer).get(
        reverse("training:attendance", args=[workshop.pk])).content.decode()
    assert 'id="afterwards"' in page  # the factory's workshop was in 2025


@requires_pango
def test_the_paper_sheet_lists_the_names(client_as, casablanca_officer, workshop):
    names = [EnrolmentFactory(workshop=workshop, person__first_name=first,
                              person__last_name="Berrada").person
             for first in ("Houda", "Karim")]
    response = client_as(casablanca_officer).get(
        reverse("training:attendance_sheet_pdf", args=[workshop.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for person in names:
        assert person.first_name in text
    assert workshop.title in text
    assert set().union(*embedded_fonts(response.content).values()) <= repository_font_ids()


# -- unticking asks first; every tick names the person --------------------------------------

@pytest.fixture
def nour(casablanca_settat):
    return OrganisationFactory(name="Coopérative Nour", name_ar="تعاونية النور",
                               region=casablanca_settat)


@pytest.fixture
def touda(workshop, nour):
    """Touda Zerouali born 1974, of Coopérative Nour, ticked present."""
    person = PersonFactory(first_name="Touda", last_name="Zerouali", birth_year=1974,
                           first_name_ar="تودة", last_name_ar="الزروالي",
                           region=workshop.region, phone="0661000001")
    Membership.objects.create(person=person, organisation=nour)
    return EnrolmentFactory(workshop=workshop, person=person, attended=True)


@pytest.fixture
def young_touda(workshop, casablanca_settat):
    """Her namesake born 2004, of another organisation, not ticked yet."""
    person = PersonFactory(first_name="Touda", last_name="Zerouali", birth_year=2004,
                           region=workshop.region, phone="0661000002")
    org = OrganisationFactory(name="Association Amal Settat", kind="association",
                              region=casablanca_settat)
    Membership.objects.create(person=person, organisation=org)
    return EnrolmentFactory(workshop=workshop, person=person)


def _status(html: str) -> str:
    """The text of the status region swapped out of band by an htmx answer."""
    match = re.search(r'<div id="attendance-status" hx-swap-oob="innerHTML">(.*?)</div>\s*</div>'
                      r'|<div id="attendance-status" hx-swap-oob="innerHTML"></div>', html, re.S)
    assert match, html[:500]
    return re.sub(r"<[^>]+>", "", match.group(1) or "").strip()


def test_an_untick_asks_for_confirmation_first_with_htmx(client_as, casablanca_officer,
                                                         touda):
    client = client_as(casablanca_officer)
    url = reverse("training:attendance", args=[touda.workshop_id])
    response = client.post(url, {"enrolment": touda.pk, "attended": "0"},
                           HTTP_HX_REQUEST="true")
    html = response.content.decode()
    touda.refresh_from_db()
    assert touda.attended is True  # nothing written yet
    assert not AuditEntry.objects.filter(action="training.attendance.marked").exists()
    assert 'data-confirm="absent"' in html and f'id="confirm-{touda.pk}"' in html
    assert "Mark <bdi>Touda Zerouali (1974, Coopérative Nour)</bdi> absent?" in html
    assert 'name="confirm" value="1"' in html
    assert "confirm(" not in html  # no browser dialog
    # Confirmed: unticked, and the status region names her.
    response = client.post(url, {"enrolment": touda.pk, "attended": "0", "confirm": "1"},
                           HTTP_HX_REQUEST="true")
    touda.refresh_from_db()
    assert touda.attended is False
    assert _status(response.content.decode()) == (
        "Touda Zerouali (1974, Coopérative Nour) is marked absent.")
    assert 'data-confirm="absent"' not in response.content.decode()


def test_an_untick_asks_for_confirmation_first_without_javascript(client_as,
                                                                  casablanca_officer, touda):
    client = client_as(casablanca_officer)
    url = reverse("training:attendance", args=[touda.workshop_id])
    response = client.post(url, {"enrolment": touda.pk, "attended": "0", "q": "touda"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?q=touda&confirm={touda.pk}#enrolment-{touda.pk}"
    touda.refresh_from_db()
    assert touda.attended is True
    page = client.get(response["Location"]).content.decode()
    assert 'data-confirm="absent"' in page and "absent?" in page
    # Cancel goes back to the list, at her row; confirm unticks with a message.
    assert f'href="{url}?q=touda#enrolment-{touda.pk}"' in page
    response = client.post(url, {"enrolment": touda.pk, "attended": "0", "confirm": "1",
                                 "q": "touda"}, follow=True)
    touda.refresh_from_db()
    assert touda.attended is False
    assert "Touda Zerouali (1974, Coopérative Nour) is marked absent." in (
        response.content.decode())


def test_a_confirmation_is_only_asked_for_a_present_name(client_as, casablanca_officer,
                                                         young_touda):
    url = reverse("training:attendance", args=[young_touda.workshop_id])
    page = client_as(casablanca_officer).get(url, {"confirm": young_touda.pk}).content.decode()
    assert 'data-confirm="absent"' not in page


def test_every_tick_names_the_person(client_as, casablanca_officer, touda, young_touda):
    client = client_as(casablanca_officer)
    url = reverse("training:attendance", args=[touda.workshop_id])
    response = client.post(url, {"enrolment": young_touda.pk, "attended": "1"},
                           HTTP_HX_REQUEST="true")
    assert _status(response.content.decode()) == (
        "Touda Zerouali (2004, Association Amal Settat) is marked present.")
    young_touda.refresh_from_db()
    assert young_touda.attended is True
    # Without htmx: a message on the page the redirect leads to.
    client.post(url, {"enrolment": young_touda.pk, "attended": "0", "confirm": "1"})
    page = client.get(url).content.decode()
    assert "Touda Zerouali (2004, Association Amal Settat) is marked absent." in page


def test_a_search_says_how_many_names_match(client_as, casablanca_officer, touda,
                                            young_touda):
    response = client_as(casablanca_officer).get(
        reverse("training:attendance", args=[touda.workshop_id]), {"q": "zerouali"},
        HTTP_HX_REQUEST="true")
    assert _status(response.content.decode()) == "2 names match “zerouali”."


# -- namesakes, order, queries ------------------------------------------------------------

def test_namesakes_are_told_apart_on_the_sheet(client_as, casablanca_officer, touda,
                                               young_touda):
    client = client_as(casablanca_officer)
    url = reverse("training:attendance", args=[touda.workshop_id])
    for page in (client.get(url).content.decode(),  # the sheet
                 client.get(url, {"q": "touda"}, HTTP_HX_REQUEST="true").content.decode()):
        rows = {e.pk: _row(page, e.pk) for e in (touda, young_touda)}
        assert "1974" in rows[touda.pk] and "Coopérative Nour" in rows[touda.pk]
        assert "2004" in rows[young_touda.pk] and "Association Amal Settat" in rows[
            young_touda.pk]
        for row in rows.values():  # never a masked phone or national ID
            assert "•" not in row and "*" not in row and "0661" not in row


def _row(page: str, pk: int) -> str:
    start = page.index(f'id="enrolment-{pk}"')
    return page[start:page.index("</li>", start)]


def _order(page: str, enrolments) -> list:
    return sorted(enrolments, key=lambda e: page.index(f'id="enrolment-{e.pk}"'))


def test_the_sheet_sorts_by_the_name_in_the_readers_script(client, client_as,
                                                           casablanca_officer, workshop):
    # Latin order: Alaoui, Bennani, Chraibi, Tazi. Arabic order, letter by letter:
    # التازي, العلوي (alif, lam, then ta before ain), بناني, شرايبي.
    people = {
        "alaoui": ("Salma", "Alaoui", "سلمى", "العلوي"),
        "bennani": ("Amal", "Bennani", "أمل", "بناني"),
        "chraibi": ("Hind", "Chraibi", "هند", "شرايبي"),
        "tazi": ("Karima", "Tazi", "كريمة", "التازي"),
        "latin_only": ("Imane", "Doukkali", "", ""),
    }
    enrolments = {key: EnrolmentFactory(workshop=workshop, person=PersonFactory(
        first_name=first, last_name=last, first_name_ar=first_ar, last_name_ar=last_ar,
        region=workshop.region)) for key, (first, last, first_ar, last_ar) in people.items()}
    client = client_as(casablanca_officer)
    url = reverse("training:attendance", args=[workshop.pk])
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert _order(french, enrolments.values()) == [
        enrolments[k] for k in ("alaoui", "bennani", "chraibi", "latin_only", "tazi")]
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    # A name with no Arabic spelling keeps its Latin one (Latin letters come first).
    assert _order(arabic, enrolments.values()) == [
        enrolments[k] for k in ("latin_only", "tazi", "alaoui", "bennani", "chraibi")]
    # The name in the reader's script comes first on the row.
    row = _row(arabic, enrolments["alaoui"].pk)
    assert row.index("سلمى العلوي") < row.index("Salma Alaoui")
    row = _row(french, enrolments["alaoui"].pk)
    assert row.index("Salma Alaoui") < row.index("سلمى العلوي")


def test_the_sort_ignores_case_and_accents(workshop):
    from django.utils import translation

    from essor.training import selectors

    names = ["élise", "Eddahbi", "zahra", "Amrani", "ébrahim"]
    for name in names:
        EnrolmentFactory(workshop=workshop, person=PersonFactory(
            first_name="X", last_name=name, region=workshop.region))
    with translation.override("fr"):
        order = [e.person.last_name for e in selectors.attendance_sheet(workshop=workshop)]
    assert order == ["Amrani", "ébrahim", "Eddahbi", "élise", "zahra"]


def _sheet_queries(client, workshop, n: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(n):
        enrolment = EnrolmentFactory(workshop=workshop, attended=True)
        Membership.objects.create(person=enrolment.person, organisation=OrganisationFactory(
            region=workshop.region))
    url = reverse("training:attendance", args=[workshop.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("data-details") == n
    return len(queries)


def test_the_sheet_takes_the_same_queries_for_3_or_30_names(client_as, casablanca_officer,
                                                            casablanca_settat):
    client = client_as(casablanca_officer)
    client.get(reverse("core:home"))  # the session's first load is not the sheet's
    few = _sheet_queries(client, WorkshopFactory(region=casablanca_settat), 3)
    many = _sheet_queries(client, WorkshopFactory(region=casablanca_settat), 30)
    # session, user, regions, workshop, names, their organisations, counters
    assert few == many == 7


# -- a walk-in's error: back at the form, focused, with a summary at the top ---------------

def _input(page: str, field_id: str) -> str:
    match = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', page)
    assert match, field_id
    return match.group(0)


def test_a_walk_in_error_returns_to_the_form_filled_and_focused(client_as,
                                                                casablanca_officer, workshop):
    for _ in range(60):
        EnrolmentFactory(workshop=workshop)
    workshop.capacity = 60
    workshop.save()
    url = reverse("training:walk_in", args=[workshop.pk])
    response = client_as(casablanca_officer).post(
        url, {"first_name": "", "last_name": "Ouali", "sex": "M", "phone": "0670112233"})
    assert response.status_code == 200
    page = response.content.decode()
    assert not workshop.enrolments.filter(source="walk_in").exists()
    # The form comes back open (and its address names no element: that would cancel
    # the autofocus below).
    assert f'action="{url}"' in page
    assert re.search(r'<details[^>]*id="walk-in"[^>]* open>', page)
    # The summary comes first on the page, an alert linking to the wrong field.
    summary = page.index('id="walk-in-errors"')
    assert summary < page.index('id="attendance-rows"')
    assert 'role="alert" id="walk-in-errors"' in page
    assert '<a class="alert-link" href="#id_first_name">First name: This field is required.' in page
    # The wrong field is focused; what was typed is there.
    assert "autofocus" in _input(page, "id_first_name")
    assert 'value="Ouali"' in _input(page, "id_last_name")
    assert 'value="0670112233"' in _input(page, "id_phone")
    assert "checked" in _input(page, "id_sex_1")
    assert page.count("autofocus") == 1


def test_the_first_wrong_field_is_focused(client_as, casablanca_officer, workshop):
    page = client_as(casablanca_officer).post(
        reverse("training:walk_in", args=[workshop.pk]),
        {"first_name": "Hassan", "last_name": "Ouali", "phone": "12"}).content.decode()
    # Sex (a radio group) comes before the phone: its first button is focused and linked.
    assert "autofocus" in _input(page, "id_sex_0")
    assert "autofocus" not in _input(page, "id_phone")
    assert 'href="#id_sex_0"' in page and 'href="#id_phone"' in page
    assert 'value="Hassan"' in _input(page, "id_first_name")


def test_a_refused_walk_in_is_summarised_with_the_services_message(client_as, trainer,
                                                                   oriental, casablanca_settat):
    workshop = WorkshopFactory(region=oriental, trainer=trainer)
    PersonFactory(region=casablanca_settat, first_name="Fatima", last_name="Zahra",
                  phone="0661999999")
    page = client_as(trainer).post(
        reverse("training:walk_in", args=[workshop.pk]),
        {"first_name": "Fatima", "last_name": "Zahra", "sex": "F",
         "phone": "0661999999"}).content.decode()
    assert 'id="walk-in-errors"' in page
    assert 'href="#walk-in">This person is already registered in another region.' in page
    assert "autofocus" in _input(page, "id_first_name")


# -- the paper sheet in the reader's language ------------------------------------------------

@pytest.fixture
def namesakes_on_paper(workshop, touda, young_touda, casablanca_settat):
    """Touda (1974, Nour), Touda (2004, Amal) and Salma Alaoui / سلمى العلوي, enrolled."""
    salma = EnrolmentFactory(workshop=workshop, person=PersonFactory(
        first_name="Salma", last_name="Alaoui", first_name_ar="سلمى", last_name_ar="العلوي",
        birth_year=1990, region=casablanca_settat))
    return {"touda": touda, "young_touda": young_touda, "salma": salma}


def _sheet(client, workshop, **params):
    response = client.get(reverse("training:attendance_sheet_pdf", args=[workshop.pk]), params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return response


def _chunks(content: bytes) -> list[tuple[str, float]]:
    """The first page's text pieces with their horizontal position."""
    chunks: list[tuple[str, float]] = []
    page = PdfReader(io.BytesIO(content)).pages[0]
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: chunks.append(
        (text.strip(), tm[4] * cm[0] + cm[4])) if text.strip() else None)
    return chunks


def _x(chunks, text: str) -> float:
    return next(x for t, x in chunks if t.startswith(text))


@requires_pango
def test_the_paper_sheet_in_french(client_as, casablanca_officer, workshop,
                                   namesakes_on_paper):
    response = _sheet(client_as(casablanca_officer), workshop, lang="fr")
    assert response["Content-Disposition"].endswith(f'attendance-{workshop.code}-fr.pdf"')
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    # Every heading in both languages; the French first.
    for french, arabic in (("Nom", "الاسم"), ("Année de naissance", "سنة الازدياد"),
                           ("Signature", "التوقيع"), ("Feuille de présence", "ورقة الحضور")):
        assert f"{french} {arabic}" in text or f"{french} · {arabic}" in text
    # Sorted by the Latin name; namesakes told apart by birth year and organisation.
    lines = [line for line in text.splitlines() if line[:1].isdigit() and "Alaoui" in line
             or "Zerouali" in line]
    assert lines == ["1 Salma Alaoui سلمى العلوي 1990",
                     "2 Touda Zerouali تودة الزروالي 1974 Coopérative Nour",
                     "3 Touda Zerouali 2004 Association Amal Settat"]
    # Left to right: the number column at the left of the names.
    chunks = _chunks(response.content)
    assert _x(chunks, "#") < _x(chunks, "Année") < _x(chunks, "Signature")
    assert set().union(*embedded_fonts(response.content).values()) <= repository_font_ids()


@requires_pango
def test_the_paper_sheet_in_arabic(client_as, casablanca_officer, workshop,
                                   namesakes_on_paper):
    response = _sheet(client_as(casablanca_officer), workshop, lang="ar")
    assert response["Content-Disposition"].endswith(f'attendance-{workshop.code}-ar.pdf"')
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert text.index("ورشة التدبير التعاوني") < text.index(workshop.title)  # Arabic first
    for arabic, french in (("الاسم", "Nom"), ("سنة الازدياد", "Année de naissance"),
                           ("التوقيع", "Signature")):
        assert f"{arabic} {french}" in text
    # Sorted by the Arabic name (a Latin-only name first), shown first in Arabic, with
    # the organisation's Arabic name.
    assert (text.index("Touda Zerouali2004") < text.index("تودة الزروالي")
            < text.index("سلمى العلوي"))
    assert text.index("تودة الزروالي") < text.index("Touda Zerouali\n1974")
    assert "1974تعاونية النور" in text and "Association Amal Settat" in text
    # Right to left: the number column at the right of the names.
    chunks = _chunks(response.content)
    assert _x(chunks, "#") > _x(chunks, "Signature")
    fonts = embedded_fonts(response.content)
    assert {"Noto-Naskh-Arabic", "Noto-Sans"} <= fonts.keys(), fonts
    audit = AuditEntry.objects.get(action="training.attendance_sheet.printed")
    assert audit.changes == {"names": 3, "language": "ar"}


@requires_pango
def test_the_paper_sheet_follows_the_readers_language(client_as, casablanca_officer,
                                                      workshop):
    client = client_as(casablanca_officer)
    url = reverse("training:attendance_sheet_pdf", args=[workshop.pk])
    for accept, lang in (("ar", "ar"), ("fr", "fr"), ("en", "fr")):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=accept)
        assert response["Content-Disposition"].endswith(f'-{lang}.pdf"'), accept
    for wrong in ("xx", "AR", "en", "fr,ar"):
        assert client.get(url, {"lang": wrong}).status_code == 404
    page = client.get(reverse("training:attendance", args=[workshop.pk])).content.decode()
    assert f'href="{url}?lang=fr"' in page and f'href="{url}?lang=ar"' in page
