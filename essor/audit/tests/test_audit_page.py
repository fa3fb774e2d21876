"""The audit log as people read it: sentences, before/after tables, Morocco's time, filters,
links, and a CSV export that is itself audited."""

import csv
import datetime
import io
import re
from collections import defaultdict
from importlib import import_module
from pathlib import Path

import pytest
from django.utils import timezone

from essor.audit import actions
from essor.audit import services as audit
from essor.audit.models import AuditEntry
from essor.promotion import services as promotion
from essor.promotion.tests.factories import EventFactory, ParticipationFactory
from essor.registry import services as registry
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def at(when: datetime.datetime):
    """Record the next entries at a given UTC time."""

    class _At:
        def __enter__(self):
            self.saved = timezone.now
            timezone.now = lambda: when

        def __exit__(self, *exc):
            timezone.now = self.saved

    return _At()


def page(client, query=""):
    response = client.get(f"/audit/{query}")
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture
def admin_client(client_as, national_admin):
    national_admin.first_name, national_admin.last_name = "Karima", "Tazi"
    national_admin.save()
    client = client_as(national_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# -- every recorded code has a sentence -------------------------------------------------------


def _recorded_codes() -> set[str]:
    """The codes written as literals in ``audit.record(...)`` / ``audit.entry(...)`` calls
    (the first argument, also a ``"a" if x else "b"`` choice), in essor's source."""
    codes = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"audit\.(?:record|entry)\(\s*([^,]*),", source):
            first = match.group(1)
            if first.lstrip().startswith("f\""):
                continue  # export.* and import.*: enumerated below
            codes.update(re.findall(r"\"([a-z_]+(?:\.[a-z_]+)+)\"", first))
    return codes


def _export_and_import_codes() -> set[str]:
    from essor.core.exports import Exporter
    from essor.core.imports import REGISTRY, load_importers

    load_importers()
    for app in ("registry", "promotion", "training", "audit"):  # every exporter defined
        import_module(f"essor.{app}.exports")

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    exports = {f"export.{cls.filename}" for cls in subclasses(Exporter)
               if cls.__module__.startswith("essor.") and cls.filename != "audit"
               and "tests" not in cls.__module__ and getattr(cls, "audited", True)}
    return exports | {f"import.{kind}" for kind in REGISTRY}


def test_the_source_scan_finds_the_codes_it_should():
    codes = _recorded_codes()
    assert {"promotion.participation.checked_in", "training.attendance.marked",
            "registry.person.merged", "accounts.login_failed", "accounts.login_locked",
            "access.refused"} <= codes
    assert {"export.people", "import.attendance"} <= _export_and_import_codes()


def test_every_recorded_code_has_a_sentence():
    missing = (_recorded_codes() | _export_and_import_codes() | {"audit.exported"}) - set(
        actions.actions())
    assert not missing, f"audit codes with no sentence: {sorted(missing)}"


@pytest.mark.parametrize("changes", [{}, {"attended": True}, {"attended": [None, False]},
                                     {"outcome": "created"}, {"reason": "scope"}])
def test_every_sentence_is_a_valid_pattern(changes):
    for code, declared in actions.actions().items():
        for has_object in (True, False):
            sentence = str(declared.sentence_for(changes, has_object))
            filled = sentence % defaultdict(lambda: "X")
            assert "%" not in filled.replace("%%", ""), code
            assert "X" in filled, code  # it names someone or something


# -- sentences --------------------------------------------------------------------------------


def test_a_check_in_reads_as_a_sentence_with_the_actor_s_full_name(admin_client,
                                                                    national_admin):
    participation = ParticipationFactory(
        organisation=OrganisationFactory(name="Coopérative Nour"),
        event=EventFactory(title="Marché itinérant de Settat", status="held"))
    promotion.participation_check_in(participation=participation, by=national_admin)

    html = page(admin_client)

    assert "Karima Tazi checked in Coopérative Nour at Marché itinérant de Settat" in (
        text_of(html))
    assert "promotion.participation.checked_in" not in text_of(html)  # not the code
    assert "Exhibitor checked in" in html


def test_an_actor_without_a_full_name_is_named_by_their_user_name(client_as,
                                                                  casablanca_officer,
                                                                  national_admin):
    casablanca_officer.first_name = ""
    casablanca_officer.save()
    registry.organisation_create(by=casablanca_officer, name="Coopérative Atlas",
                                 kind="cooperative", region=casablanca_officer.regions.get())

    client = client_as(national_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = page(client)

    assert (f"{casablanca_officer.username} created the organisation Coopérative Atlas"
            in text_of(html))


def test_an_unknown_code_still_reads(admin_client, national_admin):
    audit.record("someapp.something.happened", PersonFactory(last_name="Zerouali"),
                 by=national_admin)

    html = text_of(page(admin_client))

    assert "Karima Tazi — someapp.something.happened:" in html
    assert "Zerouali" in html


def test_a_sentence_of_a_deleted_record_falls_back_to_its_stored_label(admin_client,
                                                                       national_admin):
    person = PersonFactory(first_name="Touda", last_name="Zerouali")
    organisation = OrganisationFactory(name="Coopérative Nour")
    membership = registry.membership_add(organisation=organisation, person=person,
                                         role="member", by=national_admin)
    registry.membership_remove(membership=membership, by=national_admin)

    html = text_of(page(admin_client))

    assert "Karima Tazi removed Touda Zerouali from Coopérative Nour" in html


def test_a_merged_record_is_named_by_its_stored_label_without_a_link(admin_client,
                                                                     national_admin):
    keep = PersonFactory(first_name="Touda", last_name="Zerouali", national_id="AB123456")
    drop = PersonFactory(first_name="Touda", last_name="Zeroualli", national_id="")
    registry.person_update(person=drop, by=national_admin, birth_year=1974)
    drop_pk = drop.pk
    registry.person_merge(keep=keep, drop=drop, by=national_admin)

    html = page(admin_client, f"?object_type=registry.person&object_id={drop_pk}")

    assert "Karima Tazi edited the record of Touda Zeroualli" in text_of(html)
    assert f'href="/registry/people/{drop_pk}/"' not in html


def test_values_are_escaped_in_sentences(admin_client, national_admin):
    registry.organisation_create(by=national_admin, name="<script>alert(1)</script>",
                                 kind="cooperative", region=PersonFactory().region)

    html = page(admin_client)

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# -- changes as a before/after table ----------------------------------------------------------


def test_an_edit_shows_each_field_before_and_after(admin_client, national_admin):
    person = PersonFactory(first_name="Fatima", birth_year=None, phone="06 12 34 56 78")
    registry.person_update(person=person, by=national_admin, birth_year=1990,
                           phone="0698765432", first_name="Fatiha")

    response = admin_client.get("/audit/?action=registry.person.updated")
    row = response.context["rows"][0]

    assert ("First name", "Fatima", "Fatiha") in row.changes
    assert ("Birth year", "—", "1990") in row.changes
    # phones and national IDs are never shown in clear in the log
    assert ("Phone", "06 •• •• •• 78", "06 •• •• •• 32") in row.changes
    assert "12" not in str(row.changes[2]) and "98" not in str(row.changes[2])
    html = response.content.decode()
    assert "06 12 34 56 78" not in html and "06 98 76 54 32" not in html
    assert "Before" in html and "After" in html
    assert '"first_name"' not in html  # no raw JSON


def test_choices_show_their_labels_and_merges_mask_national_ids(admin_client, national_admin):
    event = EventFactory(status="planned")
    promotion.event_set_status(event=event, status="open", by=national_admin)
    keep, drop = PersonFactory(), PersonFactory(national_id="CD987654")
    registry.person_merge(keep=keep, drop=drop, by=national_admin)

    html = text_of(page(admin_client))

    assert "from planned to open for applications" in html
    assert "CD987654" not in html
    assert "CD••••54" in html


def test_what_an_entry_stores_beside_a_records_fields_is_named_in_the_readers_language(
        admin_client, national_admin, partner):
    from django.test import Client

    refused = Client()
    refused.force_login(partner)
    refused.get("/audit/")  # refused, and audited with its address and reason
    admin_client.force_login(national_admin)

    changes = dict((name, after) for name, _before, after in
                   admin_client.get("/audit/?action=access.refused").context["rows"][0].changes)
    assert changes["Reason"] == "the role does not give access"
    assert changes["Page"] == "/audit/" and "Address (IP)" in changes
    french = admin_client.get("/audit/?action=access.refused", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Adresse (IP)" in text_of(french.content.decode())


def test_times_stored_in_a_change_read_in_morocco_s_time(admin_client, national_admin):
    audit.record("promotion.participation.updated", ParticipationFactory(), by=national_admin,
                 changes={"checked_in_at": [None, "2025-01-15T10:30:05.123+00:00"]})

    row = admin_client.get("/audit/").context["rows"][0]
    assert ("Checked in", "—", "2025-01-15 11:30:05 (UTC+01:00)") in row.changes


# -- times ------------------------------------------------------------------------------------


def test_times_are_morocco_s_with_the_zone_named(admin_client, national_admin):
    with at(datetime.datetime(2025, 1, 15, 10, 30, 5, tzinfo=datetime.UTC)):
        audit.record("registry.person.created", PersonFactory(), by=national_admin)
    with at(datetime.datetime(2025, 3, 10, 10, 30, 5, tzinfo=datetime.UTC)):  # Ramadan: UTC+0
        audit.record("registry.person.created", PersonFactory(), by=national_admin)

    html = page(admin_client)

    assert "2025-01-15 11:30:05 (UTC+01:00)" in html
    assert "2025-03-10 10:30:05 (UTC+00:00)" in html
    assert "Africa/Casablanca" in html


# -- filters ----------------------------------------------------------------------------------


@pytest.fixture
def three_entries(national_admin, casablanca_officer):
    """An organisation created on 15 January at 23:30 UTC (16 January in Morocco), a
    person on 10 January, a login on 20 January."""
    with at(datetime.datetime(2025, 1, 15, 23, 30, tzinfo=datetime.UTC)):
        organisation = registry.organisation_create(
            by=casablanca_officer, name="Coop Atlas", kind="cooperative",
            region=casablanca_officer.regions.get())
    with at(datetime.datetime(2025, 1, 10, 9, 0, tzinfo=datetime.UTC)):
        person = PersonFactory(last_name="Zerouali")
        audit.record("registry.person.created", person, by=national_admin)
    with at(datetime.datetime(2025, 1, 20, 9, 0, tzinfo=datetime.UTC)):
        audit.record("accounts.password_changed", casablanca_officer, by=casablanca_officer,
                     changes={"address": "192.0.2.7"})
    return organisation, person


def _shown(client, query) -> set[str]:
    rows = client.get(f"/audit/{query}").context["rows"]
    return {row.entry.action for row in rows} - {"accounts.login"}  # the test's own login


def test_the_date_filter_reads_dates_in_morocco(admin_client, three_entries):
    assert _shown(admin_client, "?date_from=2025-01-16") == {
        "registry.organisation.created", "accounts.password_changed"}
    assert _shown(admin_client, "?date_to=2025-01-15") == {"registry.person.created"}
    assert _shown(admin_client, "?date_from=2025-01-16&date_to=2025-01-16") == {
        "registry.organisation.created"}


def test_a_start_date_after_the_end_date_is_an_error_not_a_crash(admin_client, three_entries):
    html = page(admin_client, "?date_from=2025-01-20&date_to=2025-01-01")
    assert "The end date is before the start date." in html
    assert page(admin_client, "?date_from=not-a-date")


def test_the_actor_filter_takes_a_user_name_or_a_full_name(admin_client, three_entries,
                                                           casablanca_officer):
    assert _shown(admin_client, f"?actor={casablanca_officer.username[:10]}") == {
        "registry.organisation.created", "accounts.password_changed"}
    assert _shown(admin_client, "?actor=karima+tazi") == {"registry.person.created"}


def test_the_action_filter_is_a_select_of_readable_names(admin_client, three_entries):
    response = admin_client.get("/audit/?action=accounts.password_changed")

    assert {r.entry.action for r in response.context["rows"]} == {"accounts.password_changed"}
    html = response.content.decode()
    assert re.search(r'<option value="promotion.participation.checked_in"\s*>'
                     r"Exhibitor checked in</option>", html)
    assert re.search(r'<option value="accounts.password_changed"\s*selected\s*>'
                     r"Password changed</option>", html)


def test_the_object_filter_by_type_and_id(admin_client, three_entries):
    organisation, person = three_entries
    assert _shown(admin_client, "?object_type=registry.organisation") == {
        "registry.organisation.created"}
    assert _shown(admin_client, f"?object_type=registry.person&object_id={person.pk}") == {
        "registry.person.created"}
    assert _shown(admin_client, "?object_type=registry.person&object_id=999999") == set()


# -- links ------------------------------------------------------------------------------------


def test_each_record_links_to_its_page(admin_client, national_admin, three_entries):
    organisation, person = three_entries
    participation = ParticipationFactory()
    promotion.participation_check_in(participation=participation, by=national_admin)

    html = page(admin_client)

    assert f'href="/registry/organisations/{organisation.pk}/"' in html
    assert f'href="/registry/people/{person.pk}/"' in html
    assert f'href="/promotion/events/{participation.event_id}/participations/"' in html


# -- the page's queries -----------------------------------------------------------------------


def _entries(n, national_admin):
    for _ in range(n):
        person = PersonFactory()
        audit.record("registry.person.created", person, by=national_admin)
        audit.record("registry.organisation.created", OrganisationFactory(), by=national_admin)
        participation = ParticipationFactory(status="attended")
        audit.record("promotion.participation.checked_in", participation, by=national_admin)
        audit.record("training.enrolment.created", None, by=national_admin,
                     changes={"person": person.pk, "status": "enrolled"})
        audit.record("accounts.login", national_admin, by=national_admin)


@pytest.mark.parametrize("n", [2, 20])  # 10 and 100 entries: one page of 50 at most
def test_the_page_s_queries_do_not_grow_with_its_entries(admin_client, national_admin,
                                                         django_assert_num_queries, n):
    _entries(n, national_admin)
    admin_client.get("/audit/")  # the session's first read
    # session, user, the action select's codes, count, entries, then one query per
    # object type shown (people, organisations, participations, users)
    with django_assert_num_queries(9):
        assert admin_client.get("/audit/").status_code == 200


# -- export -----------------------------------------------------------------------------------


def test_the_csv_export_holds_the_filtered_entries_as_sentences(admin_client, national_admin,
                                                                 three_entries):
    registry.organisation_create(by=national_admin, name="=HYPERLINK(\"http://x\")",
                                 kind="cooperative", region=three_entries[0].region)

    response = admin_client.get("/audit/?format=csv&object_type=registry.organisation")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Time (Africa/Casablanca)"
    assert len(rows) == 3
    assert any("created the organisation Coop Atlas" in cell for cell in rows[2])
    assert "2025-01-16 00:30:00 (UTC+01:00)" in rows[2][0]
    assert all(not cell.startswith("=") for row in rows for cell in row)
    assert "'=HYPERLINK" in rows[1][6]


def test_an_export_of_the_log_is_itself_audited(admin_client, national_admin, three_entries):
    admin_client.get("/audit/?format=csv&actor=karima&action=registry.person.created")

    entry = AuditEntry.objects.get(action="audit.exported")
    assert entry.actor == national_admin
    assert entry.changes == {"format": "csv", "rows": 1, "filters": {"actor": "karima",
                                                                    "action": "registry.person.created"}}
    assert "Karima Tazi exported 1 entries of the audit log (csv)" in text_of(page(
        admin_client, "?action=audit.exported"))


def test_the_xlsx_export_opens(admin_client, three_entries):
    from openpyxl import load_workbook

    response = admin_client.get("/audit/?format=xlsx&object_type=registry.organisation")

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 2
    assert "created the organisation Coop Atlas" in sheet.cell(row=2, column=4).value


# -- who may read it --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["oriental_officer", "casablanca_officer", "trainer",
                                     "analyst", "organisation_account"])
def test_only_the_national_admin_reads_or_exports_the_log(client_as, request, persona):
    client = client_as(request.getfixturevalue(persona))

    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/?format=csv").status_code == 403
    assert not AuditEntry.objects.filter(action="audit.exported").exists()
