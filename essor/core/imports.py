"""Spreadsheet imports: read CSV/XLSX, clean every row, write in one short transaction.

Default is all-or-nothing: one bad row and nothing is written. ``partial`` writes the good
rows and returns the bad ones. ``dry_run`` runs everything, including the writes, inside a
transaction that is rolled back, so it reports exactly what a real run would.

An import runs in two phases, so that the database is never locked while a file is read:

1. **read and clean**, outside any transaction: the file is streamed (CSV decoded block by
   block, XLSX read cell by cell in read-only mode, ignoring the sheet's declared
   dimension), rows are cleaned a chunk at a time (lookups of codes are batched per chunk
   and cached), and the cleaned chunks are spooled to a temporary file; memory holds one
   chunk, never the whole file;
2. **write**, in one transaction: each chunk is written by the importer's ``write_rows``,
   which batches its lookups and uses bulk writes where it can, and falls back to one
   savepoint per row (``write_row``) when a chunk meets a conflict.
"""

from __future__ import annotations

import codecs
import copyreg
import csv
import io
import pickle
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from essor.audit import services as audit
from essor.core import cleaning
from essor.core.exports import escape_cell

MAX_ROWS = 200_000
MAX_COLUMNS = 100
CHUNK = 1_000
HEADER_SEARCH_ROWS = 10  # a title row or two may sit above the header


class ImportFileError(Exception):
    """The file as a whole cannot be read (type, encoding, columns, size)."""


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
            writer.writerow([number, *(escape_cell(_printable(values.get(c, "")))
                                       for c in columns),
                             escape_cell(" | ".join(messages.get(number, [])))])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    def add_errors(self, number: int, values: dict[str, str], exc: Exception) -> None:
        self.errors += [RowError(number, column, message)
                        for column, message in row_errors(exc)]
        self.bad_rows.append((number, values))


def _printable(value: str) -> str:
    return cleaning.shown(value, limit=10_000) if value else value


# -- rows and their errors ----------------------------------------------------------------

class RowCleaner:
    """Collects one message per bad cell, so a row reports all its faults at once.

    Every cell taken goes through ``cleaning.text`` first: trimmed, line breaks made
    spaces, control characters refused."""

    def __init__(self, row: dict[str, str]):
        self.row = row
        self.errors: list[tuple[str, str]] = []

    def take(self, column: str, convert=None, *, required: bool = False, **kwargs):
        try:
            value = cleaning.text(self.row.get(column) or "")
        except cleaning.CellError as exc:
            self.errors.append((column, str(exc)))
            return None
        if required and not value:
            self.errors.append((column, _("This column is required.")))
            return None
        if convert is None:
            return value
        try:
            return convert(value, **kwargs)
        except cleaning.CellError as exc:
            self.errors.append((column, str(exc)))
        except ValidationError as exc:
            self.errors.append((column, " ".join(exc.messages)))
        return None

    def done(self) -> None:
        if self.errors:
            raise RowInvalid(self.errors)


def validation_errors(exc: ValidationError, columns: dict[str, str] | None = None,
                      default: str = "") -> list[tuple[str, str]]:
    """A ValidationError as (column, message) pairs: ``columns`` maps model fields to the
    file's columns; the errors that name no (known) field go to ``default``."""
    if hasattr(exc, "error_dict"):
        return [((columns.get(name, default) if columns is not None
                  else (name if name != "__all__" else default)), str(message))
                for name, errors in exc.error_dict.items()
                for error in errors for message in error]
    return [(default, message) for message in exc.messages]


def row_errors(exc: Exception) -> list[tuple[str, str]]:
    """The (column, message) pairs of any refusal a row may meet."""
    if isinstance(exc, RowInvalid):
        return exc.errors
    if isinstance(exc, ValidationError):
        return validation_errors(exc)
    if isinstance(exc, PermissionDenied):
        return [("region", str(exc))]
    if isinstance(exc, IntegrityError):
        return [("", _("This row conflicts with a record already stored (a unique value is "
                       "taken)."))]
    raise exc


@contextmanager
def as_row_errors(columns: dict[str, str], default: str, refused: str):
    """Turn a service's refusal or validation error into row errors naming the file's
    columns: ``columns`` maps model fields to columns; ``default`` takes the errors that
    name no field, ``refused`` a PermissionDenied."""
    try:
        yield
    except PermissionDenied as exc:
        raise RowInvalid([(refused, str(exc))]) from exc
    except ValidationError as exc:
        raise RowInvalid(validation_errors(exc, columns, default)) from exc


Row = tuple[int, dict[str, str]]
Outcome = str | Exception


class Importer:
    """One kind of import: its columns, how a row is cleaned, how it is written.

    ``clean_row`` and ``write_row`` are enough; an importer that must be fast also
    overrides ``clean_rows`` (to batch its lookups) and ``write_rows`` (to write a chunk
    with bulk operations), keeping the per-row path as the fallback."""

    do_not_call_in_templates = True
    kind = ""
    label: Any = ""  # a lazy translation
    columns: list[str] = []
    required: list[str] = []
    example: list[dict[str, str]] = []
    chunk_size = CHUNK

    def __init__(self, *, by):
        self.by = by

    def clean_row(self, row: dict[str, str]) -> Any:
        """Return the cleaned row or raise RowInvalid([(column, message), …])."""
        raise NotImplementedError

    def write_row(self, cleaned: Any) -> str:
        """Write one cleaned row; return "created", "updated" or "unchanged"."""
        raise NotImplementedError

    def clean_rows(self, rows: list[Row]) -> list[Outcome | Any]:
        """The cleaned value (or the exception) of each row of a chunk."""
        out: list[Any] = []
        for _number, values in rows:
            try:
                out.append(self.clean_row(values))
            except (RowInvalid, ValidationError, PermissionDenied) as exc:
                out.append(exc)
        return out

    def write_rows(self, cleaned: list[Any]) -> list[Outcome]:
        """The outcome ("created", "updated", "unchanged") or the exception of each row.
        Called inside the import's transaction."""
        return [self.write_one(c) for c in cleaned]

    def write_one(self, cleaned: Any) -> Outcome:
        try:
            with transaction.atomic():
                return self.write_row(cleaned)
        except (RowInvalid, ValidationError, PermissionDenied, IntegrityError) as exc:
            return exc

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


# -- reading files ------------------------------------------------------------------------

def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
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


_BLOCK = 1 << 16


def _blocks(stream: BinaryIO) -> Iterator[bytes]:
    while block := stream.read(_BLOCK):
        yield block


def _csv_encoding(stream: BinaryIO) -> str:
    """UTF-8 when the whole file decodes as UTF-8 (checked block by block), else the
    Windows code page its first block looks like."""
    stream.seek(0)
    head = stream.read(_BLOCK)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head)
        for block in _blocks(stream):
            decoder.decode(block)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1256" if _looks_arabic(head) else "cp1252"
    stream.seek(0)
    return encoding


def _csv_lines(stream: BinaryIO, encoding: str) -> Iterator[str]:
    """Decoded lines, each with its line end, read 64 KB at a time."""
    decoder = codecs.getincrementaldecoder(encoding)()
    pending = ""
    for block in _blocks(stream):
        try:
            pending += decoder.decode(block)
        except UnicodeDecodeError as exc:
            raise ImportFileError(_("Save the CSV file as UTF-8 and try again.")) from exc
        *lines, pending = pending.split("\n")
        for line in lines:
            yield line + "\n"
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def _csv_rows(stream: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    encoding = _csv_encoding(stream)
    sample = "".join(islice(_csv_lines(stream, encoding), 50))
    stream.seek(0)
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(_csv_lines(stream, encoding), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            if len(values) > MAX_COLUMNS and any(v.strip() for v in values[MAX_COLUMNS:]):
                raise ImportFileError(_("Row %(row)s has more than %(max)s columns.") % {
                    "row": number, "max": MAX_COLUMNS})
            yield number, [c.strip() for c in values[:MAX_COLUMNS]]
    except csv.Error as exc:
        raise ImportFileError(_("This CSV file cannot be read: %(error)s") % {
            "error": exc}) from exc


def _xlsx_rows(stream: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows that hold values, by their real cells: the dimension a
    sheet declares (``A1:XFD1048576``) is ignored, empty rows and cells are skipped."""
    from openpyxl.worksheet._reader import WorkSheetParser

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(_("This file is not a readable XLSX workbook.")) from exc
    try:
        with sheet._get_source() as source:
            parser = WorkSheetParser(source, sheet._shared_strings, data_only=True,
                                     epoch=workbook.epoch,
                                     date_formats=workbook._date_formats,
                                     timedelta_formats=workbook._timedelta_formats)
            for number, cells in parser.parse():
                values = {c["column"]: c["value"] for c in cells
                          if c["value"] is not None and c["value"] != ""}
                if not values:
                    continue
                if number > MAX_ROWS + 1:
                    raise ImportFileError(_("This sheet has more than %(max)s rows: split "
                                            "it into several files.") % {"max": MAX_ROWS})
                if max(values) > MAX_COLUMNS:
                    raise ImportFileError(_("Row %(row)s has a value beyond column %(max)s: "
                                            "remove it and try again.") % {
                        "row": number, "max": MAX_COLUMNS})
                row = [""] * max(values)
                for column, value in values.items():
                    row[column - 1] = _cell_text(value)
                yield number, row
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(_("This file is not a readable XLSX workbook.")) from exc
    finally:
        workbook.close()


def _header_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower().lstrip("\ufeff").strip())


def read_rows(stream: BinaryIO, filename: str, expected: Iterable[str] = ()
              ) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """Header (lower-cased) and (spreadsheet row number, values) of a CSV or XLSX file.

    The header is the first of the first rows that names the most ``expected`` columns,
    so that a title row above it is skipped."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        lines = _xlsx_rows(stream)
    elif suffix == ".csv":
        lines = _csv_rows(stream)
    else:
        raise ImportFileError(_("Only .csv and .xlsx files can be imported."))
    wanted = set(expected)
    head: list[tuple[int, list[str]]] = []
    for number, values in lines:
        if any(values):
            head.append((number, values))
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    if not head:
        raise ImportFileError(_("The file is empty."))
    scores: list[int] = [len(wanted & {_header_key(v) for v in values})
                         for _n, values in head]
    best = max(scores)
    at = scores.index(best) if wanted and best else 0
    header = [_header_key(h) for h in head[at][1]]
    rest = head[at + 1:]

    def numbered() -> Iterator[tuple[int, dict]]:
        for number, values in _chain(rest, lines):
            if number > MAX_ROWS + 1:
                raise ImportFileError(_("This sheet has more than %(max)s rows: split it "
                                        "into several files.") % {"max": MAX_ROWS})
            if not any(values):
                continue
            yield number, {h: (values[i] if i < len(values) else "") for i, h in
                           enumerate(header) if h}
    return header, numbered()


def _chain(first, then):
    yield from first
    yield from then


# -- running an import --------------------------------------------------------------------

def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while chunk := list(islice(rows, size)):
        yield chunk


class _Spool:
    """Cleaned chunks kept in a temporary file between the two phases. Stored records
    found by lookups (workshops, regions…) are written as references and come back as
    the very same objects, so that a chunk costs little to store and to read back."""

    live: dict[int, _Spool] = {}

    def __init__(self):
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.records: dict[tuple[str, Any], Any] = {}
        self.dispatch = copyreg.dispatch_table.copy()
        for model in apps.get_models():
            self.dispatch[model] = self._reduce
        _Spool.live[id(self)] = self

    def _reduce(self, obj):
        if obj.pk is None:
            return obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        key = (obj._meta.label_lower, obj.pk)
        self.records.setdefault(key, obj)
        return _spooled, (id(self), key)

    def dump(self, chunk: list) -> None:
        pickler = pickle.Pickler(self.file, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = self.dispatch
        pickler.dump(chunk)

    def __iter__(self) -> Iterator[list]:
        self.file.seek(0)
        while True:
            try:
                yield pickle.load(self.file)  # noqa: S301 (our own spool file)
            except EOFError:
                return

    def close(self) -> None:
        _Spool.live.pop(id(self), None)
        self.file.close()


def _spooled(spool: int, key: tuple[str, Any]):
    return _Spool.live[spool].records[key]


def run_import(importer: Importer, stream: BinaryIO, filename: str, *, dry_run: bool = False,
               partial: bool = False) -> ImportResult:
    header, rows = read_rows(stream, filename, expected=importer.columns)
    missing = [c for c in importer.required if c not in header]
    if missing:
        raise ImportFileError(_("Missing columns: %(columns)s. Expected: %(expected)s.") % {
            "columns": ", ".join(missing), "expected": ", ".join(importer.columns)})
    result = ImportResult(kind=importer.kind, dry_run=dry_run, partial=partial)
    spool = _Spool()
    try:
        # 1. Read and clean, holding no transaction: others keep writing meanwhile.
        for chunk in _chunks(rows, importer.chunk_size):
            result.rows += len(chunk)
            good = []
            for (number, values), cleaned in zip(chunk, importer.clean_rows(chunk),
                                                 strict=True):
                if isinstance(cleaned, Exception):
                    result.add_errors(number, values, cleaned)
                else:
                    good.append((number, values, cleaned))
            if good:
                spool.dump(good)
        # 2. Write, chunk by chunk, in one transaction: all or nothing.
        with transaction.atomic():
            for good in spool:
                outcomes = importer.write_rows([cleaned for _n, _v, cleaned in good])
                for (number, values, _cleaned), outcome in zip(good, outcomes, strict=True):
                    if isinstance(outcome, Exception):
                        result.add_errors(number, values, outcome)
                    else:
                        setattr(result, outcome, getattr(result, outcome) + 1)
            result.errors.sort(key=lambda e: e.row)
            result.bad_rows.sort(key=lambda r: r[0])
            if result.written:
                audit.record(f"import.{importer.kind}", by=importer.by, changes={
                    "file": filename[:100], "rows": result.rows, "created": result.created,
                    "updated": result.updated, "unchanged": result.unchanged,
                    "error_rows": result.error_rows})
            else:
                transaction.set_rollback(True)
    finally:
        spool.close()
    return result


REGISTRY: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    REGISTRY[cls.kind] = cls
    return cls


def load_importers() -> None:
    """Import every app's ``imports`` module so that its importers register."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("imports")
