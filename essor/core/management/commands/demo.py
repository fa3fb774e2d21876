"""essor demo: load the seeded demo data (once) and print how to log in."""

import random
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from essor.accounts import demo as accounts_demo
from essor.accounts.models import User
from essor.audit import services as audit
from essor.observatory.cache import bump_all
from essor.registry import demo as registry_demo

SEED = 2026


def _parts():
    """The calibrated programme records of each part, in order (each has ``load(rng)``)."""
    from importlib import import_module

    parts = []
    for name in ("essor.promotion.demo", "essor.training.demo"):
        try:
            parts.append(import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return parts


DEMO_PARTS = _parts()


class Command(BaseCommand):
    help = "Load the demo data (idempotent: a second run changes nothing) and print a login."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=3000)
        parser.add_argument("--people", type=int, default=30000)

    def handle(self, *args, organisations, people, **options):
        started = time.monotonic()
        if User.objects.filter(username="admin").exists():
            self.stdout.write("Demo data already loaded; nothing changed.")
        else:
            rng = random.Random(SEED)
            with transaction.atomic():
                counts = registry_demo.load(rng, organisations=organisations, people=people)
                accounts_demo.load()
                for part in DEMO_PARTS:
                    counts.update(part.load(rng))
                # Then what happens on the day of loading (a market under way, today's
                # workshop…), after the calibrated past and from its own seed, so that
                # the past's records are the same whatever the day.
                today, rng_today = timezone.localdate(), random.Random(SEED + 1)
                for part in DEMO_PARTS:
                    if hasattr(part, "load_today"):
                        counts.update(part.load_today(rng_today, today))
                audit.record("demo.loaded", label="essor demo", changes=counts)
                bump_all()  # loaded in bulk: no signal reached the figures' cache
                if connection.vendor == "postgresql":
                    # Fresh statistics, or the planner takes the new tables for empty ones.
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE")
            self.stdout.write("Demo data loaded: " + "; ".join(
                f"{k}: {v}" for k, v in counts.items())
                + f" in {time.monotonic() - started:.1f} s.")
        self.stdout.write(self.style.SUCCESS(
            f"Log in at http://127.0.0.1:8000/ as national admin: user 'admin', "
            f"password '{accounts_demo.PASSWORD}'."))
        others = ", ".join(u for u, *_rest in accounts_demo.PERSONAS[1:])
        self.stdout.write(f"Other demo users (same password): {others}.")
