"""Exporters yield a header row then rows; one base renders CSV and XLSX (pretix's way)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import TYPE_STRING

from essor.core.text import strip_control_characters

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a text cell starting with = + - @ TAB CR gets a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _as_cell(value: Any) -> Any:
    """A value as a cell holds it. Control characters a record may hold from before they
    were refused are dropped: XLSX cannot store them (openpyxl refuses the whole file)."""
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return strip_control_characters(value)
    return value


class Exporter:
    filename = "export"

    def header(self) -> list[str]:
        raise NotImplementedError

    def rows(self) -> Iterable[list[Any]]:
        raise NotImplementedError

    def table(self) -> Iterator[list[Any]]:
        yield [str(h) for h in self.header()]
        for row in self.rows():
            yield [escape_cell(_as_cell(v)) for v in row]

    def to_csv(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in self.table():
            writer.writerow(row)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    def to_xlsx(self) -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(self.filename[:31])
        for row in self.table():
            cells = []
            for value in row:
                if isinstance(value, str):
                    # Written as text, never as a formula, whatever it starts with.
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = TYPE_STRING
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def response(self, fmt: str) -> HttpResponse:
        stamp = timezone.now().strftime("%Y%m%d")
        if fmt == "xlsx":
            content, ctype = self.to_xlsx(), (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        else:
            fmt, content, ctype = "csv", self.to_csv(), "text/csv; charset=utf-8"
        response = HttpResponse(content, content_type=ctype)
        response["Content-Disposition"] = f'attachment; filename="{self.filename}-{stamp}.{fmt}"'
        return response
