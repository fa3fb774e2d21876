"""The open data: each file read back, small cells suppressed in every format, nothing
recoverable from what is published, unpublished things not found, no login needed."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from essor.observatory import compute, opendata
from essor.observatory.disclosure import is_small
from essor.observatory.models import Dataset, Observatory, ObservatoryNote
from essor.observatory.tests.test_disclosure import Attacker, joint_attacker
from essor.promotion.models import Event, Participation
from essor.promotion.tests.factories import EventFactory, ParticipationFactory
from essor.registry.models import Membership
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

# Members in Casablanca-Settat by sex and disability: 2 and 1 people with a disability
# must never be published, nor anything that gives them back.
CASA_MEMBERS = {("F", True): 2, ("F", False): 6, ("M", True): 1, ("M", False): 9}
ORIENTAL_MEMBERS = {("F", False): 3, ("M", False): 7}


def _members(region, counts):
    org = OrganisationFactory.create(region=region, kind="cooperative")
    for (sex, disability), count in counts.items():
        for _ in range(count):
            Membership.objects.create(organisation=org, person=PersonFactory.create(
                sex=sex, disability=disability, region=region))


@pytest.fixture
def members(oriental, casablanca_settat):
    _members(casablanca_settat, CASA_MEMBERS)
    _members(oriental, ORIENTAL_MEMBERS)


@pytest.fixture
def casa(casablanca_settat, members):
    observatory = Observatory.objects.create(
        code="casablanca-settat", name_fr="Observatoire de l'ESS de Casablanca-Settat",
        name_ar="مرصد الاقتصاد الاجتماعي والتضامني للدار البيضاء سطات",
        host=OrganisationFactory.create(name="Faculté Aïn Chock", kind="association"))
    observatory.regions.set([casablanca_settat])
    return observatory


def _dataset(observatory, breakdowns="", *, code="registry.members", published=True,
             **extra) -> Dataset:
    return Dataset.objects.create(observatory=observatory, indicator_code=code,
                                  breakdowns=breakdowns, published=published, **extra)


@pytest.fixture
def datasets(casa):
    return {"sex": _dataset(casa, "sex"), "disability": _dataset(casa, "disability"),
            "both": _dataset(casa, "sex,disability")}


def _file(client, dataset, fmt, **headers):
    url = reverse("open:dataset_file", args=[dataset.observatory.code, dataset.pk, fmt])
    return client.get(url, **headers)


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 by its BOM
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def as_table(lines: list[dict[str, Any]], dims: list[str], unit: str = "count") -> dict:
    """The published table (the disclosure shape) rebuilt from a file's lines."""
    def value(line):
        return None if str(line["suppressed"]) == "true" or line["value"] in ("", None) \
            else int(line["value"])

    table: dict[str, Any] = {"unit": unit, "by": dims, "rows": [], "margins": {}}
    for line in lines:
        summed = [dim for dim in dims if line[dim] == opendata.TOTAL]
        if len(summed) == len(dims):
            table["total"] = value(line)
        elif summed:
            kept = next(dim for dim in dims if dim not in summed)
            table["margins"].setdefault(kept, []).append(
                {kept: line[kept], "value": value(line)})
        else:
            table["rows"].append({**{dim: line[dim] for dim in dims}, "value": value(line)})
    return table


def truth(by) -> dict:
    return compute.values("registry.members", by=by, region="MA-06").as_dict()


# -- the files read back -----------------------------------------------------------------------

def test_the_csv_reads_back_with_its_totals_and_hidden_cells(client, datasets):
    response = _file(client, datasets["disability"], "csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = read_csv(response.content)
    assert list(lines[0]) == ["dataset", "indicator", "unit", "date_from", "date_to",
                              "region", "region_label", "disability", "disability_label",
                              "value", "suppressed"]
    by_code = {line["disability"]: line for line in lines}
    assert by_code["_T"]["value"] == "18" and by_code["_T"]["suppressed"] == "false"
    # 3 people with a disability: hidden, and so is its complement (15 = 18 - 3).
    assert by_code["yes"] == {**by_code["yes"], "value": "", "suppressed": "true"}
    assert by_code["no"]["value"] == "" and by_code["no"]["suppressed"] == "true"
    assert {line["region"] for line in lines} == {"MA-06"}
    assert by_code["_T"]["region_label"] == "Casablanca-Settat"


def test_the_xlsx_reads_back_like_the_csv(client, datasets):
    response = _file(client, datasets["both"], "xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    lines = read_xlsx(response.content)
    in_csv = read_csv(_file(client, datasets["both"], "csv").content)
    assert [str(line["sex"]) for line in lines] == [line["sex"] for line in in_csv]
    assert [("" if line["value"] is None else str(line["value"])) for line in lines] == \
        [line["value"] for line in in_csv]
    total = next(line for line in lines if line["sex"] == "_T" and line["disability"] == "_T")
    assert total["value"] == 18 and total["suppressed"] == "false"


def test_the_json_is_the_command_line_shape(client, datasets):
    response = _file(client, datasets["sex"], "json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert {"indicator", "unit", "by", "total", "additive", "rows"} <= set(data)
    assert data["indicator"] == "registry.members" and data["by"] == ["sex"]
    assert data["total"] == 18 and data["additive"] is True
    assert data["rows"] == [{"sex": "F", "value": 8}, {"sex": "M", "value": 10}]
    assert data["observatory"] == "casablanca-settat" and data["regions"] == ["MA-06"]
    hidden = json.loads(_file(client, datasets["disability"], "json").content)
    assert hidden["rows"][0] == {"disability": "yes", "value": None, "suppressed": True}


def _published_values(client, dataset) -> list[int]:
    """Every number a dataset publishes, in each of its three formats."""
    found = []
    for line in read_csv(_file(client, dataset, "csv").content):
        if line["value"] != "":
            found.append(int(line["value"]))
    for line in read_xlsx(_file(client, dataset, "xlsx").content):
        if line["value"] is not None:
            found.append(int(line["value"]))
    data = json.loads(_file(client, dataset, "json").content)
    found += [row["value"] for row in data["rows"] if row["value"] is not None]
    found += [row["value"] for rows in (data.get("margins") or {}).values() for row in rows
              if row["value"] is not None]
    if data["total"] is not None:
        found.append(data["total"])
    return found


def test_no_cell_of_one_to_four_people_appears_in_any_format(client, datasets):
    for dataset in datasets.values():
        published = _published_values(client, dataset)
        assert published, dataset
        assert not [value for value in published if is_small(value)], dataset


def test_nothing_hidden_is_recoverable_from_the_files_together(client, datasets):
    """An attacker with every equation of the three files (cells, margins, totals) pins
    no hidden value, and the two-breakdown file's margins are the one-breakdown files'."""
    tables = {name: as_table(read_csv(_file(client, dataset, "csv").content),
                             ["sex", "disability"] if name == "both" else [name])
              for name, dataset in datasets.items()}
    both = tables["both"]
    assert sorted(both["margins"]["disability"], key=str) == sorted(
        tables["disability"]["rows"], key=str)
    assert sorted(both["margins"]["sex"], key=str) == sorted(tables["sex"]["rows"], key=str)
    assert Attacker(both, truth(("sex", "disability"))).determined() == []
    for name in ("sex", "disability"):
        assert Attacker(tables[name], truth((name,))).determined() == []
    ordered = [tables["sex"], tables["disability"], both]
    truths = [truth(("sex",)), truth(("disability",)), truth(("sex", "disability"))]
    assert joint_attacker(ordered, truths).determined() == []
    hidden = [row for row in both["rows"] if row["value"] is None]
    assert {(row["sex"], row["disability"]) for row in hidden} >= {("F", "yes"), ("M", "yes")}


def test_a_dataset_alone_gets_the_same_suppression_as_beside_its_margins(casa, members):
    """Suppressed with every published table of its indicator, period and region: the
    one-breakdown dataset hides what the two-breakdown one's margins hide."""
    alone = _dataset(casa, "sex")
    before = opendata.table(alone).data["rows"]
    _dataset(casa, "sex,disability")
    after = opendata.table(alone).data["rows"]
    assert before == [{"sex": "F", "value": 8}, {"sex": "M", "value": 10}]
    both = opendata.table(Dataset.objects.get(breakdowns="sex,disability")).data
    assert sorted(after, key=str) == sorted(both["margins"]["sex"], key=str)


def test_publishing_a_table_that_would_hide_what_is_already_out_is_flagged(db):
    """Published beside the table by disability, the table by sex gives 14 women and 6
    men; beside a sex by disability table of the same members its margins would be
    hidden too (to protect the 2 women with a disability), which the file already out
    would undo: flagged."""
    from essor.territory.models import Region

    tanger = Region.objects.get(code="MA-01")
    _members(tanger, {("F", True): 2, ("F", False): 12, ("M", True): 6})
    observatory = Observatory.objects.create(code="tanger", name_fr="Tanger",
                                             name_ar="طنجة")
    observatory.regions.set([tanger])
    by_disability = _dataset(observatory, "disability")
    by_sex = _dataset(observatory, "sex")
    assert opendata.table(by_sex).data["rows"] == [{"sex": "F", "value": 14},
                                                   {"sex": "M", "value": 6}]
    candidate = _dataset(observatory, "sex,disability", published=False)
    flagged = opendata.newly_hidden(candidate)
    assert set(flagged) == {by_sex.pk, by_disability.pk}
    assert {line["sex"] for line in flagged[by_sex.pk]} & {"F", "M", "_T"}
    assert opendata.newly_hidden(_dataset(observatory, "organisation_kind",
                                          published=False)) == {}


def test_a_share_is_hidden_where_its_counts_are(casablanca_settat, casa):
    event = EventFactory(kind=Event.Kind.NATIONAL_FAIR, status=Event.Status.HELD,
                         region=casablanca_settat, start_date=datetime.date(2025, 5, 10),
                         end_date=datetime.date(2025, 5, 12))
    for sex, count in (("F", 3), ("M", 7)):
        for _ in range(count):
            ParticipationFactory(event=event, status=Participation.Status.ATTENDED,
                                 holder=PersonFactory(sex=sex, region=casablanca_settat))
    share = _dataset(casa, code="promotion.women_exhibitors_share")
    data = opendata.table(share).data
    assert compute.values("promotion.women_exhibitors_share", region="MA-06").total == 0.3
    assert data["total"] is None and data["total_suppressed"] is True


def test_collected_values_are_published_once_validated_and_suppressed(client, casa,
                                                                     casablanca_settat):
    from essor.observatory.models import CollectedValue

    period = {"period_start": datetime.date(2024, 1, 1),
              "period_end": datetime.date(2024, 12, 31)}
    for cells, value, status in (({"sector": "crafts", "sex": "F"}, 40, "validated"),
                                 ({"sector": "crafts", "sex": "M"}, 3, "validated"),
                                 ({"sector": "agriculture", "sex": "F"}, 12, "validated"),
                                 ({"sector": "agriculture", "sex": "M"}, 30, "validated"),
                                 ({"sector": "tourism", "sex": "F"}, 500, "draft")):
        CollectedValue.objects.create(observatory=casa, region=casablanca_settat,
                                      indicator_code="observatory.census_members",
                                      cells=cells, value=value, status=status, **period)
    dataset = _dataset(casa, "sector,sex", code="observatory.census_members",
                       **{"period_start": period["period_start"],
                          "period_end": period["period_end"]})
    data = json.loads(_file(client, dataset, "json").content)
    assert data["total"] == 85  # the draft is not counted
    rows = {(row["sector"], row["sex"]): row["value"] for row in data["rows"]}
    assert rows[("crafts", "M")] is None and "tourism" not in {k[0] for k in rows}
    assert not [v for v in _published_values(client, dataset) if is_small(v)]
    lines = read_csv(_file(client, dataset, "csv").content)
    assert lines[0]["date_from"] == "2024-01-01" and lines[0]["date_to"] == "2024-12-31"


def test_several_regions_are_published_side_by_side(client, oriental, casablanca_settat,
                                                    members):
    both = Observatory.objects.create(code="nord-est", name_fr="Deux régions",
                                      name_ar="جهتان")
    both.regions.set([oriental, casablanca_settat])
    dataset = _dataset(both, "sex")
    data = json.loads(_file(client, dataset, "json").content)
    assert data["by"] == ["region", "sex"] and data["regions"] == ["MA-02", "MA-06"]
    # Oriental: 3 women (hidden) and so 7 men; Casablanca-Settat: 8 and 10.
    assert data["rows"] == [
        {"region": "MA-02", "sex": "F", "value": None, "suppressed": True},
        {"region": "MA-02", "sex": "M", "value": None, "suppressed": True},
        {"region": "MA-06", "sex": "F", "value": 8},
        {"region": "MA-06", "sex": "M", "value": 10}]
    assert data["margins"]["region"] == [{"region": "MA-02", "value": 10},
                                         {"region": "MA-06", "value": 18}]
    assert data["total"] == 28  # memberships each lie in one region: they add up
    lines = read_csv(_file(client, dataset, "csv").content)
    assert [(line["region"], line["sex"], line["value"]) for line in lines][:3] == [
        ("_T", "_T", "28"), ("MA-02", "_T", "10"), ("MA-06", "_T", "18")]
    assert not [line for line in lines if line["value"] and is_small(int(line["value"]))]


def test_distinct_people_of_several_regions_are_not_added_up(oriental, casablanca_settat):
    both = Observatory.objects.create(code="deux", name_fr="Deux", name_ar="جهتان")
    both.regions.set([oriental, casablanca_settat])
    data = opendata.table(_dataset(both, code="training.beneficiaries")).data
    assert data["total"] is None and "total_suppressed" not in data
    assert data["note"]


# -- what is not published -------------------------------------------------------------------

def test_unpublished_or_foreign_or_hostile_ids_are_not_found(client, casa, datasets,
                                                             oriental):
    hidden = _dataset(casa, "sex", published=False)
    other = Observatory.objects.create(code="oriental", name_fr="Oriental", name_ar="الشرق")
    other.regions.set([oriental])
    code = casa.code
    urls = [
        reverse("open:dataset_file", args=[code, hidden.pk, "csv"]),
        reverse("open:dataset_file", args=["oriental", datasets["sex"].pk, "csv"]),
        reverse("open:dataset_file", args=[code, datasets["sex"].pk, "exe"]),
        reverse("open:dataset_file", args=[code, 0, "json"]),
        f"/open/{code}/datasets/99999999999999999999999999.csv",
        f"/open/{code}/datasets/9223372036854775808.json",
        "/open/nobody/", "/open/nobody/datapackage.json",
        f"/open/{code}/datasets/1%00.csv", f"/open/{code}/datasets/-1.csv",
        f"/open/{code}/notes/99999999999999999999999999/",
        "/open/oriental/datapackage.json",  # nothing published: no data package
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_unpublished_notes_are_not_found_and_not_listed(client, casa):
    shown = ObservatoryNote.objects.create(observatory=casa, title="Méthode des comptages",
                                           body="Les effectifs de 1 à 4 sont masqués.",
                                           published=True)
    draft = ObservatoryNote.objects.create(observatory=casa, title="Brouillon interne",
                                           body="Pas encore.")
    page = client.get(reverse("open:observatory", args=[casa.code])).content.decode()
    assert "Méthode des comptages" in page and "Brouillon interne" not in page
    assert client.get(reverse("open:note", args=[casa.code, shown.pk])).status_code == 200
    assert client.get(reverse("open:note", args=[casa.code, draft.pk])).status_code == 404


def test_a_dataset_that_cannot_be_computed_says_so_and_has_no_file(client, casa):
    broken = _dataset(casa, "theme")  # the registry's members have no theme
    page = client.get(reverse("open:observatory", args=[casa.code]), **EN).content.decode()
    assert "This dataset cannot be computed" in page
    assert _file(client, broken, "csv").status_code == 404


# -- the pages -------------------------------------------------------------------------------

def test_the_pages_need_no_login_and_explain_what_is_hidden(client, datasets, casa):
    index = client.get(reverse("open:index"), **EN)
    assert index.status_code == 200
    assert "Observatoire de l&#x27;ESS de Casablanca-Settat" in index.content.decode()
    page = client.get(reverse("open:observatory", args=[casa.code]), **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Faculté Aïn Chock" in html and "Casablanca-Settat" in html
    assert 'data-suppressed="true"' in html
    assert "Counts of 1 to 4 people are not published" in html
    for dataset in datasets.values():
        assert reverse("open:dataset_file", args=[casa.code, dataset.pk, "xlsx"]) in html
    # No hidden value is written in the page: the cells it shows are the files' cells.
    cells = re.findall(r'<td class="text-end(?: fw-semibold)?">([^<]*)</td>', html)
    assert not [text for text in cells if text.strip().isdigit()
                and is_small(int(text.strip()))]


def test_the_observatory_page_in_arabic(client, datasets, casa):
    page = client.get(reverse("open:observatory", args=[casa.code]),
                      HTTP_ACCEPT_LANGUAGE="ar")
    assert page.status_code == 200
    assert 'dir="rtl"' in page.content.decode()
    assert "مرصد الاقتصاد الاجتماعي" in page.content.decode()


def test_the_page_reads_in_a_fixed_number_of_queries(client, datasets, casa,
                                                     django_assert_max_num_queries):
    client.get(reverse("open:observatory", args=[casa.code]))  # the values cached
    with django_assert_max_num_queries(12):
        assert client.get(reverse("open:observatory", args=[casa.code])).status_code == 200


# -- the data package ------------------------------------------------------------------------

NAME = re.compile(r"^[a-z0-9._-]+$")
FIELD_TYPES = {"string", "number", "integer", "boolean", "object", "array", "date", "time",
               "datetime", "year", "yearmonth", "duration", "geopoint", "geojson", "any"}


def test_the_data_package_lists_every_published_resource(client, datasets, casa):
    _dataset(casa, "sex", published=False)
    url = reverse("open:datapackage", args=[casa.code])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/json")
    package = response.json()
    # The Data Package specification's required and recommended keys.
    assert NAME.match(package["name"]) and package["title"]
    assert package["licenses"] and all("name" in lic or "path" in lic
                                       for lic in package["licenses"])
    assert package["resources"]
    names = [resource["name"] for resource in package["resources"]]
    assert len(names) == len(set(names)) and all(NAME.match(name) for name in names)
    published = {dataset.pk for dataset in datasets.values()}
    assert {(int(r["path"].split("/")[1].split(".")[0]), r["format"])
            for r in package["resources"]} == {(pk, fmt) for pk in published
                                               for fmt in ("csv", "xlsx", "json")}
    for resource in package["resources"]:
        assert not resource["path"].startswith("/") and ".." not in resource["path"]
        assert resource["mediatype"] == opendata.MEDIATYPES[resource["format"]]
        # Each path, read relative to the descriptor, is the file.
        file = client.get(url.rsplit("/", 1)[0] + "/" + resource["path"])
        assert file.status_code == 200
        if resource["format"] in ("csv", "xlsx"):
            fields = resource["schema"]["fields"]
            assert all(field["type"] in FIELD_TYPES and field["name"] for field in fields)
            read = read_csv(file.content) if resource["format"] == "csv" \
                else read_xlsx(file.content)
            assert [field["name"] for field in fields] == list(read[0])
            types = {field["name"]: field["type"] for field in fields}
            assert types["value"] == "integer" and types["suppressed"] == "boolean"
            assert types["date_from"] == "date"


def test_the_data_package_validates_with_frictionless_when_installed(client, datasets,
                                                                      casa, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    package = client.get(reverse("open:datapackage", args=[casa.code])).json()
    for resource in package["resources"]:
        content = client.get(f"/open/{casa.code}/{resource['path']}").content
        target = tmp_path / resource["path"]
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(content)
    (tmp_path / "datapackage.json").write_text(json.dumps(package))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


# -- every kind of table ---------------------------------------------------------------------

@pytest.fixture
def activity(oriental, casablanca_settat):
    """Fairs and workshops in two regions: sums of dirhams, shares, distinct people."""
    from decimal import Decimal

    from essor.training.models import Workshop
    from essor.training.tests.factories import EnrolmentFactory, WorkshopFactory

    for region, women, men in ((oriental, 2, 9), (casablanca_settat, 7, 3)):
        event = EventFactory(kind=Event.Kind.NATIONAL_FAIR, status=Event.Status.HELD,
                             region=region, start_date=datetime.date(2025, 5, 10),
                             end_date=datetime.date(2025, 5, 12))
        workshop = WorkshopFactory(region=region, status=Workshop.Status.HELD,
                                   code=f"AT-{region.code}-001")
        for sex, count in (("F", women), ("M", men)):
            for i in range(count):
                person = PersonFactory(sex=sex, region=region, birth_year=1960 + 7 * i)
                ParticipationFactory(event=event, holder=person,
                                     status=Participation.Status.ATTENDED,
                                     sales_mad=Decimal("150.50"))
                EnrolmentFactory(workshop=workshop, person=person, attended=True)


TABLES = [
    ("registry.members", ""), ("registry.members", "region"),
    ("registry.members", "region,sex"), ("registry.members", "organisation_kind,sector"),
    ("promotion.sales", "event_kind"), ("promotion.sales", "region,event_kind"),
    ("promotion.women_exhibitors_share", "event_kind"),
    ("promotion.women_exhibitors_share", "sex,event_kind"),
    ("training.beneficiaries", "sex,age_band"), ("training.beneficiaries", "region,theme"),
    ("training.women_beneficiaries_share", ""),
]


@pytest.mark.parametrize("regions", [["MA-06"], ["MA-02", "MA-06"]])
@pytest.mark.parametrize(("code", "breakdowns"), TABLES)
def test_every_kind_of_table_is_published_in_every_format(client, members, activity, code,
                                                           breakdowns, regions):
    from essor.observatory.catalogue import get
    from essor.territory.models import Region

    observatory = Observatory.objects.create(code="obs", name_fr="Obs", name_ar="مرصد")
    observatory.regions.set(Region.objects.filter(code__in=regions))
    dataset = _dataset(observatory, breakdowns, code=code)
    found = opendata.table(dataset)
    assert found.error is None
    unit = get(code).unit
    page = client.get(reverse("open:observatory", args=["obs"]))
    assert page.status_code == 200
    lines = read_csv(_file(client, dataset, "csv").content)
    assert lines and len(read_xlsx(_file(client, dataset, "xlsx").content)) == len(lines)
    data = json.loads(_file(client, dataset, "json").content)
    assert data["indicator"] == code and data["unit"] == unit
    assert {line["region"] for line in lines} <= {*regions, opendata.TOTAL}
    keys = [tuple(line[c] for c in found.columns) for line in lines]
    assert len(keys) == len(set(keys))  # one line per cell
    if unit in ("count", "people"):
        assert not [line for line in lines if line["value"] and is_small(int(line["value"]))]
        assert not [v for v in _published_values(client, dataset) if is_small(v)]
    if unit == "share":  # hidden wherever a count under it is
        assert all(0 <= float(line["value"]) <= 1 for line in lines if line["value"])
