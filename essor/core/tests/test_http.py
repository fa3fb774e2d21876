"""The client's address: X-Forwarded-For is believed only from trusted proxies."""

import pytest
from django.test import RequestFactory

from essor.core.http import client_ip


@pytest.fixture
def trusted(settings):
    import ipaddress

    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8"),
                                ipaddress.ip_network("2001:db8::1")]


def request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []

    assert client_ip(request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


@pytest.mark.usefixtures("trusted")
def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address():
    assert client_ip(request("10.0.0.2", "203.0.113.1")) == "203.0.113.1"


@pytest.mark.usefixtures("trusted")
def test_the_right_most_untrusted_hop_is_the_client():
    # The client forged the left part; the proxies appended the rest.
    assert client_ip(request("10.0.0.2", "1.2.3.4, 203.0.113.1, 10.0.0.9")) == "203.0.113.1"


@pytest.mark.usefixtures("trusted")
def test_a_header_sent_straight_to_the_server_is_not_believed():
    assert client_ip(request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


@pytest.mark.usefixtures("trusted")
def test_ipv6_proxies_and_malformed_hops():
    assert client_ip(request("2001:db8::1", "2001:db8::99")) == "2001:db8::99"
    assert client_ip(request("10.0.0.2", "not-an-address")) == "10.0.0.2"
    assert client_ip(request("10.0.0.2", "garbage, 10.0.0.3")) == "10.0.0.3"
    assert client_ip(request("10.0.0.2", "")) == "10.0.0.2"


@pytest.mark.usefixtures("trusted")
def test_only_trusted_hops_give_the_left_most():
    assert client_ip(request("10.0.0.2", "10.0.0.5, 10.0.0.4")) == "10.0.0.5"


@pytest.mark.django_db
@pytest.mark.usefixtures("trusted")
def test_the_login_lock_and_the_audit_log_see_the_client_behind_the_proxy(client,
                                                                          oriental_officer):
    from essor.audit.models import AuditEntry

    for _ in range(5):
        client.post("/accounts/login/", {"username": "omar_oriental", "password": "wrong"},
                    REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.1")

    locked = client.post("/accounts/login/", {"username": "omar_oriental",
                                              "password": "correct horse battery"},
                         REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.1")
    # Another client behind the same proxy is not the locked one.
    other = client.post("/accounts/login/", {"username": "omar_oriental",
                                             "password": "correct horse battery"},
                        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20")

    assert locked.status_code == 429
    assert other.status_code == 302
    addresses = set(AuditEntry.objects.filter(action__startswith="accounts.login")
                    .values_list("changes__address", flat=True))
    assert addresses == {"203.0.113.1", "198.51.100.20"}


@pytest.mark.django_db
@pytest.mark.usefixtures("trusted")
def test_a_refused_access_is_audited_with_the_client_behind_the_proxy(client_as,
                                                                      oriental_officer):
    from essor.audit.models import AuditEntry

    response = client_as(oriental_officer).get("/audit/", REMOTE_ADDR="10.0.0.2",
                                               HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert response.status_code == 403
    entry = AuditEntry.objects.get(action="access.refused")
    assert entry.changes["address"] == "203.0.113.9"
