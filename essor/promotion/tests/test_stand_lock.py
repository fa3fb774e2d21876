"""A stand is a scarce resource: never two organisations on one stand, even when officers
click at the same moment (RELIABILITY 15). services.stand_allocate locks the stand row with
SELECT ... FOR UPDATE in one transaction, and the unique constraint on
Participation.stand stands behind the lock.

The concurrent trials need PostgreSQL: SQLite has no row locks (it serialises whole
writes), so there they would prove nothing.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import translation

from essor.accounts.models import User
from essor.audit.models import AuditEntry
from essor.promotion import services
from essor.promotion.models import Participation, Stand
from essor.promotion.tests.factories import EventFactory, ParticipationFactory, StandFactory

ALLOCATED = "promotion.stand.allocated"


# -- the rule, on both databases ----------------------------------------------------------------

@pytest.mark.django_db
def test_a_taken_stand_is_refused_with_its_holder_named(casablanca_officer):
    event = EventFactory()
    stand = StandFactory(event=event, number=14)
    first, second = ParticipationFactory(event=event), ParticipationFactory(event=event)
    services.stand_allocate(participation=first, stand=stand, by=casablanca_officer)

    with pytest.raises(ValidationError) as refused:
        services.stand_allocate(participation=second, stand=stand, by=casablanca_officer)

    assert "14" in refused.value.messages[0]
    assert first.organisation.name in refused.value.messages[0]
    second.refresh_from_db()
    assert second.stand is None
    assert list(Participation.objects.filter(stand=stand)) == [first]
    assert AuditEntry.objects.filter(action=ALLOCATED).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_holder_when_the_service_is_bypassed(casablanca_officer):
    event = EventFactory()
    stand = StandFactory(event=event)
    first, second = ParticipationFactory(event=event), ParticipationFactory(event=event)
    services.stand_allocate(participation=first, stand=stand, by=casablanca_officer)

    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.filter(pk=second.pk).update(stand=stand)

    assert Participation.objects.filter(stand=stand).count() == 1


@pytest.mark.django_db
def test_moving_to_a_free_stand_frees_the_old_one(casablanca_officer):
    event = EventFactory()
    old, new = StandFactory(event=event), StandFactory(event=event)
    first, second = ParticipationFactory(event=event), ParticipationFactory(event=event)
    services.stand_allocate(participation=first, stand=old, by=casablanca_officer)

    services.stand_allocate(participation=first, stand=new, by=casablanca_officer)
    services.stand_allocate(participation=second, stand=old, by=casablanca_officer)

    assert Participation.objects.get(stand=old) == second
    assert Participation.objects.get(stand=new) == first


# -- concurrent clicks, on PostgreSQL -----------------------------------------------------------

def _race(n: int, stand: Stand, by: User) -> tuple[list, list]:
    """``n`` participations of the stand's event ask for it at once, each thread on its own
    database connection. Returns (successes, refusals)."""
    event = stand.event
    contenders = [ParticipationFactory(event=event) for _ in range(n)]
    barrier = threading.Barrier(n)
    won, refused, errors = [], [], []
    lock = threading.Lock()

    def click(participation: Participation) -> None:
        translation.activate("en")  # the messages asserted below
        try:
            barrier.wait(timeout=30)
            services.stand_allocate(participation=participation, stand=stand, by=by)
            with lock:
                won.append(participation.pk)
        except ValidationError as exc:
            with lock:
                refused.append(" ".join(exc.messages))
        except Exception as exc:  # noqa: BLE001 — any other outcome fails the test below
            with lock:
                errors.append(repr(exc))
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=click, args=(p,)) for p in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a click never returned"
    assert not errors, errors
    return won, refused


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL: set "
                           "DATABASE_URL, e.g. from scripts/pg.sh start")
@pytest.mark.parametrize(("clicks", "trials"), [(2, 5), (10, 3)])
def test_concurrent_clicks_on_one_stand_give_it_to_exactly_one(concurrent_db,
                                                               casablanca_officer, clicks,
                                                               trials):
    event = EventFactory(stands=trials)
    officer = User.objects.get(pk=casablanca_officer.pk)
    oversold = 0
    for number in range(1, trials + 1):
        stand = StandFactory(event=event, number=number)

        won, refused = _race(clicks, stand, officer)

        holders = list(Participation.objects.filter(stand=stand).values_list("pk", flat=True))
        oversold += len(holders) > 1
        assert len(won) == 1 and holders == won
        assert len(refused) == clicks - 1
        winner = Participation.objects.select_related("organisation").get(pk=won[0])
        for message in refused:
            assert (message == f"Stand {number} is already given to {winner.organisation}."
                    or message == "This stand was just given to another organisation."), message
        assert AuditEntry.objects.filter(action=ALLOCATED,
                                         changes__stand=[None, stand.pk]).count() == 1
    assert oversold == 0
