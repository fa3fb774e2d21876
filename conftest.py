"""Personas and shared fixtures: every test speaks of essor's users."""

import os
from importlib import import_module

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings, request):
    if "real_password_hashing" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


# Data migrations whose rows the tests expect (each module has an idempotent ``load``).
RELOADED_AFTER_FLUSH = ["essor.territory.migrations.0002_load_territory",
                        "essor.training.migrations.0002_themes"]


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
                or (marker and marker.kwargs.get("transaction")))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test empties every table when it ends, the regions and provinces
    loaded by a data migration included: once its fixtures are gone, put them back for
    the tests that follow."""
    yield
    if nextitem is not None and _transactional(item):
        from importlib import import_module

        from django.apps import apps
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for loader in RELOADED_AFTER_FLUSH:
                import_module(loader).load(apps, None)


def _load_territory():
    from django.apps import apps

    for loader in RELOADED_AFTER_FLUSH:
        import_module(loader).load(apps, None)


@pytest.fixture(scope="module")
def _territory_back_after_the_module(django_db_setup, django_db_blocker):
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        _load_territory()
        connection.close()


@pytest.fixture
def concurrent_db(_territory_back_after_the_module, transactional_db):
    """A transactional database for threads on their own connections (concurrency trials),
    with the territory loaded before the test and put back after the module."""
    _load_territory()


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test starts with an empty cache, in memory (tests without the database too);
    the shared database cache of a real run is tried in essor/accounts/tests/test_lock.py."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def oriental(db):
    from essor.territory.models import Region

    return Region.objects.get(code="MA-02")


@pytest.fixture
def casablanca_settat(db):
    from essor.territory.models import Region

    return Region.objects.get(code="MA-06")


def _user(username, role, regions=(), organisation=None, superuser=False):
    from essor.accounts.models import User

    user = User.objects.create_user(username=username, password="correct horse battery",
                                    role=role, organisation=organisation,
                                    first_name=username.split("_")[0].capitalize(),
                                    is_superuser=superuser, is_staff=superuser)
    user.regions.set(regions)
    return user


@pytest.fixture
def national_admin(db):
    return _user("nadia_national", "national_admin", superuser=True)


@pytest.fixture
def oriental_officer(oriental):
    return _user("omar_oriental", "regional_officer", [oriental])


@pytest.fixture
def casablanca_officer(casablanca_settat):
    return _user("karima_casablanca", "regional_officer", [casablanca_settat])


@pytest.fixture
def trainer(oriental):
    return _user("youssef_trainer", "trainer", [oriental])


@pytest.fixture
def coach(casablanca_settat):
    return _user("salma_coach", "coach", [casablanca_settat])


@pytest.fixture
def analyst(oriental):
    return _user("hicham_analyst", "analyst", [oriental])


@pytest.fixture
def partner_org(oriental):
    from essor.registry.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Conseil de la Région de l'Oriental",
                               kind="regional_council", region=oriental)


@pytest.fixture
def partner(partner_org, oriental):
    return _user("rachid_partner", "partner", [oriental], organisation=partner_org)


@pytest.fixture
def member_org(casablanca_settat):
    from essor.registry.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Coopérative Nour Settat", kind="cooperative",
                               region=casablanca_settat)


@pytest.fixture
def organisation_account(member_org):
    return _user("coop_nour", "organisation", organisation=member_org)




@pytest.fixture
def persona(request):
    """Resolve a persona name to its user (None for anonymous)."""

    def get(name):
        return None if name == "anonymous" else request.getfixturevalue(name)

    return get


@pytest.fixture
def client_as(client):
    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login
