"""Attendance certificates (one A4 landscape page per attendee, French or Arabic, with a
verification code and a QR code) and the public verification page."""

import io
import os
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from essor.audit.models import AuditEntry
from essor.core.testing import embedded_fonts, repository_font_ids, requires_pango
from essor.registry.tests.factories import PersonFactory
from essor.training.models import Enrolment

from .factories import EnrolmentFactory, WorkshopFactory

pytestmark = [pytest.mark.django_db, requires_pango]

A4_LANDSCAPE = (841.89, 595.28)  # points


@pytest.fixture
def workshop(casablanca_settat):
    return WorkshopFactory(region=casablanca_settat, code="AT-MA06-2025-SET-01",
                           title="Tenue de la comptabilité d'une coopérative",
                           title_ar="مسك محاسبة التعاونية", city="Settat",
                           venue="Maison des jeunes", trainer_name="Latifa Bennani",
                           status="held")


@pytest.fixture
def zineb(workshop):
    person = PersonFactory(first_name="Zineb", last_name="Kabbaj", first_name_ar="زينب",
                           last_name_ar="القباج", phone="0661234567", national_id="BK654321",
                           birth_year=1987, region=workshop.region)
    return EnrolmentFactory(workshop=workshop, person=person, attended=True)


@pytest.fixture
def absent(workshop):
    person = PersonFactory(first_name="Nadia", last_name="Alaoui", region=workshop.region)
    return EnrolmentFactory(workshop=workshop, person=person, attended=False)


def _pdf(response) -> PdfReader:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    if os.environ.get("CERTIFICATE_DUMP"):  # to look at them: pdftoppm -png -r 60
        folder = Path(os.environ["CERTIFICATE_DUMP"])
        folder.mkdir(exist_ok=True)
        name = response["Content-Disposition"].split('"')[1]
        (folder / name).write_bytes(response.content)
    return PdfReader(io.BytesIO(response.content))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _squeezed(text: str) -> str:
    return "".join(text.split())


def test_an_attendee_certificate_in_french(client_as, casablanca_officer, zineb):
    client = client_as(casablanca_officer)
    reader = _pdf(client.get(reverse("training:certificate", args=[zineb.pk]) + "?lang=fr"))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = _text(reader)
    assert "Zineb Kabbaj" in text
    code = zineb.certificate_code
    assert f"{code[:5]}-{code[5:]}" in text
    assert code in _squeezed(text).replace("-", "")  # the address under the QR code
    assert "Tenue de la comptabilité" in text
    assert "Latifa Bennani" in text and "Settat" in text
    assert "0661234567" not in text and "BK654321" not in text
    entry = AuditEntry.objects.get(action="training.certificate.downloaded")
    assert entry.actor == casablanca_officer and entry.changes == {"language": "fr"}


def test_the_certificate_in_arabic_keeps_both_names(client_as, casablanca_officer, zineb):
    client = client_as(casablanca_officer)
    response = client.get(reverse("training:certificate", args=[zineb.pk]) + "?lang=ar")
    reader = _pdf(response)
    assert len(reader.pages) == 1
    text = _text(reader)
    assert "Zineb Kabbaj" in text
    assert zineb.certificate_code[:5] in text
    # Set in the repository's Noto Naskh Arabic and Noto Sans, whatever the machine has.
    fonts = embedded_fonts(response.content)
    assert {"Noto-Naskh-Arabic", "Noto-Sans"} <= fonts.keys(), fonts
    assert set().union(*fonts.values()) <= repository_font_ids()


def test_default_language_is_the_readers(client_as, casablanca_officer, zineb):
    client = client_as(casablanca_officer)
    response = client.get(reverse("training:certificate", args=[zineb.pk]),
                          HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-ar.pdf"')
    response = client.get(reverse("training:certificate", args=[zineb.pk]),
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Disposition"].endswith('-fr.pdf"')


@pytest.mark.parametrize("lang", ["xx", "AR", "arabic", "fr-ca", " ar", "en"])
def test_an_unknown_certificate_language_is_not_found(client_as, casablanca_officer, zineb,
                                                       lang):
    client = client_as(casablanca_officer)
    url = reverse("training:certificate", args=[zineb.pk])
    assert client.get(url, {"lang": lang}).status_code == 404
    workshop_url = reverse("training:certificates", args=[zineb.workshop_id])
    assert client.get(workshop_url, {"lang": lang}).status_code == 404
    assert not AuditEntry.objects.filter(action__startswith="training.certificate").exists()


def test_staff_pick_the_language_on_the_attendee_row(client_as, casablanca_officer, zineb,
                                                      absent):
    page = client_as(casablanca_officer).get(
        reverse("training:enrolment_list", args=[zineb.workshop_id]),
        HTTP_ACCEPT_LANGUAGE="en").content.decode()
    url = reverse("training:certificate", args=[zineb.pk])
    assert f'href="{url}?lang=fr"' in page and f'href="{url}?lang=ar"' in page
    assert "Certificate (FR)" in page and "شهادة (AR)" in page
    # Nobody else's row offers one: the absent attendee has no certificate.
    absent_url = reverse("training:certificate", args=[absent.pk])
    assert absent_url not in page
    # Both links give a PDF in the language they name.
    client = client_as(casablanca_officer)
    for lang in ("fr", "ar"):
        response = client.get(f"{url}?lang={lang}")
        assert response["Content-Disposition"].endswith(f'-{lang}.pdf"')


def test_the_workshop_offers_every_certificate_in_both_languages(client_as,
                                                                 casablanca_officer, zineb):
    page = client_as(casablanca_officer).get(
        reverse("training:workshop_detail", args=[zineb.workshop_id])).content.decode()
    url = reverse("training:certificates", args=[zineb.workshop_id])
    assert f'href="{url}?lang=fr"' in page and f'href="{url}?lang=ar"' in page


def test_the_qr_code_holds_the_verification_address(rf, zineb, settings):
    settings.ALLOWED_HOSTS = ["essor.example.ma"]
    from essor.training import certificates

    request = rf.get("/", HTTP_HOST="essor.example.ma")
    html = certificates.render_html(request, zineb.workshop, [zineb], "fr")
    url = f"http://essor.example.ma/training/verify/{zineb.certificate_code}/"
    assert certificates.verify_url(request, zineb) == url
    assert "data:image/svg+xml" in html and url in html
    # Nothing to fetch: every src is a data URI.
    assert 'src="data:' in html and 'src="http' not in html


def test_all_certificates_one_page_per_attendee(client_as, casablanca_officer, workshop, zineb,
                                               absent):
    others = [EnrolmentFactory(workshop=workshop, attended=True) for _ in range(2)]
    client = client_as(casablanca_officer)
    reader = _pdf(client.get(reverse("training:certificates", args=[workshop.pk])))
    assert len(reader.pages) == 3
    text = _text(reader)
    for enrolment in [zineb, *others]:
        assert enrolment.person.full_name in text
    assert "Nadia Alaoui" not in text
    assert AuditEntry.objects.filter(action="training.certificates.downloaded").get(
    ).changes["certificates"] == 3


def test_no_certificate_for_a_non_attendee(client_as, casablanca_officer, workshop, absent):
    client = client_as(casablanca_officer)
    assert client.get(reverse("training:certificate", args=[absent.pk])).status_code == 404
    # Nobody attended: no certificates at all.
    assert client.get(reverse("training:certificates", args=[workshop.pk])).status_code == 404
    waiting = EnrolmentFactory(workshop=workshop, status=Enrolment.Status.WAITLISTED)
    assert client.get(reverse("training:certificate", args=[waiting.pk])).status_code == 404


def test_scoping(client_as, oriental_officer, trainer, coach, workshop, zineb, oriental):
    for user in (oriental_officer, trainer, coach):
        client = client_as(user)
        assert client.get(reverse("training:certificate", args=[zineb.pk])).status_code == 404
        assert client.get(reverse("training:certificates",
                                  args=[workshop.pk])).status_code == 404
    # The trainer prints the certificates of their own workshops.
    own = WorkshopFactory(region=oriental, trainer=trainer, status="held")
    mine = EnrolmentFactory(workshop=own, attended=True)
    client = client_as(trainer)
    assert client.get(reverse("training:certificate", args=[mine.pk])).status_code == 200
    assert client.get(reverse("training:certificates", args=[own.pk])).status_code == 200


def test_anonymous_is_sent_to_login(client, zineb):
    response = client.get(reverse("training:certificate", args=[zineb.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


# -- the public verification page ---------------------------------------------------------

def test_verification_of_a_valid_code(client, zineb):
    response = client.get(reverse("training:verify_code", args=[zineb.certificate_code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-state="valid"' in page
    assert "Zineb Kabbaj" in page and "القباج" in page
    assert "Tenue de la comptabilité" in page and "Settat" in page
    # Nothing else about the person.
    for private in ("0661234567", "06 61", "BK654321", "1987"):
        assert private not in page


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "{dashed}", "{spaced}",
                                   " {lower_dashed} "])
def test_codes_are_accepted_as_people_type_them(client, zineb, typed):
    code = zineb.certificate_code
    value = typed.format(code=code, lower=code.lower(), dashed=f"{code[:5]}-{code[5:]}",
                         spaced=f"{code[:3]} {code[3:6]} {code[6:]}",
                         lower_dashed=f"{code[:5].lower()}-{code[5:].lower()}")
    response = client.get(reverse("training:verify"), {"code": value}, follow=True)
    assert response.status_code == 200
    assert 'data-state="valid"' in response.content.decode()


def test_a_pasted_verification_address_works(client, zineb):
    url = "https://essor.example.ma" + reverse("training:verify_code",
                                               args=[zineb.certificate_code])
    response = client.get(reverse("training:verify"), {"code": url}, follow=True)
    assert 'data-state="valid"' in response.content.decode()


def test_an_unknown_code_is_a_clear_404(client, zineb):
    response = client.get(reverse("training:verify_code", args=["ZZZZZ99999"]))
    assert response.status_code == 404
    assert 'id="unknown"' in response.content.decode()
    response = client.get(reverse("training:verify"), {"code": "<script>"})
    assert response.status_code == 404
    assert "<script>" not in response.content.decode().split("<main")[-1]


def test_a_non_attendee_code_is_unknown(client, absent):
    response = client.get(reverse("training:verify_code", args=[absent.certificate_code]))
    assert response.status_code == 404


def test_the_empty_verification_page(client):
    response = client.get(reverse("training:verify"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


@pytest.mark.parametrize(("hours", "arabic"), [("2", "2 ساعتان"), ("3", "3 ساعات"),
                                                ("12", "12 ساعة")])
def test_the_duration_takes_the_arabic_plural_of_its_number(hours, arabic):
    from decimal import Decimal

    from django.utils import translation

    from essor.training.certificates import duration
    from essor.training.models import Workshop

    with translation.override("ar"):
        assert duration(Workshop(duration_hours=Decimal(hours))) == arabic
