"""The collected values API: drafts created and edited, the workflow's steps, the lock, no
mass assignment of the workflow's fields, region scoping."""

from __future__ import annotations

import pytest
from django.urls import reverse

from essor.observatory.compute import values
from essor.observatory.models import CollectedValue

from .values_fixtures import *  # noqa: F403 (fixtures and helpers)
from .values_fixtures import COOPERATIVES, make_value

V = CollectedValue.Status
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NEW = {"observatory": "oriental", "indicator_code": COOPERATIVES,
       "period_start": "2025-01-01", "period_end": "2025-12-31", "region": "MA-02",
       "cells": {"sector": "crafts"}, "value": "118", "source": "Recensement 2025"}


@pytest.mark.django_db
def test_a_value_goes_through_the_workflow_by_the_api(client_as, analyst, national_admin,
                                                      oriental_observatory):
    client = client_as(analyst)
    created = client.post(reverse("collected-value-list"),
                          {**NEW, "status": "validated", "validated_by": analyst.pk},
                          content_type="application/json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    value = CollectedValue.objects.get(pk=pk)
    assert value.status == V.DRAFT and value.validated_by is None  # not client-writable
    detail = reverse("collected-value-detail", args=[pk])
    assert client.patch(detail, {"value": "120"}, content_type="application/json"
                        ).status_code == 200
    assert client.patch(detail, {"indicator_code": "observatory.census_members"},
                        content_type="application/json").status_code == 400
    assert client.post(reverse("collected-value-submit", args=[pk])).json()["status"] == \
        "submitted"
    assert client.post(reverse("collected-value-validate", args=[pk])).status_code == 403
    admin = client_as(national_admin)
    assert admin.post(reverse("collected-value-validate", args=[pk])).json()["status"] == \
        "validated"
    assert values(COOPERATIVES).total == 120
    locked = admin.patch(detail, {"value": "1"}, content_type="application/json", **EN)
    assert locked.status_code == 400 and "validated and locked" in str(locked.json())
    assert admin.post(reverse("collected-value-unvalidate", args=[pk]), {},
                      content_type="application/json").status_code == 400  # no reason
    back = admin.post(reverse("collected-value-unvalidate", args=[pk]),
                      {"reason": "Recount"}, content_type="application/json")
    assert back.json()["status"] == "draft"
    assert values(COOPERATIVES).total == 0


@pytest.mark.django_db
def test_the_api_lists_the_callers_values_only(client_as, analyst, casablanca_analyst,
                                               oriental, casablanca_settat,
                                               oriental_observatory, casablanca_observatory):
    mine = make_value(oriental_observatory, oriental, 5)
    theirs = make_value(casablanca_observatory, casablanca_settat, 9)
    client = client_as(analyst)
    listed = client.get(reverse("collected-value-list")).json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert listed["results"][0]["observatory"] == "oriental"
    assert client.patch(reverse("collected-value-detail", args=[theirs.pk]), {"value": "1"},
                        content_type="application/json").status_code == 404
    # Creating in another observatory: it is no observatory of the caller's.
    refused = client.post(reverse("collected-value-list"),
                          {**NEW, "observatory": casablanca_observatory.code,
                           "region": "MA-06"}, content_type="application/json")
    assert refused.status_code == 400 and "observatory" in refused.json()
    assert CollectedValue.objects.count() == 2


@pytest.mark.django_db
def test_the_api_list_pins_its_queries(client_as, national_admin, oriental,
                                       oriental_observatory, django_assert_max_num_queries):
    for sector in ("crafts", "agriculture", "tourism"):
        make_value(oriental_observatory, oriental, 3, cells={"sector": sector})
    client = client_as(national_admin)
    url = reverse("collected-value-list")
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        assert len(client.get(url).json()["results"]) == 3
    for sector in ("textile", "housing", "health"):
        make_value(oriental_observatory, oriental, 3, cells={"sector": sector})
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).json()["results"]) == 6


@pytest.mark.django_db
def test_hostile_input_is_refused_not_a_server_error(client_as, analyst,
                                                     oriental_observatory):
    client = client_as(analyst)
    for bad in ({"cells": {"sector": "crafts\x00"}}, {"cells": {"mining": "x"}},
                {"cells": "sector=crafts"}, {"value": "-1"}, {"value": "NaN"},
                {"value": "1e40"}, {"region": "MA-99"}, {"period_end": "2024-01-01"},
                {"indicator_code": "training.beneficiaries"},
                {"indicator_code": "x" * 500}, {"province": "MA-CAS"}):
        response = client.post(reverse("collected-value-list"), {**NEW, **bad},
                               content_type="application/json")
        assert response.status_code == 400, (bad, response.status_code)
    assert not CollectedValue.objects.exists()
