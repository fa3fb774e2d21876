"""essor indicators list | essor indicators values CODE [--by DIM[,DIM]] [--from YYYY-MM-DD]
[--to YYYY-MM-DD] [--region MA-xx] [--province MA-XXX] [--public] --format json|csv

``list`` prints the catalogue (code, unit, source, breakdowns); ``values`` prints one
indicator's values, computed from the records, in the shape of the open data::

    {"indicator": "training.beneficiaries", "unit": "people", "by": ["sex"],
     "total": 15442, "additive": true, "rows": [{"sex": "F", "value": 9342}, ...]}

``--public`` applies the open data's suppression of small cells
(``essor.observatory.disclosure``): a hidden cell is ``"value": null, "suppressed": true``.
Bad input (an unknown code, a breakdown the indicator does not support, a bad date)
stops with a message naming the value and exit status 2.
"""

from __future__ import annotations

import csv
import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from essor.observatory.catalogue import UNITS, Indicator, all_indicators
from essor.observatory.compute import IndicatorError, Result, values

BAD_INPUT = 2


def _date(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Write dates as YYYY-MM-DD: %(option)s %(value)s")
                           % {"option": option, "value": value}, returncode=BAD_INPUT) from None


class Command(BaseCommand):
    help = "Print the indicator catalogue, or one indicator's values."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="list|values")
        listing = actions.add_parser("list", help="the catalogue: code, unit, source, "
                                                  "breakdowns")
        listing.add_argument("--format", choices=["text", "json", "csv"], default="text")
        shown = actions.add_parser("values", help="one indicator's values")
        shown.add_argument("code", help="the indicator's code, e.g. training.beneficiaries")
        shown.add_argument("--by", default="", help="up to two breakdowns: sex,age_band")
        shown.add_argument("--from", dest="date_from", help="YYYY-MM-DD (included)")
        shown.add_argument("--to", dest="date_to", help="YYYY-MM-DD (included)")
        shown.add_argument("--region", help="ISO 3166-2 code such as MA-02")
        shown.add_argument("--province", help="ISO 3166-2 code such as MA-CAS")
        shown.add_argument("--public", action="store_true",
                           help="suppress small cells, as the open data does")
        shown.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "list":
            self.list(options["format"])
        else:
            self.values(**options)

    # -- list ---------------------------------------------------------------------------------

    def list(self, output: str) -> None:
        catalogue = [_describe(item) for item in all_indicators()]
        if output == "json":
            self.stdout.write(json.dumps(catalogue, ensure_ascii=False, indent=2))
            return
        if output == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(["code", "unit", "source", "breakdowns", "name"])
            for entry in catalogue:
                writer.writerow([entry["code"], entry["unit"], entry["source"],
                                 ",".join(entry["breakdowns"]), entry["name"]])
            return
        width = max(len(entry["code"]) for entry in catalogue)
        for entry in catalogue:
            self.stdout.write(f"{entry['code']:<{width}}  {entry['unit']:<6}  "
                              f"{entry['source']:<9}  {','.join(entry['breakdowns']) or '-'}")

    # -- values -------------------------------------------------------------------------------

    def values(self, *, code: str, by: str, date_from: str | None, date_to: str | None,
               region: str | None, province: str | None, public: bool, format: str,
               **_options: Any) -> None:
        asked: dict[str, Any] = {
            "date_from": _date(date_from, "--from") if date_from else None,
            "date_to": _date(date_to, "--to") if date_to else None,
            "region": region, "province": province, "by": by}
        try:
            result = values(code, **asked)
            data = published(result, asked) if public else result.as_dict()
        except IndicatorError as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from None
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.write_csv(data, result)

    def write_csv(self, data: dict[str, Any], result: Result) -> None:
        """A header, the total (its breakdown cells empty), then the rows; a table whose
        rows may exceed the total says so in a last column."""
        by = list(data["by"])
        public = "suppressed_count" in data
        note = "" if data["additive"] or result.note is None else str(result.note)
        header = ["indicator", "unit", *by, "value"]
        if public:
            header.append("suppressed")
        if note:
            header.append("note")
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(header)

        def line(cells: dict[str, Any], value: Any, suppressed: bool, with_note: bool) -> None:
            row = [data["indicator"], data["unit"], *(cells.get(d, "") for d in by),
                   "" if value is None else value]
            if public:
                row.append("yes" if suppressed else "")
            if note:
                row.append(note if with_note else "")
            writer.writerow(row)

        line({}, data["total"], bool(data.get("total_suppressed")), True)
        for row in data["rows"]:
            line(row, row["value"], bool(row.get("suppressed")), False)


def _describe(item: Indicator) -> dict[str, Any]:
    return {"code": item.code, "name": str(item.name), "definition": str(item.definition),
            "unit": item.unit, "unit_name": str(UNITS[item.unit]), "source": item.source,
            "breakdowns": list(item.breakdowns), "additive_by": list(item.additive_by)}


def published(result: Result, asked: dict[str, Any]) -> dict[str, Any]:
    """The values as the open data publishes them: small cells suppressed, with their
    complements (``essor.observatory.disclosure``). A two-breakdown table carries its
    true margins (the one-breakdown values), so that distinct people are not summed."""
    from essor.observatory import disclosure

    def counts(code: str) -> dict[str, Any]:
        found = values(code, **asked)
        data = found.as_dict()
        if len(found.by) == 2:
            data["margins"] = {dim: values(code, **{**asked, "by": (dim,)}).as_dict()["rows"]
                               for dim in found.by}
        return disclosure.suppress(data)

    item = result.indicator
    if item.is_share:
        assert item.numerator and item.denominator
        return disclosure.suppress_share(result.as_dict(), counts(item.numerator),
                                         counts(item.denominator))
    return counts(item.code)
