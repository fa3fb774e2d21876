"""The API holds against generated requests (RELIABILITY: bad inputs tried, 0 server
errors): schemathesis reads the OpenAPI schema (drf-spectacular, fetched as a signed-in
user) and sends, in process through Django's WSGI application, requests that fit it and
requests that do not, to every operation, as an anonymous caller and as every persona
(token authentication). No answer is a server error, and every answer the schema
documents conforms to it.

Bounded for CI: ``ESSOR_FUZZ_EXAMPLES`` examples per operation, mode and persona
(default 5; derandomised, so a run is repeatable). The figures print at the end:
``DEBUG=true .venv/bin/pytest essor/core/tests/test_api_fuzz.py -q -s``.
"""

from __future__ import annotations

import os
from collections import Counter
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from essor.promotion.models import Event
from essor.promotion.tests.factories import (
    ApplicationFactory,
    EventFactory,
    ParticipationFactory,
)
from essor.registry.tests.factories import OrganisationFactory, PersonFactory
from essor.training.models import Workshop
from essor.training.tests.factories import EnrolmentFactory, WorkshopFactory

EXAMPLES = int(os.environ.get("ESSOR_FUZZ_EXAMPLES", "5"))
PERSONAS = ["anonymous", "national_admin", "oriental_officer", "casablanca_officer",
            "trainer", "coach", "analyst", "partner", "organisation_account"]
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


# -- what a tester broke ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "status"), [
    ("/api/people/abc/", 404),
    ("/api/people/99999999999999999999/", 404),
    ("/api/participations/?event=1e30", 400),
    ("/api/applications/?event=99999999999999999999", 400),
    ("/api/enrolments/?workshop=-1", 400),
    ("/api/events/?year=99999999999999999999", 400),
    ("/api/workshops/?year=1e30", 400),
    ("/api/events/?year=0", 400),
    ("/api/regions/MA%0006/", 404),
    ("/territory/provinces/options/?region=99999999999999999999", 400),
    ("/territory/provinces/options/?region=%C2%B2", 400),
])
def test_malformed_ids_and_numbers_are_refused_not_a_server_error(client, national_admin,
                                                                  url, status):
    client.raise_request_exception = False
    client.force_login(national_admin)

    assert client.get(url).status_code == status


@pytest.mark.django_db
def test_a_year_in_range_still_filters(client, national_admin):
    EventFactory(code="MI-2025-001")
    client.force_login(national_admin)

    assert client.get("/api/events/?year=2025").json()["count"] == 1
    assert client.get("/api/events/?year=2024").json()["count"] == 0


# -- schemathesis over the whole schema ---------------------------------------------------------


class KnownRecords:
    """One record of each kind in each of the two personas' regions, so that generated
    requests also reach records that exist (and others' records, which must answer 404)."""

    def __init__(self, oriental, casablanca_settat):
        self.ids: dict[str, list] = {"regions": ["MA-02", "MA-06"],
                                     "provinces": ["MA-OUJ", "MA-CAS"]}
        for region in (oriental, casablanca_settat):
            organisation = OrganisationFactory(region=region)
            person = PersonFactory(region=region, national_id=f"AB{region.pk:06d}",
                                   disability=True)
            event = EventFactory(region=region, status=Event.Status.HELD)
            participation = ParticipationFactory(event=event, organisation=organisation,
                                                 holder=person, status="attended")
            application = ApplicationFactory(event=event, organisation=organisation,
                                             holder=person)
            workshop = WorkshopFactory(region=region, status=Workshop.Status.HELD)
            enrolment = EnrolmentFactory(workshop=workshop, person=person, attended=True)
            for kind, record in [("organisations", organisation), ("people", person),
                                 ("events", event), ("participations", participation),
                                 ("applications", application), ("workshops", workshop),
                                 ("enrolments", enrolment)]:
                self.ids.setdefault(kind, []).append(record.pk)

    def path_parameters(self, operation) -> list[dict]:
        names = [p.name for p in operation.path_parameters]
        if len(names) != 1:
            return []
        kind = operation.path.strip("/").split("/")[1]
        return [{names[0]: value} for value in self.ids.get(kind, [])]


@contextmanager
def _one_transaction():
    """Keep the test's connection across requests, as Django's test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def api_schema(client, national_admin):
    client.force_login(national_admin)
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    client.logout()
    schema = schemathesis.openapi.from_dict(response.json())
    schema.app = get_wsgi_application()
    return schema


def _fuzz(schema, operation, headers, mode, path_parameters=None):
    """(cases, server errors, other failures) of one operation for one caller."""
    tally: Counter = Counter()
    failures: list[str] = []
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(case=strategy)
    def run(case):
        tally["cases"] += 1
        response = case.call(headers=headers)
        if response.status_code >= 500:
            tally["server_errors"] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:  # noqa: BLE001 — every failure is reported below
            tally["failures"] += 1
            if len(failures) < 5:
                failures.append(f"{operation.label} {case.path_parameters or ''} "
                                f"{case.query or ''}: {str(exc)[:600]}")

    try:
        run()
    except Unsatisfiable:
        pass  # nothing the schema rules out can be generated here (no parameters, say)
    return tally, failures


@pytest.mark.django_db
def test_no_server_error_and_answers_as_the_schema_says(api_schema, persona, capsys,
                                                         oriental, casablanca_settat):
    records = KnownRecords(oriental, casablanca_settat)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    totals: dict[str, Counter] = {}
    failures: list[str] = []
    with _one_transaction():
        for name in PERSONAS:
            user = persona(name)
            headers = {}
            if user is not None:
                headers["Authorization"] = f"Token {Token.objects.get_or_create(user=user)[0]}"
            tally: Counter = Counter()
            for operation in operations:
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    found, failed = _fuzz(api_schema, operation, headers, mode)
                    tally += found
                    failures += failed
                for known in records.path_parameters(operation):
                    # the same operation on records that exist, the caller's or another's
                    found, failed = _fuzz(api_schema, operation, headers,
                                          GenerationMode.POSITIVE, known)
                    tally += found
                    failures += failed
            totals[name] = tally
    with capsys.disabled():
        print(f"\nAPI fuzzing (schemathesis {schemathesis.__version__}, {len(operations)} "
              f"operations, {EXAMPLES} examples per operation, mode and persona):")
        for name, tally in totals.items():
            print(f"  {name:22} {tally['cases']:5} cases, {tally['server_errors']} server "
                  f"errors, {tally['failures']} schema failures")
        print(f"  {'total':22} {sum(t['cases'] for t in totals.values()):5} cases, "
              f"{sum(t['server_errors'] for t in totals.values())} server errors")
    assert sum(t["server_errors"] for t in totals.values()) == 0, failures
    assert not failures, "\n\n".join(failures)
