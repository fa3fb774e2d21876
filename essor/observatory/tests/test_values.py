"""Collected values: the workflow, the lock, the audited un-validation, comments, region
scoping (pages included) and their computation by the catalogue."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from essor.audit.models import AuditEntry
from essor.observatory import collected
from essor.observatory.compute import values
from essor.observatory.models import CollectedValue

from .values_fixtures import *  # noqa: F403 (fixtures and helpers)
from .values_fixtures import COOPERATIVES, MEMBERS, YEAR_END, YEAR_START, create, make_value

V = CollectedValue.Status


# -- computation ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_only_validated_values_count_summed_per_breakdown_cell(oriental, casablanca_settat,
                                                              oriental_observatory,
                                                              casablanca_observatory):
    o, c = oriental_observatory, casablanca_observatory
    make_value(o, oriental, 12, cells={"sector": "crafts"}, status=V.VALIDATED)
    make_value(o, oriental, 30, cells={"sector": "agriculture"}, status=V.VALIDATED)
    make_value(o, oriental, 99, cells={"sector": "tourism"}, status=V.SUBMITTED)
    make_value(o, oriental, 77, cells={"sector": "housing"})  # a draft
    make_value(c, casablanca_settat, 5, cells={"sector": "crafts"}, status=V.VALIDATED)

    result = values(COOPERATIVES, by=("sector",))
    assert result.rows == [{"sector": "agriculture", "value": 30},
                           {"sector": "crafts", "value": 17}]
    assert result.total == 47 and result.additive
    assert values(COOPERATIVES).total == 47
    assert values(COOPERATIVES, region="MA-02", by="sector").total == 42
    assert values(COOPERATIVES, region="MA-06").rows == []
    assert values(COOPERATIVES, region="MA-06").total == 5


@pytest.mark.django_db
def test_the_total_cell_is_the_total_when_entered(oriental, oriental_observatory):
    o = oriental_observatory
    make_value(o, oriental, 12, cells={"sector": "crafts"}, status=V.VALIDATED)
    make_value(o, oriental, 30, cells={"sector": "agriculture"}, status=V.VALIDATED)
    assert values(COOPERATIVES).total == 42  # the sum of the rows
    make_value(o, oriental, 50, status=V.VALIDATED)  # the census's total (8 unclassified)
    assert values(COOPERATIVES).total == 50
    assert values(COOPERATIVES, by="sector").total == 50
    assert sum(r["value"] for r in values(COOPERATIVES, by="sector").rows) == 42


@pytest.mark.django_db
def test_two_breakdowns_and_margins_from_the_finest_cells(oriental, oriental_observatory):
    o = oriental_observatory
    for sector, sex, value in (("crafts", "F", 40), ("crafts", "M", 10),
                               ("agriculture", "F", 25), ("agriculture", "M", 75)):
        make_value(o, oriental, value, indicator=MEMBERS,
                   cells={"sector": sector, "sex": sex}, status=V.VALIDATED)
    both = values(MEMBERS, by=("sector", "sex"))
    assert {(r["sector"], r["sex"]): r["value"] for r in both.rows} == {
        ("crafts", "F"): 40, ("crafts", "M"): 10, ("agriculture", "F"): 25,
        ("agriculture", "M"): 75}
    assert both.total == 150
    assert values(MEMBERS, by="sex").rows == [{"sex": "F", "value": 65},
                                              {"sex": "M", "value": 85}]
    # A margin entered for itself is read as it is, not double counted.
    make_value(o, oriental, 66, indicator=MEMBERS, cells={"sex": "F"}, status=V.VALIDATED)
    make_value(o, oriental, 85, indicator=MEMBERS, cells={"sex": "M"}, status=V.VALIDATED)
    assert values(MEMBERS, by="sex").rows == [{"sex": "F", "value": 66},
                                              {"sex": "M", "value": 85}]
    assert values(MEMBERS, by="sector").total == 150
    # The drill-down's cells: women only.
    assert values(MEMBERS, by="sector", where={"sex": "F"}).rows == [
        {"sector": "agriculture", "value": 25}, {"sector": "crafts", "value": 40}]


@pytest.mark.django_db
def test_a_total_without_its_breakdown_is_an_unknown_row(oriental, casablanca_settat,
                                                        oriental_observatory,
                                                        casablanca_observatory):
    make_value(oriental_observatory, oriental, 12, cells={"sector": "crafts"},
               status=V.VALIDATED)
    make_value(casablanca_observatory, casablanca_settat, 20, status=V.VALIDATED)
    result = values(COOPERATIVES, by="sector")
    assert result.rows == [{"sector": "crafts", "value": 12},
                           {"sector": "unknown", "value": 20}]
    assert result.total == 32


@pytest.mark.django_db
def test_the_period_and_the_users_regions(oriental, casablanca_settat, oriental_observatory,
                                          casablanca_observatory, analyst):
    make_value(oriental_observatory, oriental, 12, status=V.VALIDATED)
    make_value(oriental_observatory, oriental, 7, status=V.VALIDATED,
               start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31))
    make_value(casablanca_observatory, casablanca_settat, 20, status=V.VALIDATED)
    assert values(COOPERATIVES, date_from=YEAR_START, date_to=YEAR_END).total == 32
    assert values(COOPERATIVES, date_from=datetime.date(2024, 1, 1),
                  date_to=datetime.date(2024, 12, 31)).total == 7
    # A period reaching beyond the one asked is not within it.
    assert values(COOPERATIVES, date_from=datetime.date(2025, 6, 1)).total == 0
    assert values(COOPERATIVES, user=analyst).total == 19


@pytest.mark.django_db
def test_figures_move_when_a_value_is_validated_or_unvalidated(oriental, national_admin,
                                                               analyst, oriental_observatory):
    value = create(oriental_observatory, oriental, 12, analyst, cells={"sector": "crafts"})
    assert values(COOPERATIVES).total == 0
    collected.value_submit(value=value, by=analyst)
    collected.value_validate(value=value, by=national_admin)
    assert values(COOPERATIVES).total == 12  # the cache moved with the validation
    collected.value_unvalidate(value=value, reason="Recount in Berkane", by=national_admin)
    assert values(COOPERATIVES).total == 0


@pytest.mark.django_db
def test_one_query_for_a_breakdown(oriental, oriental_observatory, django_assert_num_queries):
    for sector in ("crafts", "agriculture", "tourism"):
        make_value(oriental_observatory, oriental, 3, cells={"sector": sector},
                   status=V.VALIDATED)
    with django_assert_num_queries(1):
        values(COOPERATIVES, by="sector")


# -- the workflow --------------------------------------------------------------------------

def _actions(value):
    return list(AuditEntry.objects.filter(object_id=str(value.pk),
                                          object_type="observatory.collectedvalue")
                .order_by("pk").values_list("action", flat=True))


@pytest.mark.django_db
def test_draft_submitted_validated_and_each_step_audited(oriental, analyst, national_admin,
                                                         oriental_observatory):
    value = create(oriental_observatory, oriental, 12, analyst, cells={"sector": "crafts"},
                   source="Recensement 2025")
    assert value.status == V.DRAFT and value.entered_by == analyst
    value = collected.value_update(value=value, data={"value": Decimal(13)}, by=analyst)
    assert value.value == 13
    with pytest.raises(PermissionDenied):  # the analyst does not validate
        collected.value_validate(value=value, by=analyst)
    with pytest.raises(ValidationError):  # a draft is submitted first
        collected.value_validate(value=value, by=national_admin)
    value = collected.value_submit(value=value, by=analyst)
    assert value.status == V.SUBMITTED and value.submitted_at
    with pytest.raises(ValidationError):  # submitted: sent back before any change
        collected.value_update(value=value, data={"value": Decimal(14)}, by=analyst)
    value = collected.value_send_back(value=value, reason="Sector totals disagree",
                                      by=national_admin)
    assert value.status == V.DRAFT
    collected.value_submit(value=value, by=analyst)
    value = collected.value_validate(value=value, by=national_admin)
    assert value.status == V.VALIDATED and value.validated_by == national_admin
    assert _actions(value) == [
        "observatory.value.created", "observatory.value.updated",
        "observatory.value.submitted", "observatory.value.sent_back",
        "observatory.value.submitted", "observatory.value.validated"]
    assert [c.body for c in value.comments.all()] == ["Sector totals disagree"]


@pytest.mark.django_db
def test_a_validated_value_is_locked_until_an_audited_unvalidation(oriental, analyst,
                                                                   national_admin,
                                                                   oriental_observatory):
    value = make_value(oriental_observatory, oriental, 12, status=V.VALIDATED)
    with translation_en(), pytest.raises(ValidationError) as refused:
        collected.value_update(value=value, data={"value": Decimal(99)}, by=national_admin)
    assert "validated and locked" in str(refused.value)
    assert "observatory.census_cooperatives · MA-02" in str(refused.value)  # named
    with pytest.raises(ValidationError):
        collected.value_delete(value=value, by=national_admin)
    with pytest.raises(PermissionDenied):
        collected.value_unvalidate(value=value, reason="typo", by=analyst)
    with pytest.raises(ValidationError):  # a reason is required
        collected.value_unvalidate(value=value, reason="  ", by=national_admin)
    value.refresh_from_db()
    assert value.value == 12 and value.status == V.VALIDATED
    value = collected.value_unvalidate(value=value, reason="Recount in Berkane",
                                       by=national_admin)
    assert value.status == V.DRAFT and value.validated_by is None
    entry = AuditEntry.objects.get(action="observatory.value.unvalidated")
    assert entry.actor == national_admin
    assert entry.changes == {"status": ["validated", "draft"],
                             "reason": "Recount in Berkane"}
    collected.value_update(value=value, data={"value": Decimal(99)}, by=analyst)


@pytest.mark.django_db
def test_entry_is_checked(oriental, casablanca_settat, analyst, oriental_officer,
                          oriental_observatory):
    o = oriental_observatory
    with pytest.raises(PermissionDenied):  # an officer reads values, enters none
        create(o, oriental, 1, oriental_officer)
    with pytest.raises(ValidationError):  # not a region of the observatory
        create(o, casablanca_settat, 1, analyst)
    with pytest.raises(ValidationError):  # not a breakdown of the indicator
        create(o, oriental, 1, analyst, cells={"sex": "F"})
    with pytest.raises(ValidationError):  # not a code of the breakdown
        create(o, oriental, 1, analyst, cells={"sector": "mining"})
    with pytest.raises(ValidationError):  # computed, not collected
        create(o, oriental, 1, analyst, indicator_code="training.beneficiaries")
    create(o, oriental, 1, analyst, cells={"sector": "crafts"})
    with translation_en(), pytest.raises(ValidationError) as twice:
        create(o, oriental, 2, analyst, cells={"sector": "crafts"})
    assert "already entered" in str(twice.value)
    from essor.territory.models import Province

    oujda = Province.objects.filter(region=oriental).first()
    with pytest.raises(ValidationError):  # the region is entered for itself already
        create(o, oriental, 2, analyst, cells={"sector": "textile"}, province=oujda)


@pytest.mark.django_db
def test_comments(oriental, analyst, oriental_officer, casablanca_officer,
                  oriental_observatory):
    value = make_value(oriental_observatory, oriental, 12, status=V.VALIDATED)
    collected.value_comment(value=value, body="Chiffre provisoire.", by=analyst)
    collected.value_comment(value=value, body="Vu.", by=oriental_officer)
    with pytest.raises(PermissionDenied):
        collected.value_comment(value=value, body="?", by=casablanca_officer)
    assert [c.body for c in collected.comment_list(value)] == ["Chiffre provisoire.", "Vu."]


# -- the pages -----------------------------------------------------------------------------

def translation_en():
    from django.utils import translation

    return translation.override("en")


EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.django_db
def test_an_oriental_analyst_finds_nothing_of_casablanca_settat(
        client_as, analyst, casablanca_settat, casablanca_observatory, oriental_observatory,
        oriental):
    foreign = make_value(casablanca_observatory, casablanca_settat, 12)
    mine = make_value(oriental_observatory, oriental, 7)
    client = client_as(analyst)
    code = casablanca_observatory.code
    for url in (reverse("observatory:values", args=[code]),
                reverse("observatory:value_new", args=[code]),
                reverse("observatory:value_import", args=[code]),
                reverse("observatory:value_detail", args=[code, foreign.pk]),
                reverse("observatory:value_edit", args=[code, foreign.pk])):
        assert client.get(url).status_code == 404, url
    # Nor through its own observatory, nor by posting.
    assert client.get(reverse("observatory:value_detail", args=[
        oriental_observatory.code, foreign.pk])).status_code == 404
    for step in ("value_submit", "value_delete", "value_comment"):
        assert client.post(reverse(f"observatory:{step}", args=[code, foreign.pk]),
                           {"body": "x"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == V.DRAFT and not foreign.comments.exists()
    listed = client.get(reverse("observatory:values", args=[oriental_observatory.code]))
    assert [v.pk for v, _name, _cell in listed.context["rows"]] == [mine.pk]
    # Nor through the API.
    api = client.get(reverse("collected-value-list")).json()
    assert [row["id"] for row in api["results"]] == [mine.pk]
    assert client.get(reverse("collected-value-detail", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("collected-value-submit", args=[foreign.pk])).status_code == 404
    assert values(COOPERATIVES, user=analyst).total == 0


@pytest.mark.django_db
def test_entering_submitting_validating_and_unvalidating_on_the_pages(
        client_as, analyst, national_admin, oriental, oriental_observatory):
    code = oriental_observatory.code
    client = client_as(analyst)
    response = client.post(reverse("observatory:value_new", args=[code]), {
        "indicator_code": MEMBERS, "period_start": "2025-01-01", "period_end": "2025-12-31",
        "region": oriental.pk, "sector": "crafts", "sex": "F", "value": "964",
        "source": "Recensement régional"}, **EN)
    assert response.status_code == 302, response.context["form"].errors
    value = CollectedValue.objects.get()
    assert value.cells == {"sector": "crafts", "sex": "F"} and value.entered_by == analyst
    detail = reverse("observatory:value_detail", args=[code, value.pk])
    page = client.get(detail, **EN)
    assert b"Submit for validation" in page.content and b"Validate" not in page.content
    response = client.post(reverse("observatory:value_edit", args=[code, value.pk]), {
        "period_start": "2025-01-01", "period_end": "2025-12-31", "region": oriental.pk,
        "sector": "crafts", "sex": "F", "value": "965"})
    assert response.status_code == 302
    client.post(reverse("observatory:value_submit", args=[code, value.pk]))
    client.post(reverse("observatory:value_comment", args=[code, value.pk]),
                {"body": "Chiffre de la DRAS."})
    assert client.post(reverse("observatory:value_validate", args=[code, value.pk])
                       ).status_code == 403
    admin = client_as(national_admin)
    admin.post(reverse("observatory:value_validate", args=[code, value.pk]))
    value.refresh_from_db()
    assert value.status == V.VALIDATED and value.value == 965
    page = admin.get(detail, **EN)
    assert b"validated and locked" in page.content and b"Chiffre de la DRAS." in page.content
    # The edit page of a locked value says so and writes nothing.
    response = admin.post(reverse("observatory:value_edit", args=[code, value.pk]), {
        "period_start": "2025-01-01", "period_end": "2025-12-31", "region": oriental.pk,
        "sector": "crafts", "sex": "F", "value": "1"}, **EN)
    assert response.status_code == 200 and b"Only a draft can be changed" in response.content
    assert admin.post(reverse("observatory:value_delete", args=[code, value.pk])
                      ).status_code == 302
    assert CollectedValue.objects.filter(pk=value.pk).exists()
    assert values(MEMBERS, by="sex").rows == [{"sex": "F", "value": 965}]
    admin.post(reverse("observatory:value_unvalidate", args=[code, value.pk]),
               {"reason": "Double compte à Nador"})
    value.refresh_from_db()
    assert value.status == V.DRAFT
    assert values(MEMBERS).total == 0


@pytest.mark.django_db
def test_the_list_pins_its_queries(client_as, analyst, oriental, oriental_observatory,
                                   django_assert_max_num_queries):
    for sector in ("crafts", "agriculture", "tourism", "textile"):
        make_value(oriental_observatory, oriental, 3, cells={"sector": sector})
    client = client_as(analyst)
    url = reverse("observatory:values", args=[oriental_observatory.code])
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    make_value(oriental_observatory, oriental, 3, cells={"sector": "housing"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.django_db
def test_the_admin_changes_and_deletes_no_value(client_as, national_admin, oriental,
                                                oriental_observatory):
    value = make_value(oriental_observatory, oriental, 12, status=V.VALIDATED)
    client = client_as(national_admin)
    change = reverse("admin:observatory_collectedvalue_change", args=[value.pk])
    assert client.get(change).status_code == 200  # read only
    client.post(change, {"value": "99", "status": "draft"})
    assert client.post(reverse("admin:observatory_collectedvalue_delete", args=[value.pk]),
                       {"post": "yes"}).status_code == 403
    value.refresh_from_db()
    assert value.value == 12 and value.status == V.VALIDATED


@pytest.mark.django_db
def test_a_collected_figure_on_the_drilldown_and_the_command_line(
        client_as, national_admin, oriental, oriental_observatory):
    make_value(oriental_observatory, oriental, 12, cells={"sector": "crafts"},
               status=V.VALIDATED)
    make_value(oriental_observatory, oriental, 30, cells={"sector": "agriculture"},
               status=V.VALIDATED)
    page = client_as(national_admin).get(
        reverse("observatory:drilldown", args=[COOPERATIVES]), {"sector": "crafts"}, **EN)
    assert page.status_code == 200 and page.context["found"].result.total == 12
    assert b"collected by the observatories" in page.content
    assert values(COOPERATIVES, by="sector").as_dict() == {
        "indicator": COOPERATIVES, "unit": "count", "by": ["sector"], "total": 42,
        "additive": True, "rows": [{"sector": "agriculture", "value": 30},
                                   {"sector": "crafts", "value": 12}]}
