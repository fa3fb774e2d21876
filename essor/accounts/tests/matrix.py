"""Accounts in the permission matrix: the profile and the password change for anyone
logged in; the password reset for anyone at all (logged in or not)."""

from essor.core.testing import row

EVERYONE = {"anonymous": 200, "default": 200}

ROWS = {
    "accounts:profile": row(default=200),
    "accounts:language": row(anonymous=302, default=302),
    "accounts:password_change": row(default=200),
    "accounts:password_change_done": row(default=200),
    "accounts:password_reset": row(**EVERYONE),
    "accounts:password_reset_done": row(**EVERYONE),
    "accounts:password_reset_confirm": row(**EVERYONE),  # a wrong link: its page
    "accounts:password_reset_complete": row(**EVERYONE),
}
WRITES = {
    "accounts:profile": {"POST": row(default=302)},
    "accounts:language": {"POST": row(anonymous=302, default=302)},
    "accounts:password_change": {"POST": row(default=200)},  # empty: the form's errors
    "accounts:password_reset": {"POST": row(**EVERYONE)},  # empty: the form's errors
    "accounts:password_reset_confirm": {"POST": row(**EVERYONE)},
}


def payloads(ctx) -> dict:
    return {("accounts:profile", "POST"): {"language": "ar"},
            ("accounts:language", "POST"): {"language": "ar", "next": "/"}}


def build(ctx) -> dict:
    return {"accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"}}
