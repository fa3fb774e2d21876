"""Settings from the environment: a local run without SECRET_KEY or DEBUG, a server that
forgot its key, mail, cache and proxies."""

import json
import os
import stat
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from config.secret_key import local_secret_key

PRINT = ("import json, django; django.setup(); from django.conf import settings as s; "
         "print(json.dumps({'key': s.SECRET_KEY, 'debug': s.DEBUG, 'local': s.LOCAL, "
         "'email': s.EMAIL_BACKEND, 'email_port': s.EMAIL_PORT, "
         "'cache': s.CACHES['default'], 'cookies_secure': s.SESSION_COOKIE_SECURE, "
         "'static': s.STORAGES['staticfiles']['BACKEND'], "
         "'proxies': [str(n) for n in s.TRUSTED_PROXIES]}))")


def settings_with(tmp_path, **variables):
    """The settings a fresh process reads from exactly these variables (no DEBUG…)."""
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "config.settings",
           "ESSOR_LOCAL_DIR": str(tmp_path / "local"), **variables}
    run = subprocess.run([sys.executable, "-c", PRINT], env=env, capture_output=True,  # noqa: S603
                         text=True, cwd=django_settings.BASE_DIR, timeout=60, check=False)
    if run.returncode:
        return run.stderr
    return json.loads(run.stdout.splitlines()[-1])


def test_the_local_key_is_made_once_with_mode_0600_and_reused(tmp_path):
    path = tmp_path / ".local" / "secret_key"

    key = local_secret_key(path)

    assert len(key) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert local_secret_key(path) == key
    assert path.read_text().strip() == key


def test_a_damaged_key_file_is_not_used(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("short")

    with pytest.raises(ValueError, match="holds no secret key"):
        local_secret_key(path)


def test_a_local_run_without_secret_key_nor_debug_starts(tmp_path):
    first = settings_with(tmp_path)
    second = settings_with(tmp_path)

    assert isinstance(first, dict), first
    assert first["debug"] is False and first["local"] is True
    assert first["key"] == second["key"]
    assert first["key"] == (tmp_path / "local" / "secret_key").read_text().strip()
    # Served over plain HTTP by `essor runserver`, static files from the source folders.
    assert first["cookies_secure"] is False
    assert first["static"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_a_server_without_secret_key_refuses_to_start(tmp_path):
    for variables in ({"DATABASE_URL": "postgres://essor:x@db.example/essor"},
                      {"ESSOR_LOCAL": "false"}):
        error = settings_with(tmp_path, **variables)

        assert isinstance(error, str) and "Set SECRET_KEY" in error
    assert not (tmp_path / "local" / "secret_key").exists()


def test_production_settings_are_unchanged(tmp_path):
    production = settings_with(tmp_path, SECRET_KEY="k" * 60,
                               DATABASE_URL="postgres://essor:x@db.example/essor")

    assert production["key"] == "k" * 60 and production["local"] is False
    assert production["cookies_secure"] is True
    assert production["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert not (tmp_path / "local").exists()


def test_mail_goes_by_smtp_when_a_host_is_set(tmp_path):
    assert settings_with(tmp_path)["email"] == "django.core.mail.backends.console.EmailBackend"
    smtp = settings_with(tmp_path, EMAIL_HOST="smtp.example.ma", EMAIL_USE_TLS="true")
    assert smtp["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert smtp["email_port"] == 587


def test_the_cache_is_the_database_by_default_and_redis_when_set(tmp_path):
    # 20,000 entries: with Django's default 300 a dashboard's results cull each other.
    assert settings_with(tmp_path)["cache"] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "essor_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000}}
    assert settings_with(tmp_path, CACHE_URL="dbcache://essor_cache?max_entries=500")[
        "cache"]["OPTIONS"]["MAX_ENTRIES"] == 500  # a setting given is kept
    redis = settings_with(tmp_path, CACHE_URL="redis://127.0.0.1:6379/1")["cache"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/1"


def test_trusted_proxies_are_networks_and_a_malformed_one_stops_the_start(tmp_path):
    assert settings_with(tmp_path, TRUSTED_PROXIES="10.0.0.1,172.16.0.0/12")["proxies"] == [
        "10.0.0.1/32", "172.16.0.0/12"]
    assert "does not appear to be an IPv4 or IPv6" in settings_with(
        tmp_path, TRUSTED_PROXIES="proxy.example")


@pytest.mark.django_db
def test_the_api_schema_and_documentation_need_a_login(client, client_as, analyst):
    assert client.get("/api/schema/").status_code == 401
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and "/accounts/login/" in docs["Location"]

    signed_in = client_as(analyst)
    assert signed_in.get("/api/schema/").status_code == 200
    assert signed_in.get("/api/docs/").status_code == 200
