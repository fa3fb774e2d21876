"""Imports at scale: an attendance file of 100,000 rows, through essor and a baseline.

    DEBUG=true .venv/bin/python bench/imports.py [--rows 100000] [--no-memory]
    DATABASE_URL=postgres://…/bench_imports DEBUG=true .venv/bin/python bench/imports.py

Uses a throwaway SQLite database (or DATABASE_URL when set: give it a database of its
own, it is emptied of the bench's workshops and people), generates workshops and an
attendance CSV (people appearing in several rows, with and without national ID or
phone), then prints, for the same file, side by side:

- the baseline: the same file read by essor's reader (``read_rows``), the same people
  (one per person of the file) and the same enrolments bulk-inserted, with no cleaning,
  no validation, no duplicate rules and no audit (rolled back afterwards);
- essor's import (``essor import attendance``): first run (people created), then a
  re-import of the same file (everyone known, nothing created).

For each: rows, wall seconds, rows per second, CPU seconds of this process (on
PostgreSQL the server's own CPU is not in it), rows per CPU second (the figure that
holds on a shared machine), and peak memory, measured by tracemalloc in a separate pass
of the same work (a rolled-back run, or a dry run for essor), so that tracing does not
slow the timed runs. Queries are not logged (``DEBUG`` is turned off once settings are
loaded), as in production. The load average is printed before and after.

Figures are printed, never asserted: tests pin query counts instead.
"""

import argparse
import csv
import datetime
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = ["Fatima", "Khadija", "Aicha", "Naima", "Zineb", "Salma", "Hanane", "Meryem",
         "Youssef", "Mohamed", "Omar", "Said", "Hamid", "Rachid", "Karim", "Amine"]
LAST = ["Benali", "Tazi", "Alaoui", "Idrissi", "Bennis", "Fassi", "Amrani", "Berrada",
        "Chraibi", "Ouchen", "Lahlou", "Sefrioui", "Bouzid", "Kettani", "Naciri", "Ziani"]


def write_file(path: Path, rows: int, workshops: list[str], seed: int = 7) -> int:
    """``rows`` attendance rows; each person attends about five workshops. Returns the
    number of distinct people."""
    rng = random.Random(seed)
    people = max(1, rows // 5)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["workshop_code", "first_name", "last_name", "sex", "birth_year",
                         "phone", "national_id", "attended"])
        written = 0
        seen: dict[int, int] = {}
        while written < rows:
            n = rng.randrange(people)
            seen[n] = seen.get(n, 0) + 1  # a person attends different workshops
            first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
            sex = "F" if n % len(FIRST) < 8 else "M"
            kind = n % 3  # a third with a national ID, a third with a phone, a third neither
            national_id = f"AB{100000 + n}" if kind == 0 else ""
            phone = f"06{n % 100_000_000:08d}" if kind == 1 else ""
            birth_year = 1960 + n % 45
            workshop = workshops[(n + 97 * seen[n]) % len(workshops)]
            writer.writerow([workshop, f"{first} {n}", last, sex, birth_year,
                             phone, national_id, "yes" if rng.random() < 0.8 else "no"])
            written += 1
    return people


def baseline(path: Path, region, workshops: dict[str, int]) -> int:
    """Read the same file with essor's reader and bulk-insert the same rows, without
    cleaning, validation, duplicate rules or audit, in one transaction rolled back
    afterwards. Returns the rows read."""
    from django.db import transaction

    from essor.core.imports import CHUNK, _chunks, read_rows
    from essor.registry.models import Person
    from essor.training.imports import certificate_codes
    from essor.training.models import Enrolment

    rows = 0
    with transaction.atomic():
        with path.open("rb") as stream:
            _header, lines = read_rows(stream, path.name)
            people: dict[tuple[str, str], int] = {}  # the bench's names are one per person
            for chunk in _chunks(lines, CHUNK):
                rows += len(chunk)
                new = {}
                for _n, r in chunk:
                    key = (r["first_name"], r["last_name"])
                    if key not in people and key not in new:
                        new[key] = Person(
                            first_name=r["first_name"], last_name=r["last_name"],
                            sex=r["sex"], birth_year=int(r["birth_year"]), phone=r["phone"],
                            national_id=r["national_id"], region=region)
                for key, person in zip(new, Person.objects.bulk_create(new.values()),
                                       strict=True):
                    people[key] = person.pk
                codes = certificate_codes(len(chunk))
                Enrolment.objects.bulk_create([
                    Enrolment(workshop_id=workshops[r["workshop_code"]],
                              person_id=people[(r["first_name"], r["last_name"])],
                              attended=r["attended"] == "yes", certificate_code=next(codes))
                    for _n, r in chunk])
        transaction.set_rollback(True)
    return rows


class Measure:
    """Wall and CPU seconds of a block, or its peak memory (tracemalloc)."""

    def __init__(self, memory: bool = False):
        self.memory = memory
        self.seconds = self.cpu = self.peak = 0.0

    def __enter__(self):
        if self.memory:
            tracemalloc.start()
        self.started, self.cpu_started = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        self.cpu = time.process_time() - self.cpu_started
        if self.memory:
            self.peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()


def line(label: str, rows: int, timed: Measure, peak: float | None) -> str:
    memory = f"{peak:8.1f}" if peak is not None else f"{'-':>8}"
    return (f"{label:<34} {rows:>9,} {timed.seconds:8.1f} {rows / timed.seconds:9,.0f} "
            f"{timed.cpu:7.1f} {rows / max(timed.cpu, 1e-9):10,.0f} {memory}")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workshops", type=int, default=400)
    parser.add_argument("--no-memory", action="store_true",
                        help="skip the tracemalloc passes (half the time)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="essor-bench-imports-"))
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from essor.accounts.models import User
    from essor.core.imports import run_import
    from essor.registry.models import Person
    from essor.territory.models import Region
    from essor.training.imports import AttendanceImporter
    from essor.training.models import Enrolment, Theme, Workshop

    settings.DEBUG = False  # no query log, as in production
    call_command("migrate", verbosity=0)
    region = Region.objects.get(code="MA-06")
    admin, _ = User.objects.get_or_create(username="bench-admin",
                                          defaults={"role": "national_admin"})
    theme, _ = Theme.objects.get_or_create(code="bench", defaults={
        "name_fr": "Banc d'essai", "name_ar": "اختبار"})
    Enrolment.objects.filter(workshop__code__startswith="BENCH-").delete()
    Workshop.objects.filter(code__startswith="BENCH-").delete()
    Person.objects.filter(enrolments__isnull=True, region=region,
                          last_name__in=LAST).delete()  # a previous run's people
    workshops = Workshop.objects.bulk_create([
        Workshop(code=f"BENCH-{i:04d}", title=f"Atelier {i}", theme=theme, region=region,
                 date=datetime.date(2025, 1, 1) + datetime.timedelta(days=i % 300),
                 status="held") for i in range(args.workshops)])
    codes = {w.code: w.pk for w in workshops}
    path = workdir / "attendance.csv"
    people = write_file(path, args.rows, list(codes))
    size = path.stat().st_size / 1e6
    print(f"database: {connection.vendor}; file: {args.rows:,} rows, {size:.1f} MB, "
          f"about {people:,} people, {args.workshops} workshops; load average {load()}")
    print(f"{'':<34} {'rows':>9} {'seconds':>8} {'rows/s':>9} {'CPU s':>7} "
          f"{'rows/CPU-s':>10} {'peak MB':>8}")

    def essor(dry_run: bool):
        with path.open("rb") as stream:
            return run_import(AttendanceImporter(by=admin), stream, path.name,
                              dry_run=dry_run)

    def memory(work) -> float | None:
        if args.no_memory:
            return None
        with Measure(memory=True) as traced:
            work()
        return traced.peak

    with Measure() as timed:
        rows = baseline(path, region, codes)
    print(line("baseline: read + bulk insert", rows, timed,
               memory(lambda: baseline(path, region, codes))), flush=True)
    outcomes = []
    for label in ("essor: first run", "essor: re-import (all known)"):
        peak = memory(lambda: essor(dry_run=True)) if label.endswith("first run") else None
        with Measure() as timed:
            result = essor(dry_run=False)
        if peak is None:
            peak = memory(lambda: essor(dry_run=True))
        print(line(label, result.rows, timed, peak), flush=True)
        outcomes.append(f"{label}: created {result.created:,}, updated {result.updated:,}, "
                        f"unchanged {result.unchanged:,}, errors {len(result.errors)}")
    print("\n".join(outcomes))
    stored = Enrolment.objects.filter(workshop__code__startswith="BENCH-")
    print(f"stored: {stored.values('person').distinct().count():,} people, "
          f"{stored.count():,} enrolments; load average {load()}")


if __name__ == "__main__":
    main()
