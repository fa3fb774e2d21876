# ruff: noqa: F811 (the fixtures imported from test_opendata are used as arguments)
"""The public open-data API: read-only, anonymous, throttled, suppressed as the files are,
nothing personal, unpublished and hostile ids not found."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from essor.observatory import opendata
from essor.observatory.disclosure import is_small
from essor.observatory.models import Dataset, Observatory, ObservatoryNote
from essor.observatory.tests.test_opendata import (  # noqa: F401 (fixtures)
    _dataset,
    _file,
    casa,
    datasets,
    members,
)

pytestmark = pytest.mark.django_db


def _numbers(data) -> list[int]:
    found = [row["value"] for row in data["rows"] if row["value"] is not None]
    found += [row["value"] for rows in (data.get("margins") or {}).values() for row in rows
              if row["value"] is not None]
    return found + ([data["total"]] if data["total"] is not None else [])


def test_observatories_are_listed_without_their_analysts(client, casa, datasets,
                                                         national_admin):
    casa.analysts.set([national_admin])
    hidden = _dataset(casa, "sex", published=False)
    response = client.get(reverse("open-observatory-list"))
    assert response.status_code == 200
    found = response.json()["results"]
    assert [entry["code"] for entry in found] == ["casablanca-settat"]
    entry = found[0]
    assert "analysts" not in entry and national_admin.username not in json.dumps(found)
    assert entry["regions"] == ["MA-06"] and entry["host"] == "Faculté Aïn Chock"
    assert {d["id"] for d in entry["datasets"]} == {d.pk for d in datasets.values()}
    assert hidden.pk not in {d["id"] for d in entry["datasets"]}
    detail = client.get(reverse("open-observatory-detail", args=[casa.code]))
    assert detail.status_code == 200 and detail.json()["code"] == casa.code


def test_datasets_carry_the_values_the_files_publish(client, datasets):
    response = client.get(reverse("open-dataset-list"))
    assert response.status_code == 200
    listed = {entry["id"]: entry for entry in response.json()["results"]}
    assert set(listed) == {d.pk for d in datasets.values()}
    for dataset in datasets.values():
        values = listed[dataset.pk]["values"]
        assert values == json.loads(_file(client, dataset, "json").content)
        assert not [v for v in _numbers(values) if is_small(v)]
        detail = client.get(reverse("open-dataset-detail", args=[dataset.pk])).json()
        assert detail["values"] == values and detail["observatory"] == "casablanca-settat"
    rows = listed[datasets["disability"].pk]["values"]["rows"]
    assert rows[0] == {"disability": "yes", "value": None, "suppressed": True}


def test_datasets_filter_by_observatory(client, datasets, oriental):
    other = Observatory.objects.create(code="oriental", name_fr="Oriental", name_ar="الشرق")
    other.regions.set([oriental])
    mine = _dataset(other, "sex")
    response = client.get(reverse("open-dataset-list"), {"observatory": "oriental"})
    assert [entry["id"] for entry in response.json()["results"]] == [mine.pk]
    for hostile in ("\x00", "a" * 5000, "' OR 1=1 --", "oriental\n"):
        response = client.get(reverse("open-dataset-list"), {"observatory": hostile})
        assert response.status_code == 200 and response.json()["results"] == []


def test_published_notes_are_given_without_their_author(client, casa, national_admin):
    ObservatoryNote.objects.create(observatory=casa, title="Méthode", body="Texte.",
                                   published=True, author=national_admin)
    ObservatoryNote.objects.create(observatory=casa, title="Brouillon", body="Pas encore.")
    entry = client.get(reverse("open-observatory-detail", args=[casa.code])).json()
    assert [note["title"] for note in entry["notes"]] == ["Méthode"]
    assert "author" not in entry["notes"][0]
    assert national_admin.username not in json.dumps(entry)


def test_unpublished_and_hostile_ids_are_not_found(client, casa, datasets):
    hidden = _dataset(casa, "sex", published=False)
    for url in [reverse("open-dataset-detail", args=[hidden.pk]),
                reverse("open-dataset-detail", args=[0]),
                "/api/open/datasets/99999999999999999999999999/",
                "/api/open/datasets/9223372036854775808/",
                "/api/open/datasets/abc/", "/api/open/datasets/1%00/",
                "/api/open/observatories/nobody/", "/api/open/observatories/%00/",
                "/api/open/observatories/" + "x" * 500 + "/"]:
        assert client.get(url).status_code == 404, url


def test_the_api_is_read_only_and_the_same_for_everyone(client, client_as, casa, datasets,
                                                        national_admin):
    url = reverse("open-dataset-list")
    detail = reverse("open-dataset-detail", args=[datasets["sex"].pk])
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(url, {}, content_type="application/json"
                                       ).status_code == 405
        assert getattr(client, method)(detail, {}, content_type="application/json"
                                       ).status_code == 405
    anonymous = client.get(detail).json()
    assert client_as(national_admin).get(detail).json() == anonymous
    assert Dataset.objects.filter(published=True).count() == 3


def test_anonymous_callers_are_throttled(client, settings, datasets):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"open_data": "2/minute"}}
    url = reverse("open-observatory-list")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_the_list_computes_every_table_in_one_pass(client, datasets,
                                                   django_assert_max_num_queries):
    client.get(reverse("open-dataset-list"))  # the values cached
    with django_assert_max_num_queries(10):
        assert client.get(reverse("open-dataset-list")).status_code == 200
    assert opendata.published(list(opendata.published_datasets()))
