"""The public application form of a call for projects: no account, one or several
holders matched to the registry, a readable reference, the e-mail confirmation, the
throttle, and bad input refused by name with what was typed kept."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from essor.audit.models import AuditEntry
from essor.incubation import calls
from essor.incubation.models import Application, Call
from essor.incubation.views import public
from essor.registry.models import Person
from essor.registry.tests.factories import PersonFactory
from essor.territory.models import Province, Region

from .factories import CallFactory, IncubatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """The test client, its posts' after-commit work (the confirmation e-mail) done."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


@pytest.fixture
def call(casablanca_settat):
    today = timezone.localdate()
    incubator = IncubatorFactory(region=casablanca_settat, code="cira-ess",
                                 name="CIRA-ESS Ain Chock", name_ar="مركز الاحتضان عين الشق")
    return CallFactory(incubator=incubator, code="cira-ess-2026-1",
                       title="Appel à projets CIRA-ESS 2026",
                       title_ar="طلب مشاريع مركز الاحتضان 2026", status=Call.Status.PUBLISHED,
                       opens_on=today - datetime.timedelta(days=5),
                       closes_on=today + datetime.timedelta(days=25), places=10)


def holder(region, **values):
    return {"first_name": "Khadija", "last_name": "Ouazzani", "sex": "F", "birth_year": "1997",
            "region": str(region.pk) if region else "", "phone": "", **values}


def form_data(region, holders, *, lead=0, **project):
    data = {"title": "Coopérative de couture Hay Mohammadi",
            "summary": "Atelier de couture solidaire pour les femmes du quartier.",
            "sector": "textile", "region": str(region.pk), "province": "",
            "email": "khadija.ouazzani@essor.invalid", "lead": str(lead),
            "holders-TOTAL_FORMS": str(len(holders)), "holders-INITIAL_FORMS": "0",
            "holders-MIN_NUM_FORMS": "1", "holders-MAX_NUM_FORMS": "5", **project}
    for index, values in enumerate(holders):
        for name, value in values.items():
            if name == "disability":
                if value:
                    data[f"holders-{index}-disability"] = "on"
            else:
                data[f"holders-{index}-{name}"] = value
    return data


def url(call):
    return reverse("incubation:public_call", kwargs={"code": call.code})


def test_the_open_calls_are_listed_for_anyone_and_drafts_are_not(client, call):
    CallFactory(incubator=call.incubator, code="brouillon", title="Brouillon interne",
                status=Call.Status.DRAFT, opens_on=call.opens_on, closes_on=call.closes_on)
    page = client.get(reverse("incubation:public_calls")).content.decode()
    assert "Appel à projets CIRA-ESS 2026" in page
    assert "Brouillon interne" not in page
    assert client.get(reverse("incubation:public_call",
                              kwargs={"code": "brouillon"})).status_code == 404


def test_a_visitor_applies_with_two_holders_and_gets_a_reference_and_a_link(
        client, call, casablanca_settat, oriental):
    data = form_data(casablanca_settat, [
        holder(casablanca_settat, phone="06 61 23 45 67"),
        holder(oriental, first_name="Youssef", last_name="Amrani", sex="M",
               birth_year="1988", disability=True)], lead=1,
        province=str(Province.objects.get(code="MA-CAS").pk))

    response = client.post(url(call), data, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 302
    assert response["Location"] == reverse("incubation:public_application_sent")
    application = Application.objects.get()
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}", application.reference)
    assert application.call == call and application.email_confirmed_at is None
    assert application.province.code == "MA-CAS"
    holders = list(application.holders.select_related("person").order_by("pk"))
    assert [(h.person.full_name, h.lead) for h in holders] == [
        ("Khadija Ouazzani", False), ("Youssef Amrani", True)]
    assert holders[1].person.region == oriental and holders[1].person.disability
    assert holders[0].person.phone == "06 61 23 45 67"
    sent = client.get(response["Location"]).content.decode()
    assert application.reference in sent
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["khadija.ouazzani@essor.invalid"]
    assert application.reference in mail.outbox[0].subject
    assert "http://testserver/incubation/applications/confirm/" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="incubation.application.submitted")
    assert entry.changes == {"call": call.pk, "holders": 2, "matched": 0}
    assert entry.actor is None and entry.actor_name == "public"


def test_a_holder_already_in_the_registry_is_the_same_person(client, call, casablanca_settat):
    known = PersonFactory(first_name="Khadija", last_name="Ouazzani", sex="F",
                          birth_year=None, phone="06 61 23 45 67", region=casablanca_settat)
    people = Person.objects.count()

    client.post(url(call), form_data(casablanca_settat, [
        holder(casablanca_settat, first_name="KHADIJA", last_name="Ouazzani ",
               phone="+212 661 234 567")]))

    application = Application.objects.get()
    assert Person.objects.count() == people  # no duplicate
    assert application.holders.get().person == known
    known.refresh_from_db()
    assert known.birth_year is None  # a visitor does not edit the registry
    assert AuditEntry.objects.get(action="incubation.application.submitted").changes[
        "matched"] == 1


def test_a_namesake_without_phone_elsewhere_is_another_person(client, call, casablanca_settat,
                                                             oriental):
    PersonFactory(first_name="Khadija", last_name="Ouazzani", sex="F", birth_year=1997,
                  phone="", region=oriental)

    client.post(url(call), form_data(casablanca_settat, [holder(casablanca_settat)]))

    assert Person.objects.filter(last_name="Ouazzani").count() == 2


def test_the_same_person_twice_is_refused_by_name(client, call, casablanca_settat):
    response = client.post(url(call), form_data(casablanca_settat, [
        holder(casablanca_settat, phone="0661234567"),
        holder(casablanca_settat, phone="06 61 23 45 67")]))

    assert response.status_code == 200
    assert "are the same person" in response.content.decode()
    assert not Application.objects.exists()


FUTURE = str(timezone.localdate().year + 5)


@pytest.mark.parametrize(("typed", "message"), [
    (FUTURE, f"The birth year {FUTURE} is in the future."),
    ("19x4", "“19x4” is not a year: type four digits, e.g. 1994."),
    ("1890", "The birth year 1890 is not possible for a project holder"),
])
def test_a_bad_birth_year_is_named_and_what_was_typed_is_kept(client, call, casablanca_settat,
                                                              typed, message):
    response = client.post(url(call), form_data(casablanca_settat, [
        holder(casablanca_settat),
        holder(casablanca_settat, first_name="Meryem", last_name="Tazi", birth_year=typed)]))

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="Coopérative de couture Hay Mohammadi"' in page
    assert 'value="Meryem"' in page and 'value="Khadija"' in page
    assert f'value="{typed}"' in page
    assert not Application.objects.exists()


def test_a_bad_phone_email_and_province_are_named(client, call, casablanca_settat):
    response = client.post(url(call), form_data(
        casablanca_settat, [holder(casablanca_settat, phone="12345")], email="khadija@",
        province=str(Province.objects.get(code="MA-OUJ").pk)))

    page = response.content.decode()
    assert "12345" in page and "is not a phone number" in page
    assert "khadija@" in page and "is not an e-mail address" in page
    assert "is not in the region" in page
    assert not Application.objects.exists()


def test_a_holder_is_added_and_removed_without_losing_what_was_typed(client, call,
                                                                     casablanca_settat):
    data = form_data(casablanca_settat, [holder(casablanca_settat)])
    added = client.post(url(call), {**data, "add_holder": "1"}).content.decode()

    assert added.count('class="border rounded p-2 p-sm-3 mb-3 holder"') == 2
    assert 'value="Khadija"' in added and 'value="Coopérative de couture Hay Mohammadi"' in added
    assert "invalid-feedback" not in added  # nothing checked yet
    assert 'name="holders-TOTAL_FORMS" value="2"' in added

    two = form_data(casablanca_settat, [holder(casablanca_settat),
                                        holder(casablanca_settat, first_name="Meryem")])
    removed = client.post(url(call), {**two, "remove_holder": "0"}).content.decode()
    assert removed.count('class="border rounded p-2 p-sm-3 mb-3 holder"') == 1
    assert 'value="Meryem"' in removed and 'value="Khadija"' not in removed


def test_a_blank_added_holder_is_left_out(client, call, casablanca_settat):
    data = form_data(casablanca_settat, [holder(casablanca_settat)])
    data["holders-TOTAL_FORMS"] = "2"

    assert client.post(url(call), data).status_code == 302
    assert Application.objects.get().holders.count() == 1


def test_no_holder_is_refused(client, call, casablanca_settat):
    response = client.post(url(call), form_data(casablanca_settat, [holder(
        None, first_name="", last_name="", sex="", birth_year="")]))

    assert response.status_code == 200
    assert "Name at least one holder of the project." in response.content.decode()
    assert not Application.objects.exists()


def test_too_many_applications_are_refused_with_what_was_typed_kept(client, call,
                                                                    casablanca_settat,
                                                                    monkeypatch):
    monkeypatch.setitem(public.APPLICATION_LIMITS, "per_email", 2)
    data = form_data(casablanca_settat, [holder(casablanca_settat)])
    for _n in range(2):
        assert client.post(url(call), data).status_code == 302

    response = client.post(url(call), data)

    page = response.content.decode()
    assert response.status_code == 429
    assert "Too many applications" in page and "khadija.ouazzani@essor.invalid" in page
    assert 'value="Coopérative de couture Hay Mohammadi"' in page
    assert Application.objects.count() == 2
    assert AuditEntry.objects.filter(action="incubation.application.throttled").exists()


def test_too_many_applications_from_one_address_are_refused(client, call, casablanca_settat,
                                                            monkeypatch):
    monkeypatch.setitem(public.APPLICATION_LIMITS, "per_client", 1)
    client.post(url(call), form_data(casablanca_settat, [holder(casablanca_settat)]))

    response = client.post(url(call), form_data(casablanca_settat, [holder(casablanca_settat)],
                                                email="autre@essor.invalid"))

    assert response.status_code == 429
    assert Application.objects.count() == 1


def test_a_closed_call_takes_no_application(client, call, casablanca_settat):
    today = timezone.localdate()
    Call.objects.filter(pk=call.pk).update(opens_on=today - datetime.timedelta(days=40),
                                           closes_on=today - datetime.timedelta(days=1))

    page = client.get(url(call)).content.decode()
    assert 'id="call-closed"' in page and 'id="application-form"' not in page

    response = client.post(url(call), form_data(casablanca_settat, [holder(casablanca_settat)]))
    assert response.status_code == 200
    assert "takes no more applications" in response.content.decode()
    assert not Application.objects.exists()


def test_the_service_refuses_a_closed_call_by_its_date(call, casablanca_settat):
    call.status = Call.Status.CLOSED
    call.save()
    with pytest.raises(Exception, match="takes no applications"):
        calls.application_submit(call=call, holders=[{}], title="x", summary="y",
                                 sector="crafts", region=casablanca_settat,
                                 email="a@essor.invalid")


def test_the_link_confirms_the_email_once(client, call, casablanca_settat):
    client.post(url(call), form_data(casablanca_settat, [holder(casablanca_settat)]))
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)

    response = client.get(link)

    application = Application.objects.get()
    assert response.status_code == 200 and application.reference in response.content.decode()
    assert application.email_confirmed_at is not None
    first = application.email_confirmed_at
    assert client.get(link).status_code == 200
    application.refresh_from_db()
    assert application.email_confirmed_at == first
    assert AuditEntry.objects.filter(action="incubation.application.confirmed").count() == 1


def test_a_tampered_or_expired_link_confirms_nothing(client, call, casablanca_settat,
                                                    monkeypatch):
    client.post(url(call), form_data(casablanca_settat, [holder(casablanca_settat)]))
    application = Application.objects.get()
    token = calls.confirmation_token(application)

    bad = client.get(reverse("incubation:public_confirm", kwargs={"token": token[:-2] + "xx"}))
    assert bad.status_code == 400 and "not valid" in bad.content.decode()

    monkeypatch.setattr(calls, "CONFIRM_DAYS", -1)
    expired = client.get(reverse("incubation:public_confirm", kwargs={"token": token}))
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    application.refresh_from_db()
    assert application.email_confirmed_at is None


def test_the_form_in_arabic_keeps_the_language_for_the_mail(client, call, casablanca_settat):
    page = client.get(url(call), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page and "طلب مشاريع مركز الاحتضان 2026" in page
    assert Region.objects.get(code="MA-06").name_ar in page

    client.post(url(call), form_data(casablanca_settat, [holder(casablanca_settat)]),
                HTTP_ACCEPT_LANGUAGE="ar")

    assert Application.objects.get().language == "ar"


def test_the_sent_page_without_an_application_goes_back_to_the_calls(client):
    response = client.get(reverse("incubation:public_application_sent"))
    assert response.status_code == 302
    assert response["Location"] == reverse("incubation:public_calls")


@pytest.fixture(autouse=True)
def _in_english(settings):
    """The messages are checked in English, the catalogues' source."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
