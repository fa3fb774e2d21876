"""Counters in the shared cache (the login lock's, ``CACHES["default"]``) that refuse a
request once it came too often within a window: password reset requests per client
address and per e-mail address typed, whether an account has that address or not."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().casefold().encode()).hexdigest()
    return f"essor:throttle:{kind}:{digest}"


def hit(kind: str, value: str, *, limit: int, window: int) -> bool:
    """Count one request under ``kind`` and ``value``; False once it is past ``limit``
    requests in ``window`` seconds (counted from the first)."""
    key = _key(kind, value)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
