"""Indicator results in Django's cache, invalidated when the records under them change.

Each model an indicator reads (its ``sources``, ``"training.Enrolment"``) has a VERSION
in the cache; a result is stored under a key that includes the versions of its sources,
so changing a record of a source makes every result over it unreachable (and left to
expire). Versions move on ``post_save``, ``post_delete`` and ``m2m_changed`` of those
models, and by an explicit :func:`bump` after bulk writes, which send no signal
(imports' ``bulk_create``/``bulk_update``, ``QuerySet.update``, the demo loader).

A bump happens at once (so the writing transaction reads its own figures fresh) and
again when the transaction commits (so that a reader who recomputed in between, from
the data before the commit, does not keep that result).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

PREFIX = "essor:observatory"
RESULT_TIMEOUT = 24 * 3600


def _version_key(label: str) -> str:
    return f"{PREFIX}:version:{label}"


def _set_versions(labels: Iterable[str]) -> None:
    cache.set_many({_version_key(label): uuid.uuid4().hex for label in labels}, timeout=None)


def bump(*labels: str) -> None:
    """Invalidate every result computed over these models (``"training.Enrolment"``)."""
    labels = tuple(dict.fromkeys(labels))
    if not labels:
        return
    if transaction.get_connection().in_atomic_block:
        _set_versions(labels)
    transaction.on_commit(lambda: _set_versions(labels))


def bump_all() -> None:
    """Invalidate every result (after loading data in bulk)."""
    from .catalogue import load_indicators, watched_models

    load_indicators()
    bump(*sorted(watched_models()))


def versions(labels: Iterable[str]) -> tuple[str, ...]:
    """The current version of each model; a version missing from the cache (never set,
    or evicted) is made new, so that no result stored before it can be read again."""
    labels = tuple(labels)
    keys = [_version_key(label) for label in labels]
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        for key, token in missing.items():
            cache.add(key, token, timeout=None)
        found.update(cache.get_many(list(missing)))
        for key, token in missing.items():
            found.setdefault(key, token)
    return tuple(str(found[key]) for key in keys)


def result_key(parts: tuple[Any, ...], sources: Iterable[str]) -> str:
    """The key of one result: its indicator, period, scope and breakdown, with the
    versions of its sources."""
    return result_keys([(parts, tuple(sources))])[0]


def result_keys(asked: list[tuple[tuple[Any, ...], tuple[str, ...]]]) -> list[str]:
    """The keys of several results (their parts and sources), the versions of all their
    sources read from the cache at once."""
    labels = tuple(dict.fromkeys(label for _parts, sources in asked for label in sources))
    known = dict(zip(labels, versions(labels), strict=True))
    return [f"{PREFIX}:result:" + hashlib.sha256(
        repr((parts, tuple(known[label] for label in sources))).encode()).hexdigest()
        for parts, sources in asked]


def get(key: str) -> Any:
    return cache.get(key)


def put(key: str, value: Any) -> None:
    cache.set(key, value, timeout=RESULT_TIMEOUT)


def get_many(keys: list[str]) -> dict[str, Any]:
    return cache.get_many(keys) if keys else {}


def put_many(found: dict[str, Any]) -> None:
    if found:
        cache.set_many(found, timeout=RESULT_TIMEOUT)


# -- signals --------------------------------------------------------------------------------

def _changed(sender: Any, **kwargs: Any) -> None:
    from .catalogue import watched_models

    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.label in watched_models():
        bump(meta.label)


def _m2m_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    # The relation belongs to the instance's model (and to the through model).
    _changed(sender)
    _changed(type(instance))


def connect() -> None:
    """Connect the receivers (from the app's ``ready``)."""
    post_save.connect(_changed, dispatch_uid="essor.observatory.cache.saved")
    post_delete.connect(_changed, dispatch_uid="essor.observatory.cache.deleted")
    m2m_changed.connect(_m2m_changed, dispatch_uid="essor.observatory.cache.m2m")
