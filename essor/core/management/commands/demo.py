"""essor demo: load the seeded demo data (once) and print how to log in.

``essor demo --scale N`` loads N copies of the calibrated demo, for benchmarks: the first
is the demo itself (the same records as without ``--scale``), each other one its
records again under new keys, written by one ``INSERT … SELECT`` per table and copy
(no Python loop over rows): organisations, people and memberships, events, stands,
applications, participations and their satisfaction, workshops, enrolments and their
evaluations, incubators (their coaches the same), calls, cohorts, applications, projects,
their holders, history, milestones, sessions, next steps and follow-ups. A copy's codes
(events, workshops, badges, certificates, incubators, calls, cohorts, projects,
application references), organisation names, national IDs and ICE numbers are made
unique by the copy's number; the rest
(sex, birth year, place, dates, statuses, sales) is the first copy's, so every figure
is exactly N times the demo's (a count of distinct regions or a share stays the same).
A copy's people are namesakes of the first copy's (same names, phone and birth year):
the duplicate rules will see them as candidates. The records of the day of loading
(``load_today``) are made once, after the copies, as without ``--scale``.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
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
    for name in ("essor.promotion.demo", "essor.training.demo", "essor.observatory.demo",
                 "essor.incubation.demo"):
        try:
            parts.append(import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return parts


DEMO_PARTS = _parts()

# The programme's records a copy repeats, parents before children. Reference data
# (regions, themes), accounts, the audit log and collected values are not copied.
COPIED = ["registry.Organisation", "registry.Person", "registry.Membership",
          "promotion.Event", "promotion.Application", "promotion.Stand",
          "promotion.Participation", "promotion.Satisfaction",
          "training.Workshop", "training.Enrolment", "training.Evaluation",
          "incubation.Incubator", "incubation.Incubator_coaches", "incubation.Call",
          "incubation.Cohort", "incubation.Application", "incubation.ApplicationHolder",
          "incubation.Project", "incubation.Holder", "incubation.PhaseChange",
          "incubation.MilestoneReached", "incubation.CoachingSession", "incubation.NextStep",
          "incubation.FollowUp"]
# Two-letter national ID prefixes the demo's people never get (see registry/demo.py).
_USED_PREFIXES = {"BE", "BK", "CD", "EE", "FA", "JA", "SH"}
# A copy's national IDs are its prefix and the first copy's key: one prefix a copy.
NATIONAL_ID_PREFIXES = [a + b for a in "ABCDEFGHJKLMNPRSTUVWXYZ" for b in "ABCDEFGHJKLMNPRSTUVWXYZ"
                        if a + b not in _USED_PREFIXES]

MAX_SCALE = len(NATIONAL_ID_PREFIXES) - 1


def _text(expression: str) -> str:
    return f"CAST({expression} AS VARCHAR(40))"


def _copied_columns(label: str, copy: int) -> dict[str, tuple[str, list]]:
    """Per column whose value a copy changes: its SQL expression and parameters."""
    from essor.core.codes import CODE_ALPHABET

    number = copy + 1  # the demo itself is copy 1
    mark = CODE_ALPHABET[number // len(CODE_ALPHABET)] + CODE_ALPHABET[number % len(CODE_ALPHABET)]
    cast = _text("%s")
    if label == "registry.Organisation":
        return {"name": (f"name || {cast}", [f" {number}"]),
                "name_ar": (f"CASE WHEN name_ar = '' THEN '' ELSE name_ar || {cast} END",
                            [f" {number}"]),
                "name_key": (f"name_key || {cast}", [f" {number}"]),
                # 15 digits: 8, the copy on three digits, the first copy's key on eleven.
                "ice": (f"CASE WHEN ice = '' THEN '' ELSE "
                        f"{_text(str(800_000_000_000_000 + copy * 10**11) + ' + id')} END",
                        [])}
    if label == "registry.Person":
        prefix = NATIONAL_ID_PREFIXES[number]
        new_id = f"{cast} || {_text('id + 100000')}"
        return {"national_id": (f"CASE WHEN national_id = '' THEN '' ELSE {new_id} END",
                                [prefix]),
                "national_id_key": (f"CASE WHEN national_id_key = '' THEN '' ELSE {new_id} END",
                                    [prefix])}
    if label in ("promotion.Event", "training.Workshop"):
        return {"code": (f"code || {cast}", [f"-C{number:03d}"])}
    if label in ("incubation.Incubator", "incubation.Call", "incubation.Cohort",
                 "incubation.Project"):
        return {"code": (f"code || {cast}", [f"-c{number:03d}"])}
    if label == "incubation.Application":
        return {"reference": (f"reference || {cast}", [mark])}
    if label == "promotion.Participation":
        return {"badge_code": (f"badge_code || {cast}", [mark])}
    if label == "training.Enrolment":
        return {"certificate_code": (f"certificate_code || {cast}", [mark])}
    return {}


def replicate(copies: int) -> dict[str, int]:
    """Add ``copies`` copies of the programme's records (see the module's docstring), each
    table in one ``INSERT … SELECT`` per copy, keys shifted by the first copy's largest."""
    from django.apps import apps

    model_list = [apps.get_model(label) for label in COPIED]
    offsets = {model: model.objects.aggregate(top=models.Max("pk"))["top"] or 0
               for model in model_list}
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model in model_list:
            label = model._meta.label
            fields = model._meta.concrete_fields
            pk = model._meta.pk.column
            for copy in range(1, copies + 1):
                changed = _copied_columns(label, copy)
                expressions, params = [], []
                for field in fields:
                    column = quote(field.column)
                    if field.primary_key:
                        expressions.append(f"{column} + {copy * offsets[model]}")
                    elif field.is_relation and field.related_model in offsets:
                        expressions.append(
                            f"{column} + {copy * offsets[field.related_model]}")
                    elif field.column in changed:
                        sql, values = changed[field.column]
                        expressions.append(sql)
                        params += values
                    else:
                        expressions.append(column)
                columns = ", ".join(quote(f.column) for f in fields)
                table = quote(model._meta.db_table)
                # Names from the models, numbers, and parameters for the text: no input.
                sql = f"INSERT INTO {table} ({columns}) SELECT {', '.join(expressions)} "
                sql += f"FROM {table} WHERE {quote(pk)} <= {offsets[model]}"  # noqa: S608
                cursor.execute(sql, params)
                counts[f"copied {label}"] = counts.get(f"copied {label}", 0) + cursor.rowcount
        # Keys were written explicitly: the sequences (PostgreSQL) start after them.
        for statement in connection.ops.sequence_reset_sql(no_style(), model_list):
            cursor.execute(statement)
    return counts


class Command(BaseCommand):
    help = "Load the demo data (idempotent: a second run changes nothing) and print a login."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=3000)
        parser.add_argument("--people", type=int, default=30000)
        parser.add_argument("--scale", type=int, default=1,
                            help="Load N copies of the calibrated demo (for benchmarks).")

    def handle(self, *args, organisations, people, scale=1, **options):
        if not 1 <= scale <= MAX_SCALE:
            raise CommandError(f"--scale is a whole number of copies, 1 to {MAX_SCALE}.")
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
                if scale > 1:
                    counts.update(replicate(scale - 1))
                # Then what happens on the day of loading (a market under way, today's
                # workshop…), after the calibrated past and from its own seed, so that
                # the past's records are the same whatever the day.
                today, rng_today = timezone.localdate(), random.Random(SEED + 1)
                for part in DEMO_PARTS:
                    if hasattr(part, "load_today"):
                        counts.update(part.load_today(rng_today, today))
                audit.record("demo.loaded", label="essor demo", changes=counts)
                bump_all()  # loaded in bulk: no signal reached the figures' cache
                # Fresh statistics, or the planner takes the new tables for empty ones
                # (SQLite without them reads a person's first workshop through every
                # workshop of the period: bench/RESULTS.md).
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
