"""Registry at national scale: how long the main reads and an import take.

    DEBUG=true .venv/bin/python bench/registry.py [--people 30000]

Uses a throwaway SQLite database (or DATABASE_URL when set), loads the demo registry,
then prints timings. Figures are printed, never asserted: tests pin query counts instead.
"""

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label, fn, repeat=5):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    print(f"{label:<58} median {statistics.median(samples):8.1f} ms  max {max(samples):8.1f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=30000)
    parser.add_argument("--organisations", type=int, default=3000)
    parser.add_argument("--import-rows", type=int, default=5000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="essor-bench-"))
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from essor.accounts.models import User
    from essor.core.imports import run_import
    from essor.registry import selectors
    from essor.registry.imports import PersonImporter
    from essor.registry.models import Person

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", people=args.people, organisations=args.organisations,
                 stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"database: {django.db.connection.vendor}; people: {Person.objects.count()}")
    print(f"{'essor demo':<58} {(time.perf_counter() - started):8.1f} s")

    admin = User.objects.get(username="admin")
    officer = User.objects.get(username="casablanca")
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    timed("people list page, regional officer (page 1)",
          lambda: client.get("/registry/people/"))
    timed("people search by name, regional officer",
          lambda: client.get("/registry/people/?q=fatima benali"))
    timed("people search by phone, regional officer",
          lambda: client.get("/registry/people/?q=0612345678"))
    timed("organisation list page, regional officer",
          lambda: client.get("/registry/organisations/"))
    timed("possible duplicates page, regional officer",
          lambda: client.get("/registry/people/matches/"), repeat=3)
    timed("people export CSV, regional officer", lambda: client.get(
        "/registry/people/?format=csv"), repeat=2)
    timed("duplicate lookup (national ID)", lambda: selectors.person_list(
        user=admin, q="AB123456").exists(), repeat=20)

    path = workdir / "people.csv"
    people = list(Person.objects.order_by("pk").values(
        "first_name", "last_name", "sex", "birth_year", "region__code", "phone",
        "national_id")[: args.import_rows])
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["first_name", "last_name", "sex", "birth_year", "region", "phone",
                         "national_id"])
        for p in people:
            writer.writerow([p["first_name"], p["last_name"], p["sex"], p["birth_year"],
                             p["region__code"], p["phone"], p["national_id"]])
    started = time.perf_counter()
    with path.open("rb") as stream:
        result = run_import(PersonImporter(by=admin), stream, path.name)
    elapsed = time.perf_counter() - started
    print(f"{f're-import of {result.rows} known people (all matched)':<58} {elapsed:8.1f} s "
          f"({result.rows / elapsed:,.0f} rows/s; created {result.created})")


if __name__ == "__main__":
    main()
