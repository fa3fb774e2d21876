"""The client's address, also behind reverse proxies (``TRUSTED_PROXIES``)."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address: str) -> bool:
    ip = _ip(address)
    return ip is not None and any(ip in network for network in settings.TRUSTED_PROXIES)


def client_ip(request) -> str:
    """The address of the client that sent ``request``.

    ``X-Forwarded-For`` is believed only when the request comes from a trusted proxy
    (``REMOTE_ADDR`` in ``TRUSTED_PROXIES``), and then only as far as the proxies go:
    reading the hops from the right, the first one that is not a trusted proxy is the
    client; what a client wrote at the left of the header itself is never taken. A
    malformed hop stops the walk at the last good address."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",") if forwarded else []):
        if not _trusted(address) or _ip(hop) is None:
            break
        address = hop.strip().strip("[]")
    return address
