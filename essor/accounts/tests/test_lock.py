"""The login lock (django-axes) on every login path, in the shared cache."""

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.core.cache.backends.db import DatabaseCache
from django.db import connection

from essor.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def admin_login(client, username, password, address="127.0.0.1"):
    return client.post("/admin/login/?next=/admin/", {
        "username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address)


def essor_login(client, username, password, address="127.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


def logged_in_as(client, user):
    return client.session.get("_auth_user_id") == str(user.pk)


def test_the_admin_login_locks_after_five_failures(client, national_admin):
    for _ in range(4):
        assert admin_login(client, "nadia_national", "not the password").status_code == 200
    assert admin_login(client, "nadia_national", "not the password").status_code == 429

    response = admin_login(client, "nadia_national", PASSWORD)

    assert response.status_code == 429
    assert not logged_in_as(client, national_admin)
    assert client.get("/admin/").status_code == 302  # still to the login
    assert AuditEntry.objects.filter(action="accounts.login_locked").count() == 1


def test_failures_on_one_path_count_on_the_other(client, national_admin):
    # One counter per user and address, whichever page the passwords were typed in.
    for _ in range(3):
        admin_login(client, "nadia_national", "not the password")
    for _ in range(2):
        essor_login(client, "nadia_national", "not the password")

    assert essor_login(client, "nadia_national", PASSWORD).status_code == 429
    assert admin_login(client, "nadia_national", PASSWORD).status_code == 429
    assert not logged_in_as(client, national_admin)


def test_another_admin_at_the_same_address_logs_in_to_the_admin(client, national_admin,
                                                               django_user_model):
    django_user_model.objects.create_superuser("samir_admin", password=PASSWORD,
                                               role="national_admin")
    for _ in range(6):
        admin_login(client, "nadia_national", "not the password", address="203.0.113.7")

    response = admin_login(client, "samir_admin", PASSWORD, address="203.0.113.7")

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_locked_page_is_the_login_page_with_the_lock_message(client, oriental_officer):
    for _ in range(5):
        essor_login(client, "omar_oriental", "not the password")

    page = essor_login(client, "omar_oriental", PASSWORD).content.decode()

    assert 'name="username"' in page and 'value="omar_oriental"' in page
    assert "15" in page


@pytest.fixture
def database_cache(settings):
    """The default cache of a real run: a table of the database, shared by processes."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "essor_cache"}}
    AxesProxyHandler.get_implementation(force=True)  # axes keeps its cache client
    yield
    AxesProxyHandler.implementation = None


def test_migrate_creates_the_cache_table():
    assert "essor_cache" in connection.introspection.table_names()


@pytest.mark.usefixtures("database_cache")
def test_the_lock_holds_across_processes_sharing_the_database_cache(client, oriental_officer,
                                                                    monkeypatch):
    handler = AxesProxyHandler.get_implementation()
    assert isinstance(handler.cache, DatabaseCache)
    for _ in range(5):
        essor_login(client, "omar_oriental", "not the password", address="203.0.113.7")

    # Another server, or another worker process, has its own cache client: it reads the
    # same failures from the table, and refuses the right password too.
    other_server = DatabaseCache("essor_cache", {})
    assert other_server is not handler.cache
    monkeypatch.setattr(handler, "cache", other_server)
    response = essor_login(client, "omar_oriental", PASSWORD, address="203.0.113.7")

    assert response.status_code == 429
    assert not logged_in_as(client, oriental_officer)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM essor_cache")
        assert cursor.fetchone()[0] >= 1


@pytest.mark.usefixtures("database_cache")
def test_failures_counted_by_one_server_lock_the_login_on_another(client, oriental_officer,
                                                                  monkeypatch):
    handler = AxesProxyHandler.get_implementation()
    servers = [DatabaseCache("essor_cache", {}) for _ in range(2)]
    for attempt in range(5):  # failures spread over two servers' cache clients
        monkeypatch.setattr(handler, "cache", servers[attempt % 2])
        essor_login(client, "omar_oriental", "not the password", address="203.0.113.7")

    assert essor_login(client, "omar_oriental", PASSWORD,
                       address="203.0.113.7").status_code == 429
