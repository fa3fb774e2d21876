"""Imports at scale: an attendance file of 100,000 rows, through essor and a baseline.

    DEBUG=true .venv/bin/python bench/imports.py [--rows 100000]

Uses a throwaway SQLite database (or DATABASE_URL when set: give it a database of its
own), generates workshops and an attendance CSV (people appearing in several rows, with
and without national ID or phone), then prints, for the same file:

- the baseline: read the CSV and bulk-insert people and enrolments, with no validation,
  no duplicate rules and no audit (rolled back afterwards);
- essor's import (``essor import attendance``): first run (people created), then a
  re-import of the same file (everyone known, nothing created);
- the peak memory of essor's import (tracemalloc, in a dry run of the same file).

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


def baseline(path: Path, region, workshops: dict[str, int]) -> tuple[float, int]:
    """Read the same file and bulk-insert, without validation or duplicate rules."""
    from django.db import transaction

    from essor.registry.models import Person
    from essor.training.models import Enrolment

    started, cpu = time.perf_counter(), time.process_time()
    rows = 0
    with transaction.atomic():
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            while True:
                chunk = [r for _, r in zip(range(1000), reader, strict=False)]
                if not chunk:
                    break
                rows += len(chunk)
                people = {}
                for r in chunk:  # one person per name in a chunk; no duplicate rules
                    key = (r["first_name"], r["last_name"])
                    if key not in people:
                        people[key] = Person(
                            first_name=r["first_name"], last_name=r["last_name"],
                            sex=r["sex"], birth_year=int(r["birth_year"]), phone=r["phone"],
                            national_id=r["national_id"], region=region)
                Person.objects.bulk_create(people.values())
                Enrolment.objects.bulk_create(
                    [Enrolment(workshop_id=workshops[r["workshop_code"]],
                               person=people[(r["first_name"], r["last_name"])],
                               attended=r["attended"] == "yes") for r in chunk],
                    ignore_conflicts=True)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        transaction.set_rollback(True)
    return elapsed, cpu, rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workshops", type=int, default=400)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="essor-bench-imports-"))
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from essor.accounts.models import User
    from essor.core.imports import run_import
    from essor.registry.models import Person
    from essor.territory.models import Region
    from essor.training.imports import AttendanceImporter
    from essor.training.models import Enrolment, Theme, Workshop

    call_command("migrate", verbosity=0)
    region = Region.objects.get(code="MA-06")
    admin, _ = User.objects.get_or_create(username="bench-admin",
                                          defaults={"role": "national_admin"})
    theme, _ = Theme.objects.get_or_create(code="bench", defaults={
        "name_fr": "Banc d'essai", "name_ar": "اختبار"})
    Workshop.objects.filter(code__startswith="BENCH-").delete()
    workshops = Workshop.objects.bulk_create([
        Workshop(code=f"BENCH-{i:04d}", title=f"Atelier {i}", theme=theme, region=region,
                 date=datetime.date(2025, 1, 1) + datetime.timedelta(days=i % 300),
                 status="held") for i in range(args.workshops)])
    codes = {w.code: w.pk for w in workshops}
    path = workdir / "attendance.csv"
    people = write_file(path, args.rows, list(codes))
    size = path.stat().st_size / 1e6
    print(f"database: {connection.vendor}; file: {args.rows:,} rows, {size:.1f} MB, "
          f"about {people:,} people, {args.workshops} workshops")

    elapsed, cpu, rows = baseline(path, region, codes)
    print(f"{'baseline: read + bulk insert, no validation':<52} {elapsed:7.1f} s "
          f"{rows / elapsed:9,.0f} rows/s (CPU {cpu:.1f} s)")

    for label in ("essor import attendance (first run)",
                  "essor import attendance (re-import, all known)"):
        started, cpu = time.perf_counter(), time.process_time()
        with path.open("rb") as stream:
            result = run_import(AttendanceImporter(by=admin), stream, path.name)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{label:<52} {elapsed:7.1f} s {result.rows / elapsed:9,.0f} rows/s "
              f"(CPU {cpu:.1f} s; created {result.created:,}, updated {result.updated:,}, unchanged "
              f"{result.unchanged:,}, errors {len(result.errors)})")
    print(f"{'stored':<52} {Person.objects.count():,} people, "
          f"{Enrolment.objects.filter(workshop__code__startswith='BENCH-').count():,} "
          "enrolments")

    tracemalloc.start()
    with path.open("rb") as stream:
        run_import(AttendanceImporter(by=admin), stream, path.name, dry_run=True)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{'peak memory of essor import (tracemalloc, dry run)':<52} {peak / 1e6:7.1f} MB")


if __name__ == "__main__":
    main()
