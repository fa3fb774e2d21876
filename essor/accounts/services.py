"""Writes on accounts: the language a user chose, password changes and resets (audited)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from essor.audit import services as audit
from essor.core.http import client_ip

from . import lock
from .models import User

LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


@transaction.atomic
def user_set_language(*, user: User, language: str, by: User) -> User:
    """Remember ``language`` for ``user`` (applied at each login)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    if user.language != language:
        before = audit.snapshot(user, ["language"])
        user.language = language
        user.save(update_fields=["language"])
        audit.record("accounts.language_changed", user, by=by,
                     changes=audit.diff(before, {"language": language}))
    return user


def password_changed(*, user: User, request) -> None:
    """Audit a password changed by its user (the form has saved it)."""
    audit.record("accounts.password_changed", user, by=user,
                 changes={"address": client_ip(request)})


def password_reset_requested(*, users: list[User], request) -> None:
    """Audit a reset request: one entry per account the address belongs to, or one entry
    with no account when it belongs to none (the answer is the same either way)."""
    address = {"address": client_ip(request)}
    for user in users:
        audit.record("accounts.password_reset_requested", user, label="anonymous",
                     changes=address)
    if not users:
        audit.record("accounts.password_reset_requested", None, label="anonymous",
                     changes={**address, "account": False})


def password_reset_throttled(*, request) -> None:
    audit.record("accounts.password_reset_throttled", None, label="anonymous",
                 changes={"address": client_ip(request)})


@transaction.atomic
def password_reset_done(*, user: User, request) -> None:
    """A password set through the link of a reset e-mail (the form has saved it).

    The login lock is per user and address (``essor.accounts.lock``). Whoever followed the
    link reads the account's mailbox: the lock of this user at the address that set the
    new password is lifted, so that its owner logs in at once; locks of the same user at
    other addresses (someone else guessing) stay until they expire. Audited, with
    whether a lock was lifted."""
    address = client_ip(request)
    lifted = lock.unlock(user.get_username(), address)
    audit.record("accounts.password_reset", user, by=None, label="anonymous",
                 changes={"address": address, "lock_lifted": lifted})
