"""Spreadsheet imports: read CSV/XLSX, clean every row, write in one transaction.

Default is all-or-nothing: one bad row and nothing is written. ``partial`` writes the good
rows and returns the bad ones. ``dry_run`` runs everything, including the writes, inside a
transaction that is rolled back, so it reports exactly what a real run would.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from essor.audit import services as audit
from essor.core.exports import escape_cell


class ImportFileError(Exception):
    """The file as a whole cannot be read (type, encoding, columns)."""


class RowInvalid(Exception):
    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    bad_rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    dry_run: bool = False
    partial: bool = False

    @property
    def written(self) -> bool:
        return not self.dry_run and (self.partial or not self.errors)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "rows": self.rows, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged,
                "error_rows": self.error_rows, "written": self.written,
                "dry_run": self.dry_run,
                "errors": [e.__dict__ for e in self.errors]}

    def errors_csv(self) -> bytes:
        """The bad rows as they came, with their row number and messages, ready to fix."""
        columns: list[str] = []
        for _row, values in self.bad_rows:
            columns += [c for c in values if c not in columns]
        messages: dict[int, list[str]] = {}
        for e in self.errors:
            messages.setdefault(e.row, []).append(f"{e.column}: {e.message}" if e.column
                                                  else e.message)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["row", *columns, "errors"])
        for number, values in self.bad_rows:
            writer.writerow([number, *(escape_cell(values.get(c, "")) for c in columns),
                             escape_cell(" | ".join(messages.get(number, [])))])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class Importer:
    """One kind of import: its columns, how a row is cleaned, how it is written."""

    do_not_call_in_templates = True
    kind = ""
    label = ""
    columns: list[str] = []
    required: list[str] = []
    example: list[dict[str, str]] = []

    def __init__(self, *, by):
        self.by = by

    def clean_row(self, row: dict[str, str]) -> Any:
        """Return the cleaned row or raise RowInvalid([(column, message), …])."""
        raise NotImplementedError

    def write_row(self, cleaned: Any) -> str:
        """Write one cleaned row; return "created", "updated" or "unchanged"."""
        raise NotImplementedError

    # -- templates ---------------------------------------------------------------------

    def template_csv(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=self.columns)
        writer.writeheader()
        for row in self.example:
            writer.writerow(row)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    def template_xlsx(self) -> bytes:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = self.kind
        sheet.append(self.columns)
        for row in self.example:
            sheet.append([row.get(c, "") for c in self.columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def _looks_arabic(raw: bytes) -> bool:
    """Windows Arabic (cp1256) or Windows Latin (cp1252)? Arabic words are runs of high
    bytes; accented Latin letters stand alone between ASCII letters."""
    high = [i for i, b in enumerate(raw) if b >= 0xC0]
    if not high:
        return False
    in_runs = sum(1 for i in high if (i + 1 < len(raw) and raw[i + 1] >= 0xC0)
                  or (i > 0 and raw[i - 1] >= 0xC0))
    return in_runs > len(high) / 2


def read_rows(stream: BinaryIO, filename: str) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """Header (lower-cased) and (spreadsheet row number, values) of a CSV or XLSX file."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        try:
            workbook = load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise ImportFileError(_("This file is not a readable XLSX workbook.")) from exc
        sheet = workbook.worksheets[0]
        lines = ([_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True))
    elif suffix == ".csv":
        raw = stream.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1256" if _looks_arabic(raw) else "cp1252")
            except UnicodeDecodeError as exc:
                raise ImportFileError(_("Save the CSV file as UTF-8 and try again.")) from exc
        sample = text[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        lines = ([c.strip() for c in r] for r in csv.reader(io.StringIO(text),
                                                              delimiter=delimiter))
    else:
        raise ImportFileError(_("Only .csv and .xlsx files can be imported."))
    try:
        header = next(lines)
    except StopIteration as exc:
        raise ImportFileError(_("The file is empty.")) from exc
    header = [h.strip().lower().lstrip("\ufeff") for h in header]

    def numbered() -> Iterator[tuple[int, dict]]:
        for number, values in enumerate(lines, start=2):
            if not any(values):
                continue
            yield number, {h: (values[i] if i < len(values) else "") for i, h in
                           enumerate(header) if h}
    return header, numbered()


def run_import(importer: Importer, stream: BinaryIO, filename: str, *, dry_run: bool = False,
               partial: bool = False) -> ImportResult:
    header, rows = read_rows(stream, filename)
    missing = [c for c in importer.required if c not in header]
    if missing:
        raise ImportFileError(_("Missing columns: %(columns)s. Expected: %(expected)s.") % {
            "columns": ", ".join(missing), "expected": ", ".join(importer.columns)})
    result = ImportResult(kind=importer.kind, dry_run=dry_run, partial=partial)
    with transaction.atomic():
        for number, values in rows:
            result.rows += 1
            try:
                cleaned = importer.clean_row(values)
                with transaction.atomic():
                    outcome = importer.write_row(cleaned)
            except RowInvalid as exc:
                result.errors += [RowError(number, col, msg) for col, msg in exc.errors]
            except ValidationError as exc:
                for column, messages in _validation_messages(exc):
                    result.errors += [RowError(number, column, m) for m in messages]
            except PermissionDenied as exc:
                result.errors.append(RowError(number, "region", str(exc)))
            except IntegrityError:
                result.errors.append(RowError(number, "", _(
                    "This row conflicts with a record already stored (a unique value is taken).")))
            else:
                setattr(result, outcome, getattr(result, outcome) + 1)
                continue
            result.bad_rows.append((number, values))
        if result.written:
            audit.record(f"import.{importer.kind}", by=importer.by, changes={
                "file": filename[:100], "rows": result.rows, "created": result.created,
                "updated": result.updated, "error_rows": result.error_rows})
        else:
            transaction.set_rollback(True)
    return result


def _validation_messages(exc: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(exc, "error_dict"):
        return [(column if column != "__all__" else "", [str(m) for e in errors for m in e])
                for column, errors in exc.error_dict.items()]
    return [("", [str(m) for m in exc.messages])]


REGISTRY: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    REGISTRY[cls.kind] = cls
    return cls


def load_importers() -> None:
    """Import every app's ``imports`` module so that its importers register."""
    from importlib import import_module

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("essor."):
            try:
                import_module(f"{config.name}.imports")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.imports":
                    raise
