"""Numbers, codes and lists in the reader's language and direction: in an Arabic
(right-to-left) page a phone number, a national ID or an amount is still written left to
right, in inputs and in values shown; lists take the Arabic comma; decimals and
durations follow the language."""

import io
import re
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation
from pypdf import PdfReader

from essor.core import numbers, pdf
from essor.core.forms import CodeInput, PhoneInput
from essor.core.testing import requires_pango
from essor.promotion.forms import EventForm
from essor.registry.forms import OrganisationForm, PersonForm
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

LTR = '<bdi dir="ltr" class="ltr'


def render(source: str, language: str = "fr", **context) -> str:
    with translation.override(language):
        return Template("{% load essor %}" + source).render(Context(context))


def input_tag(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    return match.group(0)


# -- helpers ----------------------------------------------------------------------------------

def test_join_list_uses_the_arabic_comma_in_arabic():
    assert numbers.join_list(["الشرق", "سوس ماسة"], "ar") == "الشرق، سوس ماسة"
    assert "\u060c" in numbers.join_list(["a", "b"], "ar")


def test_join_list_uses_a_latin_comma_in_french_and_english():
    assert numbers.join_list(["Oriental", "Souss-Massa", "Fès-Meknès"], "fr") == (
        "Oriental, Souss-Massa, Fès-Meknès")
    assert numbers.join_list(["a", "b"], "en") == "a, b"


def test_join_list_follows_the_active_language_and_leaves_out_empty_items():
    with translation.override("ar"):
        assert numbers.join_list(["أ", "", None, "ب"]) == "أ، ب"
    with translation.override("fr"):
        assert numbers.join_list(["a", "", "b"]) == "a, b"


@pytest.mark.parametrize(("value", "language", "shown"), [
    (Decimal("2.5"), "fr", "2,5"),
    (Decimal("2.5"), "ar", "2.5"),
    (Decimal("2.5"), "en", "2.5"),
    (Decimal("2.0"), "fr", "2"),
    (1234.5, "fr", "1.234,5"),
    (1234.5, "ar", "1,234.5"),
    ("3.14159", "fr", "3,14"),
    (0, "fr", "0"),
    (Decimal("-0.001"), "fr", "0"),
])
def test_decimals_follow_the_language(value, language, shown):
    assert numbers.format_decimal(value, language=language) == shown


def test_decimal_places_and_empty_values():
    assert numbers.format_decimal("4.25", places=1, language="fr") == "4,3"
    assert numbers.format_decimal(None) == ""
    assert numbers.format_decimal("") == ""
    assert numbers.format_decimal("not a number") == ""


def test_durations_follow_the_language():
    assert numbers.format_duration(Decimal("2.5"), "fr") == "2,5 h"
    assert numbers.format_duration(Decimal("2.5"), "en") == "2.5 h"
    arabic = numbers.format_duration(Decimal("2.5"), "ar")
    assert "2.5" in arabic and "2,5" not in arabic and " h" not in arabic
    assert numbers.format_duration(None, "fr") == ""


# -- filters ----------------------------------------------------------------------------------

def test_number_and_percent_are_isolated_left_to_right_and_unbroken():
    html = render("{{ n|number }} {{ s|percent }}", "ar", n=3231, s=0.605)

    assert '<bdi dir="ltr" class="ltr nowrap">3,231</bdi>' in html
    assert '<bdi dir="ltr" class="ltr nowrap">60.5%</bdi>' in html
    assert render("{{ n|number }}", "fr", n=3231) == (
        '<bdi dir="ltr" class="ltr nowrap">3.231</bdi>')


def test_empty_values_stay_empty_so_that_default_still_applies():
    html = render('{{ n|number|default:"—" }}|{{ s|percent|default:"—" }}|'
                  '{{ p|phone|default:"—" }}|{{ p|masked|default:"—" }}|'
                  '{{ p|ltr|default:"—" }}|{{ p|isolate|default:"—" }}|'
                  '{{ n|decimal|default:"—" }}|{{ n|duration|default:"—" }}',
                  n=None, s=None, p="")
    assert html == "—|—|—|—|—|—|—|—"


def test_a_zero_is_shown():
    assert render("{{ n|number }}", n=0) == '<bdi dir="ltr" class="ltr nowrap">0</bdi>'


def test_phone_and_masked_are_written_left_to_right():
    html = render("{{ p|phone }} / {{ p|masked }} / {{ id|masked }}", "ar",
                  p="06 12 34 56 78", id="AB123456")

    assert '<bdi dir="ltr" class="ltr nowrap">0612 34 56 78</bdi>' in html
    assert '<bdi dir="ltr" class="ltr nowrap masked">06 •• •• •• 78</bdi>' in html
    assert '<bdi dir="ltr" class="ltr nowrap masked">AB••••56</bdi>' in html


def test_filters_escape_what_they_wrap():
    html = render("{{ v|ltr }} {{ v|isolate }} {{ items|join_list }}",
                  v="<script>", items=["<b>", "x"])

    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;" in html


def test_join_list_filter_isolates_each_item_and_takes_the_arabic_comma():
    assert render("{{ items|join_list }}", "ar", items=["Casablanca", "الرباط"]) == (
        "<bdi>Casablanca</bdi>، <bdi>الرباط</bdi>")
    assert render("{{ items|join_list }}", "fr", items=["Oriental", "Souss-Massa"]) == (
        "<bdi>Oriental</bdi>, <bdi>Souss-Massa</bdi>")


def test_decimal_and_duration_filters_follow_the_language():
    assert render("{{ v|decimal:1 }}", "fr", v=4.25) == (
        '<bdi dir="ltr" class="ltr nowrap">4,3</bdi>')
    assert render("{{ v|decimal }}", "ar", v=Decimal("1234.5")) == (
        '<bdi dir="ltr" class="ltr nowrap">1,234.5</bdi>')
    french = render("{{ v|duration }}", "fr", v=Decimal("2.5"))
    assert french == ('<span class="nowrap"><bdi dir="ltr" class="ltr nowrap">2,5</bdi> h'
                      '</span>')
    # In Arabic only the number is left to right: the unit follows in the page's direction.
    arabic = render("{{ v|duration }}", "ar", v=Decimal("2.5"))
    assert '<bdi dir="ltr" class="ltr nowrap">2.5</bdi>' in arabic
    assert not arabic.startswith('<bdi dir="ltr"')


# -- inputs -----------------------------------------------------------------------------------

def test_the_person_form_writes_phone_and_national_id_left_to_right(national_admin):
    with translation.override("ar"):
        html = PersonForm(user=national_admin).as_div()

    assert 'dir="ltr"' in input_tag(html, "phone")
    assert 'type="tel"' in input_tag(html, "phone")
    assert 'dir="ltr"' in input_tag(html, "national_id")
    assert 'dir="ltr"' in input_tag(html, "birth_year")  # a number
    # Names keep the page's direction; the Arabic ones are right to left in any page.
    assert "dir=" not in input_tag(html, "first_name")
    assert 'dir="rtl"' in input_tag(html, "first_name_ar")


def test_the_organisation_form_writes_identifiers_left_to_right(national_admin):
    html = OrganisationForm(user=national_admin).as_div()

    for name in ("ice", "registration_number", "email", "phone", "founding_year",
                 "members_women"):
        assert 'dir="ltr"' in input_tag(html, name), name
    assert "dir=" not in input_tag(html, "name")
    assert "dir=" not in input_tag(html, "city")
    assert 'dir="rtl"' in input_tag(html, "name_ar")


def test_codes_and_dates_of_the_event_form_are_left_to_right(national_admin):
    html = EventForm(user=national_admin).as_div()

    for name in ("code", "start_date", "end_date", "application_deadline", "stands"):
        assert 'dir="ltr"' in input_tag(html, name), name
    assert "dir=" not in input_tag(html, "title")


def test_every_form_gets_the_rule_from_the_renderer():
    class Any(forms.Form):
        mail = forms.EmailField()
        amount = forms.DecimalField()
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        secret = forms.CharField(widget=forms.PasswordInput)
        code = forms.SlugField()
        cin = forms.CharField(widget=CodeInput)
        phone = forms.CharField(widget=PhoneInput)
        name = forms.CharField()
        name_ar = forms.CharField(widget=forms.TextInput(attrs={"dir": "rtl"}))
        email_ar = forms.EmailField(widget=forms.EmailInput(attrs={"dir": "auto"}))

    html = Any().as_div()
    for name in ("mail", "amount", "day", "secret", "code", "cin", "phone"):
        assert 'dir="ltr"' in input_tag(html, name), name
    assert "dir=" not in input_tag(html, "name")
    assert 'dir="rtl"' in input_tag(html, "name_ar")
    # A direction given by the form is kept.
    assert 'dir="auto"' in input_tag(html, "email_ar")
    assert 'dir="ltr"' not in input_tag(html, "email_ar")
    # A field rendered on its own (not through the form's layout) gets it too.
    assert 'dir="ltr"' in str(Any()["phone"])


# -- pages ------------------------------------------------------------------------------------

def _arabic(client):
    client.post("/i18n/setlang/", {"language": "ar"})
    return client


def test_the_arabic_person_form_page_has_a_left_to_right_phone_field(client_as,
                                                                     national_admin):
    html = _arabic(client_as(national_admin)).get("/registry/people/new/").content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert 'dir="ltr"' in input_tag(html, "phone")
    assert 'dir="ltr"' in input_tag(html, "national_id")


def test_a_person_table_writes_phone_and_national_id_left_to_right(client_as,
                                                                  casablanca_officer,
                                                                  casablanca_settat):
    PersonFactory(region=casablanca_settat, phone="06 12 34 56 78", national_id="AB123456")

    html = _arabic(client_as(casablanca_officer)).get("/registry/people/").content.decode()

    table = html[html.index('id="person-table"'):]
    assert '<bdi dir="ltr" class="ltr nowrap">0612 34 56 78</bdi>' in table
    assert '<bdi dir="ltr" class="ltr nowrap masked">AB••••56</bdi>' in table


def test_a_person_page_writes_the_national_id_left_to_right(client_as, national_admin):
    person = PersonFactory(national_id="AB123456", first_name_ar="فاطمة",
                           last_name_ar="العلوي")

    html = _arabic(client_as(national_admin)).get(
        f"/registry/people/{person.pk}/").content.decode()

    national_id = html[html.index('id="national-id"'):]
    assert national_id.startswith('id="national-id"><bdi dir="ltr" class="ltr">AB123456</bdi>')
    assert '<bdi dir="ltr" class="ltr nowrap">' in html[html.index('id="person-phone"'):]


def test_an_organisation_page_writes_ice_email_and_phone_left_to_right(client_as,
                                                                     national_admin):
    organisation = OrganisationFactory(ice="001234567000089", email="contact@nour.ma",
                                       phone="05 22 11 22 33", name_ar="تعاونية النور")

    html = _arabic(client_as(national_admin)).get(
        f"/registry/organisations/{organisation.pk}/").content.decode()

    assert '<bdi dir="ltr" class="ltr">001234567000089</bdi>' in html
    contact = html[html.index('id="organisation-contact"'):]
    assert contact.startswith('id="organisation-contact"><bdi dir="ltr" class="ltr">'
                              "contact@nour.ma</bdi>")
    assert '<bdi dir="ltr" class="ltr nowrap">0522 11 22 33</bdi>' in contact
    # The name is isolated from the text around it (its own letters give its direction).
    assert "<bdi>تعاونية النور</bdi>" in html


# -- PDF --------------------------------------------------------------------------------------

def _arabic_pdf_text(body: str) -> str:
    html = (f'<html lang="ar" dir="rtl"><head><style>body {{ font-family: {pdf.SANS}; }}'
            f"</style></head><body>{body}</body></html>")
    content = pdf.html_to_pdf(html)
    return PdfReader(io.BytesIO(content)).pages[0].extract_text()


@requires_pango
def test_a_phone_in_an_arabic_pdf_reads_in_order():
    filtered = render("<p>الهاتف: {{ p|ltr }}</p><p>الرقم: {{ p|phone }}</p>"
                      "<p>البطاقة: {{ id|ltr }}</p>", "ar",
                      p="06 12 34 56 78", id="AB 123456")
    plain = "<p>الهاتف: 06 12 34 56 78</p>"

    # The text is read back in the order the glyphs are laid on the page.
    text = _arabic_pdf_text(filtered)
    assert "06 12 34 56 78" in text
    assert "0612 34 56 78" in text
    assert "AB 123456" in text
    # Without the filter the same phone is mirrored: what the filters prevent.
    assert "78 56 34 12 06" in _arabic_pdf_text(plain)


def test_an_arabic_event_page_writes_its_code_left_to_right_and_its_place_as_arabic_does(
        client_as, casablanca_officer):
    from essor.promotion.tests.factories import EventFactory

    event = EventFactory(code="MI-MA06-2025-03")

    html = _arabic(client_as(casablanca_officer)).get(
        f"/promotion/events/{event.pk}/").content.decode()

    assert '<bdi dir="ltr" class="ltr">MI-MA06-2025-03</bdi>' in html
    place = re.search(r'bi-geo-alt" aria-hidden="true"></i> (.*?)</span>', html).group(1)
    assert "، " in place and ", " not in place
    assert place.endswith("<bdi>الدار البيضاء-سطات</bdi>")


def test_amounts_and_counts_of_an_exhibitor_follow_the_language(client_as,
                                                                organisation_account,
                                                                member_org):
    from essor.promotion.models import Event
    from essor.promotion.tests.factories import EventFactory, ParticipationFactory

    event = EventFactory(status=Event.Status.HELD)
    ParticipationFactory(event=event, organisation=member_org, status="attended",
                         sales_mad=Decimal("12345.50"), visitors=1200)

    client = client_as(organisation_account)
    french = client.get(f"/promotion/events/{event.pk}/").content.decode()
    arabic = _arabic(client).get(f"/promotion/events/{event.pk}/").content.decode()

    assert '<bdi dir="ltr" class="ltr nowrap">12.345,5</bdi>' in french
    assert '<bdi dir="ltr" class="ltr nowrap">1.200</bdi>' in french
    assert '<bdi dir="ltr" class="ltr nowrap">12,345.5</bdi>' in arabic
    assert '<bdi dir="ltr" class="ltr nowrap">1,200</bdi>' in arabic
